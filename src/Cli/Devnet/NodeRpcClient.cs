using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using BeamSync.Sync;

namespace BeamSync.Cli.Devnet;

/// <summary>A JSON-RPC error answer, or an answer without the expected shape.</summary>
public sealed class NodeRpcException(string message) : Exception(message);

/// <summary>A head of the producer: number and hash.</summary>
public sealed record HeadInfo(ulong Number, string Hash);

/// <summary>
/// JSON-RPC 2.0 over HTTP POST to one devnet node, with the methods the devnet drives it by. Thread-safe (one
/// <see cref="HttpClient"/>; every call carries its own deadline).
/// </summary>
public sealed class NodeRpcClient(HttpClient http, Uri endpoint)
{
    public static readonly JsonSerializerOptions StatsJson = new(JsonSerializerDefaults.Web);
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(10);
    private long _nextId;

    public Uri Endpoint { get; } = endpoint;

    /// <summary>admin_nodeInfo: the node's enode URL.</summary>
    public async Task<string> EnodeAsync(CancellationToken ct) =>
        (await CallAsync("admin_nodeInfo", [], ct))?["enode"]?.GetValue<string>() ?? throw new NodeRpcException("admin_nodeInfo: no enode in the answer");

    public async Task<ulong> BlockNumberAsync(CancellationToken ct) => Quantity(await CallAsync("eth_blockNumber", [], ct), "eth_blockNumber");

    /// <summary>eth_getBlockByNumber (header fields only): the block's hash and state root, or null when the node has no such block.</summary>
    public async Task<(string Hash, string StateRoot)?> BlockAsync(ulong number, CancellationToken ct) =>
        HashAndRoot(await CallAsync("eth_getBlockByNumber", [Hex(number), false], ct), "eth_getBlockByNumber");

    /// <summary>eth_getBlockByHash: the block's hash and state root, on any branch the node holds; null when it has none.</summary>
    public async Task<(string Hash, string StateRoot)?> BlockAsync(string blockHash, CancellationToken ct) =>
        HashAndRoot(await CallAsync("eth_getBlockByHash", [blockHash, false], ct), "eth_getBlockByHash");

    private static (string Hash, string StateRoot)? HashAndRoot(JsonNode? block, string method) => block is null ? null
        : (block["hash"]?.GetValue<string>() ?? throw new NodeRpcException($"{method}: no hash"),
           block["stateRoot"]?.GetValue<string>() ?? throw new NodeRpcException($"{method}: no stateRoot"));

    /// <summary>beamsync_syncStats: the node's sync snapshot.</summary>
    public async Task<SyncStats> SyncStatsAsync(CancellationToken ct) =>
        (await CallAsync("beamsync_syncStats", [], ct)).Deserialize<SyncStats>(StatsJson) ?? throw new NodeRpcException("beamsync_syncStats: empty answer");

    /// <summary>beamsync_newHead: hands a beam node the hash of a new head.</summary>
    public Task NewHeadAsync(string blockHash, CancellationToken ct) => CallAsync("beamsync_newHead", [blockHash], ct);

    /// <summary>beamsync_enginePayload: the newPayload call for the producer's block <paramref name="number"/>; null while it does not exist.</summary>
    public async Task<JsonObject?> EnginePayloadAsync(ulong number, CancellationToken ct) =>
        await CallAsync("beamsync_enginePayload", [number], ct) as JsonObject;

    /// <summary>beamsync_enginePayload by hash: the newPayload call for the producer's block <paramref name="blockHash"/> on any branch; null when it has none.</summary>
    public async Task<JsonObject?> EnginePayloadAsync(string blockHash, CancellationToken ct) =>
        await CallAsync("beamsync_enginePayload", [blockHash], ct) as JsonObject;

    /// <summary>beamsync_waitForHead: long-polls the producer until its head is above <paramref name="afterNumber"/>; null when the wait timed out.</summary>
    public async Task<HeadInfo?> WaitForHeadAsync(ulong afterNumber, TimeSpan wait, CancellationToken ct)
    {
        var head = await CallAsync("beamsync_waitForHead", [afterNumber, (long)wait.TotalMilliseconds], ct, CallTimeout + wait);
        if (head is null) return null;
        var number = Quantity(head["number"], "beamsync_waitForHead");
        return number > afterNumber ? new HeadInfo(number, head["hash"]?.GetValue<string>() ?? throw new NodeRpcException("beamsync_waitForHead: no hash")) : null;
    }

    /// <summary>beamsync_stateNodeCount: state trie nodes under <paramref name="stateRoot"/> in the producer's store.</summary>
    public async Task<long> StateNodeCountAsync(string stateRoot, CancellationToken ct) =>
        checked((long)Quantity(await CallAsync("beamsync_stateNodeCount", [stateRoot], ct, StateWalkTimeout), "beamsync_stateNodeCount"));

    /// <summary>The producer walks the whole state to count it: a million nodes take many seconds on a loaded machine.</summary>
    private static readonly TimeSpan StateWalkTimeout = TimeSpan.FromSeconds(120);

    private async Task<JsonNode?> CallAsync(string method, JsonArray parameters, CancellationToken ct, TimeSpan? timeout = null)
    {
        var request = new JsonObject { ["jsonrpc"] = "2.0", ["id"] = Interlocked.Increment(ref _nextId), ["method"] = method, ["params"] = parameters };
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(timeout ?? CallTimeout);
        using var response = await http.PostAsJsonAsync(Endpoint, request, deadline.Token);
        response.EnsureSuccessStatusCode();
        var answer = await response.Content.ReadFromJsonAsync<JsonObject>(deadline.Token) ?? throw new NodeRpcException($"{method}: empty answer");
        if (answer["error"] is JsonObject error)
            throw new NodeRpcException($"{method}: {error["message"]?.ToString() ?? error.ToJsonString()}");
        return answer["result"];
    }

    /// <summary>A quantity as a node may write it: "0x..." hex or a plain JSON number.</summary>
    public static ulong Quantity(JsonNode? node, string method)
    {
        if (node is JsonValue value)
        {
            if (value.TryGetValue<ulong>(out var number)) return number;
            if (value.TryGetValue<string>(out var text) && text.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
                && ulong.TryParse(text.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out number)) return number;
        }
        throw new NodeRpcException($"{method}: '{node?.ToJsonString()}' is not a quantity");
    }

    private static string Hex(ulong number) => $"0x{number:x}";
}
