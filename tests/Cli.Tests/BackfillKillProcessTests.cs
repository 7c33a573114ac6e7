using System.Diagnostics;
using BeamSync.Cli.Devnet;
using BeamSync.Node.Options;
using BeamSync.Sync;
using Xunit.Abstractions;

namespace BeamSync.Cli.Tests;

/// <summary>
/// Issue 12's "kill -9 during backfill, then restart: it resumes, and nodes fetched twice stay under 1% of all
/// fetched", with real processes: a devnet producer and a beam node as <c>beamsync run</c> processes on loopback with the
/// devnet link model, heads relayed to the beam node as <c>beamsync devnet</c> relays them. The beam node is killed
/// (SIGKILL) once its backfill is at least a quarter done, started again on the same datadir, and followed until it is
/// full with the producer's root. Scaled down: a small state (about 60,000 nodes), 2 s blocks and a 64-root window, so a
/// loaded machine's slow blocks do not push the node past its pivot lag.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed class BackfillKillProcessTests(ITestOutputHelper output) : IDisposable
{
    private const double KillAtFraction = 0.25, MaxFetchedTwice = 0.01;
    private static readonly TimeSpan BackfillWait = TimeSpan.FromSeconds(180), FullWait = TimeSpan.FromSeconds(300);
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(60) };
    private readonly string _runDir = Directory.CreateTempSubdirectory("beamsync-backfill-kill-").FullName;

    [Fact]
    public async Task A_beam_node_killed_during_backfill_resumes_on_restart_ends_full_with_the_producers_root_and_fetches_under_one_percent_twice()
    {
        var clock = Stopwatch.StartNew();
        var template = new NodeOptions
        {
            DataDir = "", Seed = 5, StateAccounts = 3_000, StateContracts = 30, TxsPerBlock = 30, BlockTime = TimeSpan.FromSeconds(2),
            StateWindow = 64, PivotLag = 32, LatencyMs = NodeOptions.DevnetLatencyMs, BandwidthBytesPerSecond = NodeOptions.DevnetBandwidthBytesPerSecond,
            LogLevel = Microsoft.Extensions.Logging.LogLevel.Information,
        };
        var producerPorts = new ChildPorts(BeamsyncProcesses.FreePort(), BeamsyncProcesses.FreePort());
        var beamPorts = new ChildPorts(BeamsyncProcesses.FreePort(), BeamsyncProcesses.FreePort());
        await using var producer = BeamsyncProcesses.Start("producer", ChildArguments.Producer(template, Folder("producer"), producerPorts), _runDir);
        var producerRpc = Rpc(producerPorts);
        var enode = await UntilAnsweredAsync(producer, () => producerRpc.EnodeAsync(CancellationToken.None));
        string[] beamArgs = ChildArguments.BeamNode(template, Folder("beam"), beamPorts, [enode]);
        var beamRpc = Rpc(beamPorts);
        using var relayStop = new CancellationTokenSource();
        var relaying = RelayHeadsAsync(producerRpc, beamRpc, relayStop.Token);

        SyncStats beforeKill;
        await using (var beam = BeamsyncProcesses.Start("beam-1", beamArgs, _runDir))
        {
            beforeKill = await WaitForStatsAsync(beam, beamRpc, s => s.Backfill.Fraction >= KillAtFraction, BackfillWait);
            beam.Kill();
            Assert.True(await beam.WaitForExitAsync(TimeSpan.FromSeconds(30)), "the beam node did not die");
        }
        output.WriteLine($"killed at backfill {beforeKill.Backfill.Fraction:P0} ({beforeKill.Backfill.NodesStored} nodes stored), block {beforeKill.Executed}, " +
            $"after {clock.Elapsed.TotalSeconds:0} s; {Counts(beforeKill)}");

        SyncStats full, resumedAt;
        await using (var beam = BeamsyncProcesses.Start("beam-2", beamArgs, _runDir))
        {
            resumedAt = await WaitForStatsAsync(beam, beamRpc, s => s.Backfill.Running || s.Mode == "full", BackfillWait);
            full = await WaitForStatsAsync(beam, beamRpc, s => s.Mode == "full", FullWait);
            await relayStop.CancelAsync();
            await relaying;
        }
        output.WriteLine($"restarted: backfill resumed at {resumedAt.Backfill.Fraction:P0}; full after {clock.Elapsed.TotalSeconds:0} s at block {full.FinalStateRootBlock}; {Counts(full)}");

        var atFinal = await producerRpc.BlockAsync(full.FinalStateRootBlock!.Value, CancellationToken.None);
        Assert.Equal(atFinal!.Value.StateRoot, full.FinalStateRoot);
        Assert.Equal(0L, full.FinalWalkAbsentNodes);

        long fetchedTwice = beforeKill.DuplicateNodesReceived + full.DuplicateNodesReceived;
        long fetched = beforeKill.DistinctNodesReceived + full.DistinctNodesReceived + fetchedTwice;
        double fraction = (double)fetchedTwice / fetched;
        output.WriteLine($"over both runs: {fetchedTwice} of {fetched} nodes fetched twice ({fraction:P2}); " +
            $"proof nodes already local (not refetches) {beforeKill.ProofNodesAlreadyLocal + full.ProofNodesAlreadyLocal}; {clock.Elapsed.TotalSeconds:0} s in all");
        Assert.True(fraction < MaxFetchedTwice, $"{fetchedTwice} of {fetched} nodes fetched twice ({fraction:P2})");
    }

    private static string Counts(SyncStats s) =>
        $"received {s.DistinctNodesReceived}, fetched twice {s.DuplicateNodesReceived} " +
        $"({string.Join(", ", s.DuplicateNodesBySource.Where(p => p.Value > 0).Select(p => $"{p.Key} {p.Value}"))}), proof nodes already local {s.ProofNodesAlreadyLocal}, pivots {s.Pivots}";

    private static NodeRpcClient Rpc(ChildPorts ports) => new(Http, new Uri($"http://{ChildArguments.Loopback}:{ports.Rpc}/"));

    /// <summary>Calls until the process answers (it is starting up); fails when it exits or takes over 60 s.</summary>
    private static async Task<T> UntilAnsweredAsync<T>(ChildProcess process, Func<Task<T>> call)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            Assert.False(process.HasExited, $"{process.Name} exited with {process.ExitCode}: {process.LogTail(20)}");
            try { return await call(); }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or NodeRpcException && DateTime.UtcNow < deadline) { }
            await Task.Delay(200);
        }
    }

    /// <summary>Polls the beam node's stats until <paramref name="condition"/> holds; fails with the latest stats after <paramref name="timeout"/>.</summary>
    private static async Task<SyncStats> WaitForStatsAsync(ChildProcess beam, NodeRpcClient rpc, Func<SyncStats, bool> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var stats = await UntilAnsweredAsync(beam, () => rpc.SyncStatsAsync(CancellationToken.None));
            if (condition(stats)) return stats;
            Assert.True(DateTime.UtcNow < deadline,
                $"timed out: mode {stats.Mode}, executed {stats.Executed}, head {stats.Head}, backfill {stats.Backfill}, pivots {stats.Pivots}; {beam.LogTail(20)}");
            await Task.Delay(100);
        }
    }

    /// <summary>Hands each new producer head to the beam node, as <c>beamsync devnet</c> does; a beam node that is down misses it.</summary>
    private static async Task RelayHeadsAsync(NodeRpcClient producer, NodeRpcClient beam, CancellationToken ct)
    {
        ulong after = 0;
        while (!ct.IsCancellationRequested)
        {
            try
            {
                if (await producer.WaitForHeadAsync(after, TimeSpan.FromMilliseconds(500), ct) is not { } head) continue;
                await beam.NewHeadAsync(head.Hash, ct);
                after = head.Number;
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested) { return; }
            catch (Exception e) when (e is HttpRequestException or NodeRpcException or OperationCanceledException)
            {
                try { await Task.Delay(200, ct); }
                catch (OperationCanceledException) { return; }
            }
        }
    }

    private string Folder(string name) => Directory.CreateDirectory(Path.Combine(_runDir, name)).FullName;

    public void Dispose()
    {
        try { Directory.Delete(_runDir, recursive: true); }
        catch (IOException) { }
    }
}
