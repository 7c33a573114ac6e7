using System.Diagnostics;
using BeamSync.Core;
using BeamSync.Core.Types;
using BeamSync.Db;
using BeamSync.Network.Snap;
using BeamSync.Sync.Backfill;
using BeamSync.Sync.Beam;
using BeamSync.Sync.Scheduling;
using BeamSync.Trie;

namespace BeamSync.Sync.Tests;

/// <summary>The backfill's reported fraction: what a devnet waits on before it starts a second beam node.</summary>
public sealed class BackfillProgressTests
{
    [Fact]
    public async Task The_reported_backfill_fraction_never_runs_ahead_of_the_accounts_stored_whole()
    {
        // About 5 s: a 4,000-account state (storage on every 8th) from one peer answering in 100 to 200 ms, so the
        // walk lasts several of the healer's one-second reports.
        var state = ByKeyTests.BuildState(11, 4000);
        var local = new MemoryKeyValueStore();
        var roots = new RecentStateRoots(1);
        roots.Add(state.Root);
        var metrics = new SyncMetrics();
        await using var scheduler = new StateScheduler(local, metrics);
        scheduler.CurrentRoot = state.Root;
        scheduler.AddPeer(new FakePeer("server", state.Store, roots, 3, minDelayMs: 100, maxDelayMs: 200));
        var healer = new Healer(local, scheduler, metrics, new SyncOptions(), new ConsoleTestLogger("healer"));
        healer.OnExecuted(new BlockHeader { StateRoot = state.Root, Number = 1 }, 16);

        var walk = healer.RunAsync(CancellationToken.None);
        var checkedFractions = new List<(double Fraction, int AccountsBefore)>();
        var clock = Stopwatch.StartNew();
        while (!walk.IsCompleted && clock.Elapsed < TimeSpan.FromSeconds(60))
        {
            var progress = metrics.Backfill;
            if (progress is { Running: true, Complete: false, Fraction: > 0 } && (checkedFractions.Count == 0 || checkedFractions[^1].Fraction != progress.Fraction))
            {
                // Every account before the fraction is local, with its whole storage.
                var before = state.Accounts.Where(a => Healer.AccountKeyFraction(a.Key) < progress.Fraction).ToList();
                var source = new StoreNodeSource(local);
                var accounts = new PatriciaTrie(source, state.Root);
                foreach (var (key, body) in before)
                {
                    var read = Record.Exception(() => Assert.Equal(body, accounts.Get(key.Bytes)));
                    Assert.True(read is null, $"fraction {progress.Fraction:P1} reported, {progress.NodesStored} nodes stored; account {key} (at {Healer.AccountKeyFraction(key):P1}) is not local: {read?.Message}");
                    if (!state.Storage.TryGetValue(key, out var slots)) continue;
                    var storage = new PatriciaTrie(source, Account.Decode(body).StorageRoot, TrieOwner.Storage(key));
                    foreach (var (slot, value) in slots) Assert.Equal(value, storage.Get(slot.Bytes));
                }
                checkedFractions.Add((progress.Fraction, before.Count));
            }
            await Task.Delay(10);
        }
        await walk.WaitAsync(TimeSpan.FromSeconds(60));
        // The walk was long enough to report progress before its end: the check above checked something.
        Assert.Contains(checkedFractions, c => c.Fraction is > 0 and < 1);
        Assert.Equal(1, metrics.Backfill.Fraction);
    }
}
