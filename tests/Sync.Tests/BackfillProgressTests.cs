using System.Diagnostics;
using BeamSync.Core;
using BeamSync.Core.Types;
using BeamSync.Db;
using BeamSync.Network.Snap;
using BeamSync.Sync.Backfill;
using BeamSync.Sync.Beam;
using BeamSync.Sync.Scheduling;
using BeamSync.Trie;
using Xunit.Abstractions;

namespace BeamSync.Sync.Tests;

/// <summary>The backfill's reported fraction: what a devnet waits on before it starts a second beam node.</summary>
public sealed class BackfillProgressTests(ITestOutputHelper output)
{
    [Fact]
    public async Task The_reported_backfill_fraction_never_runs_ahead_of_the_accounts_stored_whole()
    {
        // About 15 s: a 4,000-account state (storage on every 8th) from one peer answering in 300 to 600 ms, so the
        // walk lasts several of the healer's one-second reports.
        var state = ByKeyTests.BuildState(11, 4000);
        var localStore = new MemoryKeyValueStore();
        var roots = new RecentStateRoots(1);
        roots.Add(state.Root);
        var metrics = new SyncMetrics();
        await using var scheduler = new StateScheduler(localStore, metrics);
        scheduler.CurrentRoot = state.Root;
        scheduler.AddPeer(new FakePeer("server", state.Store, roots, 3, minDelayMs: 300, maxDelayMs: 600));
        var healer = new Healer(localStore, scheduler, metrics, new SyncOptions(), new ConsoleTestLogger("healer"));
        healer.OnExecuted(new BlockHeader { StateRoot = state.Root, Number = 1 }, 16);

        var walk = healer.RunAsync(CancellationToken.None);
        var checkedFractions = new List<(double Fraction, double Whole)>();
        var clock = Stopwatch.StartNew();
        while (!walk.IsCompleted && clock.Elapsed < TimeSpan.FromSeconds(60))
        {
            var progress = metrics.Backfill;
            if (progress is { Running: true, Complete: false, Fraction: > 0 } && (checkedFractions.Count == 0 || checkedFractions[^1].Fraction != progress.Fraction))
            {
                // What the fraction counts is accounts stored whole, each with its storage; they lie evenly in the key space, so
                // at least about that share of them is (checked on a copy of the local store taken at once; a margin of 0.05).
                var copy = Copy(localStore);
                double whole = (double)state.Accounts.Count(a => StoredWhole(copy, state, a.Key, a.Body)) / state.Accounts.Count;
                Assert.True(whole >= progress.Fraction - 0.05,
                    $"fraction {progress.Fraction:P1} reported with {whole:P1} of the accounts stored whole ({progress.NodesStored} nodes stored by the walk)");
                checkedFractions.Add((progress.Fraction, whole));
            }
            await Task.Delay(10);
        }
        await walk.WaitAsync(TimeSpan.FromSeconds(60));
        output.WriteLine($"reported fraction / share of the accounts stored whole: {string.Join(", ", checkedFractions.Select(c => $"{c.Fraction:P1}/{c.Whole:P1}"))}");
        // The walk was long enough to report progress before its end: the check above checked something.
        Assert.Contains(checkedFractions, c => c.Fraction is > 0 and < 1);
        Assert.Equal(1, metrics.Backfill.Fraction);
    }

    private static MemoryKeyValueStore Copy(MemoryKeyValueStore store)
    {
        var copy = new MemoryKeyValueStore();
        foreach (var (key, value) in store.Iterate(Column.TrieNodes, [])) copy.Put(Column.TrieNodes, key, value);
        return copy;
    }

    private static bool StoredWhole(IKeyValueStore local, ByKeyTests.AccountState state, Hash256 key, byte[] body)
    {
        var source = new StoreNodeSource(local);
        try
        {
            if (!body.AsSpan().SequenceEqual(new PatriciaTrie(source, state.Root).Get(key.Bytes))) return false;
            if (!state.Storage.TryGetValue(key, out var slots)) return true;
            var storage = new PatriciaTrie(source, Account.Decode(body).StorageRoot, TrieOwner.Storage(key));
            return slots.All(s => s.Value.AsSpan().SequenceEqual(storage.Get(s.Key.Bytes)));
        }
        catch (MissingTrieNodeException)
        {
            return false;
        }
    }
}
