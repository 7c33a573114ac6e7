using BeamSync.Core;
using BeamSync.Core.Types;
using BeamSync.Db;
using BeamSync.Network.Snap;
using BeamSync.Sync.Backfill;
using BeamSync.Sync.Beam;
using BeamSync.Sync.Peers;
using BeamSync.Sync.Scheduling;
using BeamSync.Trie;

namespace BeamSync.Sync.Tests;

/// <summary>
/// Backfill without heal requests (docs/ARCHITECTURE.md, "Backfill without heal requests"): peers that serve only
/// ranges, at executed roots; absent subtries are asked as the ranges of their key intervals.
/// </summary>
public sealed class RangeBackfillTests
{
    private const StateForms Modern = StateForms.ByKey | StateForms.Code;

    private sealed class CollectingSink : INodeSink
    {
        public readonly Dictionary<Hash256, byte[]> Nodes = [];
        public void PutNode(Hash256 hash, ReadOnlySpan<byte> rlp) => Nodes[hash] = rlp.ToArray();
    }

    /// <summary>A block's state change: new bodies for <paramref name="count"/> accounts; returns the root and the nodes it wrote.</summary>
    private static (Hash256 Root, Dictionary<Hash256, byte[]> Written) Execute(IKeyValueStore remote, Hash256 root, ByKeyTests.AccountState state, int first, int count, ulong nonce)
    {
        var trie = new PatriciaTrie(new StoreNodeSource(remote), root);
        for (int i = first; i < first + count; i++)
        {
            var key = state.Accounts[i * 7 % state.Accounts.Count].Key;
            var body = Rlp.EncodeList(Rlp.Encode(nonce), Rlp.Encode(nonce * 3 + 1), Rlp.EncodeBytes(Hash256.EmptyTrieRoot.Bytes), Rlp.EncodeBytes(Hash256.EmptyKeccak.Bytes));
            trie.Set(key.Bytes, body);
        }
        var sink = new CollectingSink();
        var newRoot = trie.Commit(sink);
        foreach (var (hash, rlp) in sink.Nodes) remote.Put(Column.TrieNodes, hash.Bytes, rlp);
        return (newRoot, sink.Nodes);
    }

    private static long Absent(IKeyValueStore local, Hash256 root) =>
        new MissingNodeWalker(new StoreNodeSource(local), AccountLeafDescender.Instance).Walk(root).LongCount();

    /// <summary>One healer pass over <paramref name="root"/> with two peers that serve ranges at that root only.</summary>
    private static async Task<SyncStats> BackfillAsync(IKeyValueStore local, IKeyValueStore remote, Hash256 root, ulong number)
    {
        var roots = new RecentStateRoots(1);
        roots.Add(root);
        var metrics = new SyncMetrics();
        await using var scheduler = new StateScheduler(local, metrics);
        scheduler.CurrentRoot = root;
        for (int i = 0; i < 2; i++) scheduler.AddPeer(new FakePeer($"modern{i}", remote, roots, 40 + i, Modern, 1, 5));
        var healer = new Healer(local, scheduler, metrics, new SyncOptions(), new ConsoleTestLogger("healer"));
        healer.OnExecuted(new BlockHeader { StateRoot = root, Number = number }, 16);
        var reached = await healer.RunAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(root, reached.Header.StateRoot);
        return metrics.Snapshot();
    }

    [Fact]
    public async Task Ranges_at_executed_roots_and_execution_cover_the_newest_root_and_a_pivot_leaves_only_what_ranges_of_intervals_fill()
    {
        // About 8 s: three passes over a 4,000-account state (storage on every 8th) against in-memory peers.
        var state = ByKeyTests.BuildState(6, 4000);
        var remote = state.Store;
        var local = new MemoryKeyValueStore();

        // The pivot's state, backfilled by ranges alone: the walker then finds nothing absent.
        var stats = await BackfillAsync(local, remote, state.Root, 1);
        Assert.Equal(0, Absent(local, state.Root));
        Assert.Equal(stats.RoundTrips, stats.RoundTripsByForm.GetValueOrDefault(WireForms.Key));
        // Subtries come whole: far fewer round trips than nodes.
        Assert.True(stats.RoundTrips * 10 < stats.DistinctNodesReceived, $"{stats.RoundTrips} round trips for {stats.DistinctNodesReceived} nodes");

        // Executing a block writes every node it changes: the newest root is then complete with no fetch at all.
        var (executed, written) = Execute(remote, state.Root, state, 0, 40, 1000);
        foreach (var (hash, rlp) in written) local.Put(Column.TrieNodes, hash.Bytes, rlp);
        Assert.Equal(0, Absent(local, executed));

        // A pivot skips blocks: what they changed and no executed block rewrote is absent under the newest root...
        var (skipped, _) = Execute(remote, executed, state, 100, 60, 2000);
        var (afterPivot, writtenAfterPivot) = Execute(remote, skipped, state, 130, 10, 3000);
        foreach (var (hash, rlp) in writtenAfterPivot) local.Put(Column.TrieNodes, hash.Bytes, rlp);
        long absent = Absent(local, afterPivot);
        Assert.True(absent > 0);
        // ...and ranges over those subtries' intervals, at the executed root, fill it.
        await BackfillAsync(local, remote, afterPivot, 3);
        Assert.Equal(0, Absent(local, afterPivot));
        FakePeer.AssertOnlyVerified(local);
    }
}
