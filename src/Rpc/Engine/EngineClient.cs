using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace BeamSync.Rpc.Engine;

/// <summary>
/// A consensus client's side of the engine API: posts a JSON-RPC request to an execution client's authenticated
/// endpoint with a fresh HS256 token. Thread-safe.
/// </summary>
public sealed class EngineClient(HttpClient http, Uri url, byte[] jwtSecret)
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
        var request = new JsonObject { ["jsonrpc"] = "2.0", ["id"] = Interlocked.Increment(ref _nextId), ["method"] = method, ["params"] = parameters };
        var (answer, problem) = await SendAsync(request, ct).ConfigureAwait(false);
        if (answer is null) throw new EngineCallException($"{method}: {problem}");
        if (answer["error"] is { } error) throw new EngineCallException($"{method}: error {error["code"]} {error["message"]}");
        return answer["result"];
    }
}

/// <summary>An engine API call that got an error or no answer.</summary>
public sealed class EngineCallException(string message) : Exception(message);
