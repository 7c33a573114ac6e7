using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using BeamSync.Node.Options;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace BeamSync.Node.Tests;

/// <summary>Tests that run whole nodes on loopback ports: one at a time, so their timings hold on a 2-core machine.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class LoopbackNodesCollection
{
    public const string Name = "loopback nodes";
}

/// <summary>A node started in this process by <see cref="BeamNode.RunAsync"/> on its own datadir, and its JSON-RPC.</summary>
internal sealed class LoopbackNode : IAsyncDisposable
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(60) };
    private readonly CancellationTokenSource _stop = new();
    private int _nextId;

    private LoopbackNode(NodeOptions options, ILoggerFactory logs)
    {
        Options = options;
        Run = Task.Run(() => BeamNode.RunAsync(options, logs, _stop.Token));
    }

    public NodeOptions Options { get; }
    /// <summary>The node's run; its result is the exit code <c>beamsync run</c> would give.</summary>
    public Task<int> Run { get; }
    public Uri RpcUri => new($"http://127.0.0.1:{Options.HttpPort}/");

    /// <summary>Starts a node with JSON-RPC on a free port and waits (up to 60 s) until it answers.</summary>
    public static async Task<LoopbackNode> StartAsync(NodeOptions options, ILoggerFactory? logs = null)
    {
        var node = new LoopbackNode(options with { Http = true, HttpAddress = "127.0.0.1", HttpPort = FreePort() }, logs ?? NullLoggerFactory.Instance);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            if (node.Run.IsCompleted) throw new InvalidOperationException($"the node ended with exit code {await node.Run}");
            try
            {
                await node.CallAsync("eth_chainId");
                return node;
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline) { await Task.Delay(100); }
        }
    }

    /// <summary>
    /// Options shared by a scaled-down loopback devnet's nodes: seed 5, 30 transactions in 1 s blocks, the devnet link
    /// model (50 ms round trip, 2 MB/s uplink); each node adds its datadir, port and role.
    /// </summary>
    public static NodeOptions DevnetOptions(int accounts, int contracts, int stateWindow, int pivotLag) => new()
    {
        DataDir = "", Port = 0, Seed = 5, StateAccounts = accounts, StateContracts = contracts, TxsPerBlock = 30,
        BlockTime = TimeSpan.FromSeconds(1), StateWindow = stateWindow, PivotLag = pivotLag,
        LatencyMs = NodeOptions.DevnetLatencyMs, BandwidthBytesPerSecond = NodeOptions.DevnetBandwidthBytesPerSecond,
    };

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>The whole response body of one call, as sent (ids are the same sequence on every node).</summary>
    public async Task<string> RawCallAsync(int id, string method, params object?[] parameters)
    {
        var body = JsonSerializer.Serialize(new { jsonrpc = "2.0", id, method, @params = parameters });
        using var response = await Http.PostAsync(RpcUri, new StringContent(body, Encoding.UTF8, "application/json"));
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>The result of one call; a JSON-RPC error throws.</summary>
    public async Task<JsonNode?> CallAsync(string method, params object?[] parameters)
    {
        var response = JsonNode.Parse(await RawCallAsync(Interlocked.Increment(ref _nextId), method, parameters))!;
        if (response["error"] is { } error) throw new InvalidOperationException($"{method}: {error.ToJsonString()}");
        return response["result"];
    }

    /// <summary>Long-polls this producer's head and hands each new one to <paramref name="beam"/>, as <c>beamsync devnet</c> does, until cancelled.</summary>
    public async Task RelayHeadsAsync(LoopbackNode beam, CancellationToken ct)
    {
        ulong last = 0;
        while (!ct.IsCancellationRequested)
        {
            var head = await CallAsync("beamsync_waitForHead", Quantity(last), Quantity(500));
            ulong number = Convert.ToUInt64((string)head!["number"]!, 16);
            if (number <= last || ct.IsCancellationRequested) continue;
            last = number;
            await beam.CallAsync("beamsync_newHead", (string)head["hash"]!);
        }
    }

    /// <summary>Polls <c>beamsync_syncStats</c> until <paramref name="condition"/> holds; fails the test with the latest stats after <paramref name="timeout"/>.</summary>
    public async Task<JsonNode> WaitForStatsAsync(Func<JsonNode, bool> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var stats = (await CallAsync("beamsync_syncStats"))!;
            if (condition(stats)) return stats;
            if (DateTime.UtcNow >= deadline)
            {
                var text = stats.ToJsonString();
                Assert.Fail($"timed out; node stats: {(text.Length <= 600 ? text : text[..600] + "...")}");
            }
            await Task.Delay(100);
        }
    }

    public static string Quantity(ulong value) => "0x" + value.ToString("x");

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        try { await Run.WaitAsync(TimeSpan.FromSeconds(30)); }
        catch (OperationCanceledException) { }
        _stop.Dispose();
    }
}
