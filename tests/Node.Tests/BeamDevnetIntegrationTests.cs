using System.Diagnostics;
using System.Text.Json.Nodes;
using BeamSync.Node.Options;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace BeamSync.Node.Tests;

/// <summary>
/// Issue 12's (and, against a modern server, issue 15's) Done-when list on a scaled-down devnet in this process: a producer and one fresh beam node (the genesis
/// header and no state) on loopback over real TCP with the devnet link model (50 ms round trip, 2 MB/s uplink, 16
/// served roots), the beam node's head driven as <c>beamsync devnet</c> drives it. Scaled down: a smaller state, fewer
/// transactions, 1 s blocks (the state is still about 60,000 nodes: the devnet's four large contracts have 10,000
/// slots each). Then the beam node is stopped and started again on its datadir. Took 80 s with the machine at load 60;
/// most of it is the backfill.
/// </summary>
[Collection(LoopbackNodesCollection.Name)]
public sealed class BeamDevnetIntegrationTests(ITestOutputHelper output) : IDisposable
{
    private const int Accounts = 3_000, Contracts = 30;
    private readonly string _root = Directory.CreateTempSubdirectory("beamsync-devnet-it-").FullName;

    /// <param name="serve">
    /// The producer's serving profile: every wire form, or only what today's peers serve (issue 15: snap/2 ranges and
    /// codes, no trie nodes by hash or path, no witnesses), where backfill is ranges alone.
    /// </param>
    [Theory]
    [InlineData(ServeMode.All)]
    [InlineData(ServeMode.Modern)]
    public async Task A_fresh_beam_node_verifies_from_its_first_block_keeps_up_backfills_ends_full_with_the_producers_root_and_restarts_full(ServeMode serve)
    {
        var clock = Stopwatch.StartNew();
        var common = LoopbackNode.DevnetOptions(Accounts, Contracts, NodeOptions.DevnetStateWindow, NodeOptions.DevnetStateWindow / 2);
        // The nodes' logs go to the test's output: a failure shows what they said (warnings of the producer, the beam node's whole story).
        await using var producer = await LoopbackNode.StartAsync(common with { DataDir = Folder("producer"), Dev = true, Port = LoopbackNode.FreePort(), Serve = serve },
            new TestOutputLogs(output, "producer", LogLevel.Warning));
        var enode = (string)(await producer.CallAsync("admin_nodeInfo"))!["enode"]!;
        var beamOptions = common with { DataDir = Folder("beam"), Network = NodeOptions.DevnetNetwork, Sync = SyncMode.Beam, Bootnodes = [enode], Port = LoopbackNode.FreePort() };

        JsonNode stats;
        await using (var beam = await LoopbackNode.StartAsync(beamOptions, new TestOutputLogs(output, "beam")))
        {
            using var relay = new CancellationTokenSource();
            var relaying = producer.RelayHeadsAsync(beam, relay.Token);

            stats = await beam.WaitForStatsAsync(s => s["timeToFirstVerifiedBlockMs"] is not null, TimeSpan.FromSeconds(30));
            ulong pivot = (ulong)stats["pivot"]!;
            double firstMs = (double)stats["timeToFirstVerifiedBlockMs"]!;
            long localAtFirst = (long)stats["localStateNodesAtFirstBlock"]!;
            var parent = (await producer.CallAsync("eth_getBlockByNumber", LoopbackNode.Quantity(pivot - 1), false))!;
            long pivotState = Convert.ToInt64((string)(await producer.CallAsync("beamsync_stateNodeCount", (string)parent["stateRoot"]!))!, 16);
            output.WriteLine($"first block {pivot} verified {firstMs:0} ms after the first connect attempt; {localAtFirst} of {pivotState} state nodes local " +
                $"({(double)localAtFirst / pivotState:P1}); timeline {stats["firstBlockTimeline"]!.ToJsonString()}");
            Assert.Equal(0L, (long)stats["localStateNodesAtStart"]!);
            // Under 10% with every wire form. Against a modern server (no witness) the first block asks only what it reads,
            // a storage trie whole only where it reads many of its slots (a 10,000-slot contract's range is cut at the
            // byte limit): at this scale the four 10,000-slot contracts are 60% of the state, and prefetch bringing a
            // touched one whole was over 10% by itself (7.2-8.0% since).
            Assert.True(localAtFirst < pivotState / 10, $"{localAtFirst} of {pivotState} state nodes local at the first block: not under 10%");
            Assert.True(stats["nodesFetchedByKind"]!.AsObject().Where(k => k.Key != "backfill").Sum(k => (long)k.Value!) > 0, "no state fetched on demand");
            // The 2 s (2.5 s against a modern server) of the issue are measured on a quiet machine by `beamsync devnet`
            // (docs/BENCHMARKS.md); here the bound is the wait above, as a shared machine at load 70 took 15 s. Against a
            // modern server the first block no longer waits out the accelerators' 3 s (1.0-2.2 s at load 3-35): a bound
            // with a loaded machine's margin.
            if (serve == ServeMode.Modern)
                Assert.True(firstMs < 12_000, $"first block verified only {firstMs:0} ms after the first connect attempt against a modern server");

            stats = await beam.WaitForStatsAsync(s => (string)s["mode"]! == "full", TimeSpan.FromSeconds(90));
            ulong finalBlock = (ulong)stats["finalStateRootBlock"]!;
            var atFinal = (await producer.CallAsync("eth_getBlockByNumber", LoopbackNode.Quantity(finalBlock), false))!;
            Assert.Equal((string)atFinal["stateRoot"]!, (string)stats["finalStateRoot"]!);
            Assert.Equal(0L, (long)stats["finalWalkAbsentNodes"]!);
            Assert.True((bool)stats["backfill"]!["complete"]!);
            // Backfill keeps up with a peer's uplink, not its round trips: full within 20 blocks of the pivot (3 to 6 in
            // the runs so far, either profile; against a modern server 31 while backfill held 4 requests of 64 KiB
            // whatever its answers' size and a cut range's unreached tries waited 250 ms as failed).
            Assert.True(finalBlock - pivot <= 20, $"full only at block {finalBlock}, {finalBlock - pivot} blocks after the pivot");
            output.WriteLine($"full after {(double)stats["timeToFullNodeMs"]!:0} ms at block {finalBlock}; root {(string)stats["finalStateRoot"]!} equals the producer's");

            // Full, it keeps verifying: every block from the pivot on, none skipped, never more than 2 behind the head.
            stats = await beam.WaitForStatsAsync(s => (ulong)s["executed"]! >= finalBlock + 3, TimeSpan.FromSeconds(20));
            relay.Cancel();
            await relaying;
            Assert.Equal(0, (int)stats["pivots"]!);
            Assert.Equal((long)((ulong)stats["executed"]! - pivot + 1), (long)stats["blocksExecuted"]!);
            // Steady state: past the first few blocks (the first waits for its state while heads keep coming), within
            // 2 blocks of the head; 9 in 10 blocks, a margin for a loaded machine.
            var steadyLags = stats["blocks"]!.AsArray().Skip(5).Select(b => (long)b!["lag"]!).Order().ToList();
            Assert.NotEmpty(steadyLags);
            Assert.True(steadyLags[(int)(steadyLags.Count * 0.9)] <= 2, $"steady-state lags {string.Join(",", steadyLags)}");
            output.WriteLine($"verified blocks {pivot}..{(ulong)stats["executed"]!}, lag max {(long)stats["lagMax"]!}, steady-state lags {string.Join(",", steadyLags)}, after {clock.Elapsed.TotalSeconds:0.0} s");
        }

        // A restart on the same datadir: full from the start, it fetches no state and goes on verifying.
        await using var restarted = await LoopbackNode.StartAsync(beamOptions with { Port = LoopbackNode.FreePort() }, new TestOutputLogs(output, "restarted"));
        stats = (await restarted.CallAsync("beamsync_syncStats"))!;
        Assert.Equal("full", (string)stats["mode"]!);
        ulong before = (ulong)stats["executed"]!;
        using (var relay = new CancellationTokenSource())
        {
            var relaying = producer.RelayHeadsAsync(restarted, relay.Token);
            stats = await restarted.WaitForStatsAsync(s => (ulong)s["executed"]! >= before + 3, TimeSpan.FromSeconds(30));
            relay.Cancel();
            await relaying;
        }
        Assert.Equal("full", (string)stats["mode"]!);
        Assert.Equal(0L, (long)stats["roundTrips"]!);
        Assert.All(stats["nodesFetchedByKind"]!.AsObject(), kind => Assert.Equal(0L, (long)kind.Value!));
        output.WriteLine($"restarted full at block {before}, verified up to {(ulong)stats["executed"]!} with 0 state fetched; {clock.Elapsed.TotalSeconds:0.0} s in all");
    }

    private string Folder(string name) => Directory.CreateDirectory(Path.Combine(_root, name)).FullName;

    public void Dispose()
    {
        try { Directory.Delete(_root, recursive: true); }
        catch (IOException) { }
    }
}
