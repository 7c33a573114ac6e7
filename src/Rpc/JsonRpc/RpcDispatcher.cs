using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;
using BeamSync.Trie;

namespace BeamSync.Rpc;

/// <summary>
/// JSON-RPC 2.0 over a request body: a single call or a batch (at most <see cref="MaxBatchSize"/> calls), answered
/// in one response body. Malformed JSON is -32700, a call that is not a JSON-RPC request -32600, an unknown method
/// -32601, bad arguments -32602, a handler fault -32603. Notifications (no id) are run and not answered. Runs the
/// handlers on the calling thread (an RPC worker: they may block on Beam Sync fetches). Thread-safe.
/// </summary>
public sealed class RpcDispatcher(RpcMethods methods, int maxBatchSize = RpcDispatcher.DefaultMaxBatchSize)
{
    public const int DefaultMaxBatchSize = 1000;
    private static readonly JsonDocumentOptions ParseOptions = new() { MaxDepth = 64 };

    public int MaxBatchSize => maxBatchSize;

    /// <summary>The response body for <paramref name="body"/>, or null when there is nothing to answer (notifications only).</summary>
    public byte[]? Handle(ReadOnlyMemory<byte> body)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(body, ParseOptions);
        }
        catch (JsonException)
        {
            return Serialize(ErrorResponse(null, RpcErrorCodes.ParseError, "parse error"));
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Array)
                return HandleCall(root) is { } single ? Serialize(single) : null;

            int count = root.GetArrayLength();
            if (count == 0) return Serialize(ErrorResponse(null, RpcErrorCodes.InvalidRequest, "empty batch"));
            if (count > maxBatchSize)
                return Serialize(ErrorResponse(null, RpcErrorCodes.InvalidRequest, $"batch too large: {count} calls, at most {maxBatchSize}"));
            var responses = new JsonArray();
            foreach (var call in root.EnumerateArray())
                if (HandleCall(call) is { } response) responses.Add(response);
            return responses.Count == 0 ? null : Serialize(responses);
        }
    }

    /// <summary>One call's response object, or null for a notification.</summary>
    private JsonNode? HandleCall(JsonElement call)
    {
        if (call.ValueKind != JsonValueKind.Object) return ErrorResponse(null, RpcErrorCodes.InvalidRequest, "invalid request");
        JsonNode? id = null;
        bool hasId = call.TryGetProperty("id", out var idElement);
        if (hasId)
        {
            if (idElement.ValueKind is not (JsonValueKind.String or JsonValueKind.Number or JsonValueKind.Null))
                return ErrorResponse(null, RpcErrorCodes.InvalidRequest, "invalid request: id must be a string, number or null");
            id = JsonNode.Parse(idElement.GetRawText());
        }
        if (!call.TryGetProperty("jsonrpc", out var version) || version.ValueKind != JsonValueKind.String || version.GetString() != "2.0"
            || !call.TryGetProperty("method", out var methodElement) || methodElement.ValueKind != JsonValueKind.String)
            return ErrorResponse(id, RpcErrorCodes.InvalidRequest, "invalid request");
        var name = methodElement.GetString()!;
        if (!methods.TryGet(name, out var method))
            return hasId ? ErrorResponse(id, RpcErrorCodes.MethodNotFound, $"the method {name} does not exist/is not available") : null;

        JsonElement parameters = default;
        if (call.TryGetProperty("params", out var p) && p.ValueKind != JsonValueKind.Null)
        {
            if (p.ValueKind != JsonValueKind.Array)
                return hasId ? ErrorResponse(id, RpcErrorCodes.InvalidParams, "non-array args") : null;
            parameters = p;
        }
        var args = new RpcParams(parameters);
        JsonNode? response;
        try
        {
            if (args.Count > method.MaxParams)
                throw RpcException.InvalidParams($"too many arguments, want at most {method.MaxParams}");
            response = ResultResponse(id, method.Invoke(args));
        }
        catch (RpcException e)
        {
            response = ErrorResponse(id, e.Code, e.Message, e.Data);
        }
        catch (MissingTrieNodeException e)
        {
            // The node exists (it is referenced by a root we hold); Beam Sync could not fetch it in time.
            response = ErrorResponse(id, RpcErrorCodes.StateNotAvailable, $"state not available yet (beam sync is fetching it): {e.Message}");
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            response = ErrorResponse(id, RpcErrorCodes.Internal, $"internal error: {e.Message}");
        }
        return hasId ? response : null;
    }

    private static JsonObject ResultResponse(JsonNode? id, JsonNode? result) =>
        new() { ["jsonrpc"] = "2.0", ["id"] = id, ["result"] = result };

    private static JsonObject ErrorResponse(JsonNode? id, int code, string message, string? data = null)
    {
        var error = new JsonObject { ["code"] = code, ["message"] = message };
        if (data is not null) error["data"] = data;
        return new JsonObject { ["jsonrpc"] = "2.0", ["id"] = id, ["error"] = error };
    }

    private static byte[] Serialize(JsonNode node)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer)) node.WriteTo(writer);
        return buffer.WrittenSpan.ToArray();
    }
}
