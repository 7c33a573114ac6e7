using BeamSync.Core;
using BeamSync.Core.Types;
using BeamSync.Db;
using BeamSync.Network.Snap;
using BeamSync.Sync.Backfill;
using BeamSync.Sync.Beam;
using BeamSync.Sync.Scheduling;
using BeamSync.Trie;
using Xunit.Abstractions;
using Xunit.Sdk;

namespace BeamSync.Sync.Tests;

/// <summary>
/// Backfill killed at random moments, in process (<see cref="CrashModelStore"/>): the completeness marks on what
/// survives agree with a full walk, and a restart on it resumes, finishes with the whole state, and fetches almost
/// nothing twice.
/// </summary>
public sealed class BackfillCrashTests(ITestOutputHelper output)
{
    /// <summary>A healer with its scheduler and two good peers over <paramref name="remote"/>, walking <paramref name="root"/>.</summary>
    private sealed class Backfill : IAsyncDisposable
    {
        private readonly CancellationTokenSource _cts = new();
        private readonly FakePeer[] _peers;
        public readonly SyncMetrics Metrics = new();
        public readonly StateScheduler Scheduler;
        public readonly Task Run;

        public Backfill(IKeyValueStore local, IKeyValueStore remote, Hash256 root, int seed)
        {
            var roots = new RecentStateRoots(1);
            roots.Add(root);
            Scheduler = new StateScheduler(local, Metrics) { CurrentRoot = root };
            _peers = [new FakePeer($"p{seed}", remote, roots, seed, minDelayMs: 1, maxDelayMs: 6), new FakePeer($"q{seed}", remote, roots, seed + 1, minDelayMs: 1, maxDelayMs: 6)];
            foreach (var peer in _peers) Scheduler.AddPeer(peer);
            var healer = new Healer(local, Scheduler, Metrics, new SyncOptions(), new ConsoleTestLogger("healer"));
            healer.OnExecuted(new BlockHeader { StateRoot = root, Number = 1 }, 16);
            Run = healer.RunAsync(_cts.Token);
        }

        /// <summary>Nodes and codes the peers sent, counted at the peers (arrivals a kill cut off included).</summary>
        public long Served => _peers.Sum(p => (long)p.NodesServed);

        public async ValueTask DisposeAsync()
        {
            _cts.Cancel();
            try { await Run; }
            catch (OperationCanceledException) { }
            await Scheduler.DisposeAsync();
        }
    }

    private static SubtrieCompletion Audit(IKeyValueStore store, Hash256 root, out long absent)
    {
        var walker = new MissingNodeWalker(new StoreNodeSource(store), AccountLeafDescender.Instance, _ => throw new XunitException("corrupt node"), new CompletenessMarks(store), MarkUse.Audit);
        absent = walker.Walk(root).LongCount();
        return walker.Completion!;
    }

    [Fact]
    public async Task Marks_after_a_kill_at_random_moments_agree_with_a_full_walk_and_a_restart_resumes_fetching_almost_nothing_twice()
    {
        // About 25 s at load average 60 on 2 cores: ten trials over a 1,200-account state (storage on every 8th), each killed once and resumed twice.
        var state = ByKeyTests.BuildState(17, 1200);
        int stateNodes = state.Store.Count(Column.TrieNodes);
        var random = new Random(1717);
        long marksSurvivingPowerLoss = 0, received = 0, receivedTwice = 0, served = 0;
        for (int trial = 0; trial < 10; trial++)
        {
            var local = new CrashModelStore();
            int killAt = (int)(stateNodes * (0.05 + 0.9 * random.NextDouble()));
            long servedBefore;
            await using (var before = new Backfill(local, state.Store, state.Root, 100 + trial))
            {
                var deadline = DateTime.UtcNow.AddSeconds(30);
                while (local.Count(Column.TrieNodes) < killAt && !before.Run.IsCompleted && DateTime.UtcNow < deadline) await Task.Delay(1);
                local.Crash();
                servedBefore = before.Served;
                received += before.Metrics.DistinctReceived + before.Metrics.Snapshot().DuplicateNodesReceived;
                receivedTwice += before.Metrics.Snapshot().DuplicateNodesReceived;
            }
            int logged = local.LoggedWrites;
            var killed = local.Recover(logged);
            var powerLoss = local.Recover(random.Next(logged + 1));

            // No mark on either survivor names a subtrie with anything absent below it.
            foreach (var (name, survivor) in new[] { ("kill -9", killed), ("power loss", powerLoss) })
            {
                var audit = Audit(survivor, state.Root, out long absent);
                Assert.True(audit.FalseMarks.Count == 0, $"trial {trial}, {name}: {audit.FalseMarks.Count} false marks");
                if (name == "power loss") marksSurvivingPowerLoss += audit.MarksConfirmed;
                output.WriteLine($"trial {trial} ({name}): {survivor.Count(Column.TrieNodes)} of {stateNodes} nodes, {absent} absent, {audit.MarksConfirmed} marks confirmed");
            }

            // Both restart, resume and end complete: the root marked, the full walk finding nothing absent and no false mark.
            foreach (var survivor in new[] { killed, powerLoss })
            {
                await using var after = new Backfill(survivor, state.Store, state.Root, 200 + trial);
                // Generous: the whole project's tests run beside it, and the machine may be loaded far past its 2 cores.
                await after.Run.WaitAsync(TimeSpan.FromSeconds(120));
                var audit = Audit(survivor, state.Root, out long absent);
                Assert.Equal(0, absent);
                Assert.Empty(audit.FalseMarks);
                Assert.True(new CompletenessMarks(survivor).IsComplete(state.Root));
                if (survivor != killed) continue;
                var stats = after.Metrics.Snapshot();
                received += stats.DistinctNodesReceived + stats.DuplicateNodesReceived;
                receivedTwice += stats.DuplicateNodesReceived;
                served += servedBefore + after.Served;
            }
        }
        Assert.True(marksSurvivingPowerLoss > 0, "no trial left a mark to check");
        // Received twice: an arrival already local (the node's metrics). Served beyond the state: answers in flight at the kill.
        double refetched = (double)receivedTwice / received;
        output.WriteLine($"received {received}, received twice {receivedTwice} ({refetched:P2}); served {served} for {10 * stateNodes} state nodes");
        Assert.True(refetched < 0.01, $"{receivedTwice} of {received} nodes received twice");
    }
}
