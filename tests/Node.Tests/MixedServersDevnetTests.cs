using System.Text.Json.Nodes;
using BeamSync.Node.Options;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace BeamSync.Node.Tests;

/// <summary>
/// Issue 15's "one server of each profile": a producer serving the legacy profile, a second full node serving the
/// modern one (it builds the same seeded genesis itself and executes the producer's blocks, headers and bodies over the
/// wire), and a fresh beam node that dials both, on a scaled-down loopback devnet with the devnet link model. Both
/// servers must serve it a share, each in its own forms, and it must end full with the producer's root.
/// </summary>
[Collection(LoopbackNodesCollection.Name)]
public sealed class MixedServersDevnetTests(ITestOutputHelper output) : IDisposable
{
    private readonly DirectoryInfo _folders = Directory.CreateTempSubdirectory("beamsync-mixed-it-");

    [Fact]
    public async Task A_beam_node_fetches_from_a_legacy_producer_and_a_modern_full_node_in_each_ones_forms_and_ends_full_with_the_producers_root()
    {
        // The scale of BeamDevnetIntegrationTests: 3,000 accounts and 30 contracts, about 67,000 state nodes.
        var common = LoopbackNode.DevnetOptions(accounts: 3_000, contracts: 30, NodeOptions.DevnetStateWindow, NodeOptions.DevnetStateWindow / 2);
        await using var producer = await LoopbackNode.StartAsync(common with { DataDir = Folder("producer"), Dev = true, Port = LoopbackNode.FreePort(), Serve = ServeMode.Legacy },
            new TestOutputLogs(output, "producer", LogLevel.Warning));
        var producerEnode = (string)(await producer.CallAsync("admin_nodeInfo"))!["enode"]!;
        await using var server = await LoopbackNode.StartAsync(common with
        {
            DataDir = Folder("server"), Network = NodeOptions.DevnetNetwork, Sync = SyncMode.Full, Serve = ServeMode.Modern,
            Bootnodes = [producerEnode], Port = LoopbackNode.FreePort(),
        }, new TestOutputLogs(output, "server", LogLevel.Warning));
        var serverEnode = (string)(await server.CallAsync("admin_nodeInfo"))!["enode"]!;
        using var relay = new CancellationTokenSource();
        var relayingToServer = producer.RelayHeadsAsync(server, relay.Token);

        // The server is an honest full node: it executes the producer's blocks from its own genesis state, fetching none.
        ulong producerHead = await HeadAsync(producer);
        var serverStats = await server.WaitForStatsAsync(s => (string)s["mode"]! == "full" && (ulong)s["executed"]! >= producerHead, TimeSpan.FromSeconds(60));
        Assert.Equal(0L, (long)serverStats["roundTrips"]!);
        ulong checkedBlock = (ulong)serverStats["executed"]!;
        Assert.Equal(await StateRootAsync(producer, checkedBlock), await StateRootAsync(server, checkedBlock));

        var beamOptions = common with
        {
            DataDir = Folder("beam"), Network = NodeOptions.DevnetNetwork, Sync = SyncMode.Beam,
            Bootnodes = [producerEnode, serverEnode], Port = LoopbackNode.FreePort(),
        };
        await using var beam = await LoopbackNode.StartAsync(beamOptions, new TestOutputLogs(output, "beam"));
        var relayingToBeam = producer.RelayHeadsAsync(beam, relay.Token);
        var stats = await beam.WaitForStatsAsync(s => (string)s["mode"]! == "full", TimeSpan.FromSeconds(120));
        ulong finalBlock = (ulong)stats["finalStateRootBlock"]!;
        Assert.Equal(await StateRootAsync(producer, finalBlock), (string)stats["finalStateRoot"]!);
        Assert.Equal(0L, (long)stats["finalWalkAbsentNodes"]!);
        relay.Cancel();
        await relayingToServer;
        await relayingToBeam;

        var shares = stats["fetchedByPeerAndForm"]!.AsObject();
        output.WriteLine($"full at block {finalBlock} after {(double)stats["timeToFullNodeMs"]!:0} ms; shares {shares.ToJsonString()}");
        var fromProducer = SharesOf(shares, producerEnode);
        var fromServer = SharesOf(shares, serverEnode);
        Assert.True(fromProducer.Values.Sum() > 0, "nothing fetched from the legacy producer");
        Assert.True(fromServer.Values.Sum() > 0, "nothing fetched from the modern server");
        // Each in its own forms. A session speaks the highest version both sides offer: the legacy producer's must be
        // eth/66 (GetNodeData) and snap/1 (GetTrieNodes), or the beam node would see neither its hashes nor its paths.
        var peers = (await beam.CallAsync("admin_peers"))!.AsArray();
        Assert.Equal(["eth/66", "snap/1", "wit/0"], CapsOf(peers, producerEnode));
        Assert.Equal(["eth/69", "snap/2"], CapsOf(peers, serverEnode));
        Assert.True(fromProducer.GetValueOrDefault("hash") > 0, $"nothing fetched by hash from the legacy producer: {string.Join(", ", fromProducer)}");
        Assert.Equal(0, fromServer.GetValueOrDefault("path"));
    }

    /// <summary>The capabilities a node's session with the node with <paramref name="enode"/> speaks, sorted.</summary>
    private static List<string> CapsOf(JsonArray peers, string enode)
    {
        string id = enode["enode://".Length..enode.IndexOf('@')];
        var peer = peers.Single(p => string.Equals((string)p!["id"]!, id, StringComparison.OrdinalIgnoreCase))!;
        return [.. peer["caps"]!.AsArray().Select(c => (string)c!).Order(StringComparer.Ordinal)];
    }

    /// <summary>Nodes by wire form a beam node received from the node with <paramref name="enode"/> (its sync id ends with the short node id).</summary>
    private static Dictionary<string, long> SharesOf(JsonObject shares, string enode)
    {
        string shortId = enode["enode://".Length..("enode://".Length + 8)];
        var peer = shares.Single(p => p.Key.EndsWith("-" + shortId, StringComparison.OrdinalIgnoreCase));
        return peer.Value!.AsObject().ToDictionary(form => form.Key, form => (long)form.Value!["nodes"]!);
    }

    private static async Task<ulong> HeadAsync(LoopbackNode node) => Convert.ToUInt64((string)(await node.CallAsync("eth_blockNumber"))!, 16);

    private static async Task<string> StateRootAsync(LoopbackNode node, ulong number) =>
        (string)(await node.CallAsync("eth_getBlockByNumber", LoopbackNode.Quantity(number), false))!["stateRoot"]!;

    private string Folder(string name) => _folders.CreateSubdirectory(name).FullName;

    public void Dispose()
    {
        try { _folders.Delete(recursive: true); }
        catch (IOException) { }
    }
}
