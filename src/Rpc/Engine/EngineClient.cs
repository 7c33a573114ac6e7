using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace BeamSync.Rpc.Engine;

/// <summary>
/// A consensus client's side of the engine API: posts a JSON-RPC request to an execution client's authenticated
/// endpoint with a fresh HS256 token. Thread-safe.
/// </summary>
public sealed class EngineClient(HttpClient http, Uri url, byte[] jwtSecret) : IEngineCaller
{
    private int _nextId;

    /// <summary>The answer as a JSON object, or why there is none (an HTTP status other than 200, an answer that is not an object).</summary>
    public async Task<(JsonObject? Answer, string? Problem)> SendAsync(JsonObject request, CancellationToken ct)
    {
        using var message = new HttpRequestMessage(HttpMethod.Post, url)
        {
            Content = new StringContent(request.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", JwtAuthenticator.CreateToken(jwtSecret, DateTimeOffset.UtcNow));
        using var response = await http.SendAsync(message, ct).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.OK) return (null, $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}");
        return JsonNode.Parse(await response.Content.ReadAsStringAsync(ct).ConfigureAwait(false)) is JsonObject answer ? (answer, null) : (null, "the answer is not a JSON object");
    }

    /// <summary>The result of <paramref name="method"/>; an error answer or a failed exchange throws <see cref="EngineCallException"/>.</summary>
    public async Task<JsonNode?> CallAsync(string method, JsonArray parameters, CancellationToken ct)
    {
        var (answer, problem) = await SendAsync(Request(method, parameters, Interlocked.Increment(ref _nextId)), ct).ConfigureAwait(false);
        return ResultOf(method, answer, problem);
    }

    /// <summary>Blocks the calling thread (a driver's own, never a thread-pool thread) until the call is answered.</summary>
    public JsonNode? Call(string method, JsonArray parameters) => CallAsync(method, parameters, CancellationToken.None).GetAwaiter().GetResult();

    internal static JsonObject Request(string method, JsonArray parameters, int id) =>
        new() { ["jsonrpc"] = "2.0", ["id"] = id, ["method"] = method, ["params"] = parameters };

    /// <summary>The result of an answer; none, or an error answer, throws <see cref="EngineCallException"/>.</summary>
    internal static JsonNode? ResultOf(string method, JsonObject? answer, string? problem)
    {
        if (answer is null) throw new EngineCallException($"{method}: {problem}");
        if (answer["error"] is { } error) throw new EngineCallException($"{method}: error {error["code"]} {error["message"]}");
        return answer["result"];
    }
}

/// <summary>A consensus client's calls to an engine API, answered on the calling thread (a driver's own).</summary>
public interface IEngineCaller
{
    /// <summary>The result of <paramref name="method"/>; an error answer or a failed exchange throws <see cref="EngineCallException"/>.</summary>
    JsonNode? Call(string method, JsonArray parameters);
}

/// <summary>
/// The engine API of this process, called through the same JSON-RPC dispatch its authenticated endpoint runs (request
/// and answer as JSON bytes) but without the HTTP exchange and JWT: for a driver inside the node it drives, where the
/// transport would add a socket and a secret file and test nothing the endpoint's own tests do not. Handlers run on the
/// calling thread, which needs an execution thread's stack for block building. Thread-safe.
/// </summary>
public sealed class InProcessEngineCaller(RpcMethods engineMethods) : IEngineCaller
{
    private readonly RpcDispatcher _dispatcher = new(engineMethods);
    private int _nextId;

    public JsonNode? Call(string method, JsonArray parameters)
    {
        var request = EngineClient.Request(method, parameters, Interlocked.Increment(ref _nextId));
        var body = _dispatcher.Handle(System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(request));
        var answer = body is null ? null : JsonNode.Parse(body) as JsonObject;
        return EngineClient.ResultOf(method, answer, answer is null ? "no answer" : null);
    }
}

/// <summary>An engine API call that got an error or no answer.</summary>
public sealed class EngineCallException(string message) : Exception(message);
