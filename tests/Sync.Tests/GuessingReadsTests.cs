using BeamSync.Core;
using BeamSync.Core.Crypto;
using BeamSync.Core.Types;
using BeamSync.Db;
using BeamSync.Network.Snap;
using BeamSync.State;
using BeamSync.Sync.Accelerators;
using BeamSync.Sync.Peers;
using BeamSync.Sync.Scheduling;
using BeamSync.Trie;

namespace BeamSync.Sync.Tests;

/// <summary>Optimistic preview passes: reads of absent state ask without waiting and go on with a guess.</summary>
public sealed class GuessingReadsTests
{
    private const StateForms Modern = StateForms.ByKey | StateForms.Code;

    private static Address AddressOf(int i) => new(Keccak256.Hash(BitConverter.GetBytes(i)).Bytes[..20]);

    /// <summary>400 accounts; the first holds <paramref name="slots"/> slots (values 1000 + slot).</summary>
    private static (MemoryKeyValueStore Store, Hash256 Root) BuildState(int slots)
    {
        var store = new MemoryKeyValueStore();
        var changes = new List<AccountChange>();
        for (int i = 0; i < 400; i++)
        {
            var storage = new List<KeyValuePair<UInt256, UInt256>>();
            if (i == 0)
                for (int s = 0; s < slots; s++) storage.Add(new(new UInt256((ulong)s), new UInt256(1000 + (ulong)s)));
            changes.Add(new AccountChange(AddressOf(i), false, (ulong)i, new UInt256(1_000_000 + (ulong)i), Hash256.EmptyKeccak, null, true, storage));
        }
        var root = new TrieStateStore(store).Commit(changes);
        return (store, root);
    }

    /// <summary>One pass over the slots: the values it read (guesses where absent) and what it asked for.</summary>
    private static (List<UInt256> Values, GuessingReads Reads) Pass(StateScheduler scheduler, IKeyValueStore local, Hash256 root, int slots)
    {
        var reads = new GuessingReads(scheduler.FetcherFor(FetchKinds.Preview, root), CancellationToken.None);
        var state = reads.Store(new TrieStateStore(local, root, reads.Source(new StoreNodeSource(local))));
        var values = new List<UInt256>();
        for (int s = 0; s < slots; s++) values.Add(state.GetStorage(AddressOf(0), new UInt256((ulong)s)));
        return (values, reads);
    }

    private sealed record Setup(MemoryKeyValueStore Local, SyncMetrics Metrics, StateScheduler Scheduler, Hash256 Root);

    private static Setup Start(int slots)
    {
        var (full, root) = BuildState(slots);
        var local = new MemoryKeyValueStore();
        var metrics = new SyncMetrics();
        var scheduler = new StateScheduler(local, metrics);
        var roots = new RecentStateRoots();
        roots.Add(root);
        scheduler.AddPeer(new FakePeer("modern", full, roots, 3, Modern, 20, 25));
        return new Setup(local, metrics, scheduler, root);
    }

    /// <summary>Passes over the first <paramref name="read"/> slots until one meets nothing absent; returns its values and the passes run.</summary>
    private static async Task<(List<UInt256> Values, int Passes)> PassesUntilLocal(Setup setup, int read)
    {
        int passes = 0;
        while (true)
        {
            Assert.True(++passes <= 8, $"{passes} passes for {read} slots");
            var (values, reads) = Pass(setup.Scheduler, setup.Local, setup.Root, read);
            var asked = reads.AskForMisses();
            if (asked.Length == 0) return (values, passes);
            await Task.WhenAll(asked).WaitAsync(TimeSpan.FromSeconds(20));
        }
    }

    [Fact]
    public async Task A_pass_goes_on_past_every_absent_read_with_a_guess_and_asks_for_them_only_at_its_end()
    {
        var setup = Start(96);
        await using var _ = setup.Scheduler;
        var (first, reads) = Pass(setup.Scheduler, setup.Local, setup.Root, 96);
        Assert.All(first, v => Assert.True(v.IsZero));
        Assert.Equal(96, reads.Guesses);
        Assert.Equal(0, setup.Scheduler.Outstanding);
        var asked = reads.AskForMisses();
        Assert.NotEmpty(asked);
        await Task.WhenAll(asked).WaitAsync(TimeSpan.FromSeconds(20));
        Assert.NotEmpty(setup.Local.Iterate(Column.TrieNodes, []));
    }

    [Fact]
    public async Task Many_slots_read_under_an_absent_storage_root_come_as_the_whole_trie_in_one_round_trip_not_a_proof_each()
    {
        var setup = Start(96);
        await using var _ = setup.Scheduler;
        var (values, passes) = await PassesUntilLocal(setup, 96);
        for (int s = 0; s < 96; s++) Assert.Equal(new UInt256(1000 + (ulong)s), values[s]);
        // The account's path in one read by key, the storage trie whole in one range, a last pass that finds all local.
        Assert.Equal(3, passes);
        Assert.True(setup.Metrics.Snapshot().RoundTrips <= 3, $"{setup.Metrics.Snapshot().RoundTrips} round trips");
        FakePeer.AssertOnlyVerified(setup.Local);
    }

    [Fact]
    public async Task A_few_slots_read_under_an_absent_storage_root_come_by_key_not_with_the_whole_trie()
    {
        var setup = Start(96);
        await using var _ = setup.Scheduler;
        var (values, _) = await PassesUntilLocal(setup, 3);
        for (int s = 0; s < 3; s++) Assert.Equal(new UInt256(1000 + (ulong)s), values[s]);
        // The account's path and three slots' paths: nowhere near the 96 leaves of the whole trie.
        long storageNodes = setup.Metrics.Snapshot().NodesFetchedByKind[FetchKinds.Preview];
        Assert.True(storageNodes < 40, $"{storageNodes} nodes fetched");
        FakePeer.AssertOnlyVerified(setup.Local);
    }

    [Fact]
    public async Task An_absent_account_reads_as_absent_and_its_code_as_none_while_both_are_asked_for()
    {
        var (_, root) = BuildState(4);
        var local = new MemoryKeyValueStore();
        await using var scheduler = new StateScheduler(local, new SyncMetrics());
        var reads = new GuessingReads(scheduler.FetcherFor(FetchKinds.Preview, root), CancellationToken.None);
        var state = reads.Store(new TrieStateStore(local, root, reads.Source(new StoreNodeSource(local))));
        Assert.False(state.TryGetAccount(AddressOf(7), out _));
        Assert.Empty(state.GetCode(Keccak256.Hash([1, 2, 3])));
        Assert.Equal(2, reads.Guesses);
        Assert.Equal(2, reads.Misses);
        var asked = reads.AskForMisses();
        Assert.Equal(2, asked.Length);
        // No peer yet: the fetches wait in the scheduler; the reads did not.
        Assert.All(asked, t => Assert.False(t.IsCompleted));
    }
}
