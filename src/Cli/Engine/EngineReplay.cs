using System.Text.Json;
using System.Text.Json.Nodes;
using BeamSync.Rpc.Engine;

namespace BeamSync.Cli.Engine;

/// <summary>
/// One recorded engine API call and what its answer should be: the payload status (newPayload's status,
/// forkchoiceUpdated's payloadStatus.status), an error code, or just a result.
/// </summary>
public sealed record ReplayCall(string Source, JsonObject Request, string? ExpectedStatus, int? ExpectedError);

/// <summary>How a replay went: calls sent, those answered as expected, and one line for each that was not.</summary>
public sealed record ReplayOutcome(int Calls, int AsExpected, IReadOnlyList<string> Mismatches, string? LastHead);

/// <summary>
/// Sends recorded engine API calls in order over HTTP, each with a fresh JWT, and checks each answer. Files are a
/// JSON call, an array of calls, or the execution-apis <c>.io</c> form (<c>&gt;&gt;</c> a request, <c>&lt;&lt;</c> its
/// expected response). A JSON call expects VALID for newPayload and forkchoiceUpdated unless it carries
/// <c>"expectedStatus"</c> or <c>"expectedError"</c> (a code; both are taken off before sending); an <c>.io</c>
/// call expects the status or error code of its recorded response. Not thread-safe: one replay at a time.
/// </summary>
public sealed class EngineReplay(HttpClient http, Uri url, byte[] jwtSecret)
{
    private const string ExpectedStatusField = "expectedStatus", ExpectedErrorField = "expectedError";
    private readonly EngineClient _client = new(http, url, jwtSecret);

    public static IReadOnlyList<ReplayCall> Load(string path)
    {
        var text = File.ReadAllText(path);
        return path.EndsWith(".io", StringComparison.OrdinalIgnoreCase) ? LoadIo(text, path) : LoadJson(text, path);
    }

    private static List<ReplayCall> LoadJson(string text, string path)
    {
        var root = JsonNode.Parse(text) ?? throw new FormatException($"{path}: empty");
        var calls = root is JsonArray array ? array.ToList() : [root];
        var loaded = new List<ReplayCall>(calls.Count);
        for (int i = 0; i < calls.Count; i++)
        {
            if (calls[i] is not JsonObject call) throw new FormatException($"{path}: call {i} is not an object");
            string? status = call[ExpectedStatusField]?.GetValue<string>();
            int? error = call[ExpectedErrorField]?.GetValue<int>();
            call.Remove(ExpectedStatusField);
            call.Remove(ExpectedErrorField);
            if (status is null && error is null && IsStatusMethod(call)) status = "VALID";
            HexRequests(call);
            loaded.Add(new ReplayCall($"{Path.GetFileName(path)}#{i}", call, status, error));
        }
        return loaded;
    }

    /// <summary>
    /// geth records newPayloadV4's executionRequests in base64 (its test data marshals them as byte slices); the engine
    /// API takes 0x hex, so those are sent as hex.
    /// </summary>
    private static void HexRequests(JsonObject call)
    {
        if (call["method"]?.GetValue<string>() is not { } method || !method.StartsWith("engine_newPayload", StringComparison.Ordinal)
            || call["params"] is not JsonArray { Count: >= 4 } parameters || parameters[3] is not JsonArray requests)
            return;
        for (int i = 0; i < requests.Count; i++)
            if (requests[i] is JsonValue value && value.TryGetValue<string>(out var text) && !text.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
                requests[i] = "0x" + Convert.ToHexStringLower(Convert.FromBase64String(text));
    }

    private static List<ReplayCall> LoadIo(string text, string path)
    {
        var loaded = new List<ReplayCall>();
        JsonObject? request = null;
        foreach (var line in text.Split('\n').Select(l => l.Trim()))
        {
            if (line.StartsWith(">>", StringComparison.Ordinal))
                request = JsonNode.Parse(line[2..]) as JsonObject ?? throw new FormatException($"{path}: a request is not an object");
            else if (line.StartsWith("<<", StringComparison.Ordinal) && request is not null)
            {
                var response = JsonNode.Parse(line[2..]) as JsonObject ?? throw new FormatException($"{path}: a response is not an object");
                int? error = response["error"]?["code"]?.GetValue<int>();
                loaded.Add(new ReplayCall($"{Path.GetFileName(path)}#{loaded.Count}", request, error is null ? StatusOf(response["result"]) : null, error));
                request = null;
            }
        }
        return loaded;
    }

    private static bool IsStatusMethod(JsonObject call) =>
        call["method"]?.GetValue<string>() is { } m && (m.StartsWith("engine_newPayload", StringComparison.Ordinal) || m.StartsWith("engine_forkchoiceUpdated", StringComparison.Ordinal));

    /// <summary>newPayload's <c>status</c> or forkchoiceUpdated's <c>payloadStatus.status</c>; null for other results.</summary>
    private static string? StatusOf(JsonNode? result) =>
        result is JsonObject o ? (o["status"] ?? o["payloadStatus"]?["status"]) is JsonValue v && v.TryGetValue<string>(out var s) ? s : null : null;

    public async Task<ReplayOutcome> RunAsync(IEnumerable<ReplayCall> calls, CancellationToken ct)
    {
        int count = 0, good = 0;
        var mismatches = new List<string>();
        string? head = null;
        foreach (var call in calls)
        {
            count++;
            var (answer, problem) = await _client.SendAsync(call.Request, ct);
            problem ??= Check(call, answer!);
            if (problem is null) good++;
            else mismatches.Add($"{call.Source} {call.Request["method"]}: {problem}");
            if (call.Request["method"]?.GetValue<string>()?.StartsWith("engine_forkchoiceUpdated", StringComparison.Ordinal) == true
                && StatusOf(answer?["result"]) == "VALID")
                head = call.Request["params"]?[0]?["headBlockHash"]?.GetValue<string>();
        }
        return new ReplayOutcome(count, good, mismatches, head);
    }

    private static string? Check(ReplayCall call, JsonObject answer)
    {
        int? error = answer["error"]?["code"]?.GetValue<int>();
        if (call.ExpectedError is { } expectedError)
            return error == expectedError ? null : $"expected error {expectedError}, got {Describe(answer)}";
        if (error is not null) return $"expected {call.ExpectedStatus ?? "a result"}, got {Describe(answer)}";
        if (call.ExpectedStatus is null) return null;
        var status = StatusOf(answer["result"]);
        return status == call.ExpectedStatus ? null : $"expected {call.ExpectedStatus}, got {Describe(answer)}";
    }

    private static string Describe(JsonObject answer) =>
        answer["error"] is { } e ? $"error {e["code"]} {e["message"]}" : (answer["result"]?.ToJsonString(new JsonSerializerOptions { WriteIndented = false }) ?? "null");
}
