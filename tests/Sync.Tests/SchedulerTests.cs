using BeamSync.Core;
using BeamSync.Core.Crypto;
using BeamSync.Db;
using BeamSync.Network.Snap;
using BeamSync.Sync.Peers;
using BeamSync.Sync.Scheduling;
using BeamSync.Trie;

namespace BeamSync.Sync.Tests;

/// <summary>The state scheduler against fake peers with seeded latency, reordering, drops and faults.</summary>
public sealed class SchedulerTests
{
    private static (MemoryKeyValueStore Remote, Hash256 Root, List<(byte[] Key, byte[] Value)> Entries) RemoteState(int seed, int count)
    {
        var r = new Random(seed);
        var remote = new MemoryKeyValueStore();
        var trie = new PatriciaTrie(new StoreNodeSource(remote));
        var entries = new List<(byte[], byte[])>();
        for (int i = 0; i < count; i++)
        {
            var key = new byte[32];
            r.NextBytes(key);
            var value = new byte[r.Next(1, 80)];
            r.NextBytes(value);
            trie.Set(key, value);
            entries.Add((key, value));
        }
        var root = trie.Commit(remote);
        return (remote, root, entries);
    }

    private static RecentStateRoots Roots(Hash256 root)
    {
        var roots = new RecentStateRoots();
        roots.Add(root);
        return roots;
    }

    /// <summary>Reads keys through the blocking seam on a dedicated thread, as the executor does.</summary>
    private static List<byte[]?> ReadAll(StateScheduler scheduler, IKeyValueStore local, Hash256 root, IEnumerable<byte[]> keys, string kind = FetchKinds.Urgent)
    {
        var results = new List<byte[]?>();
        var thread = new Thread(() =>
        {
            var source = new WaitingNodeSource(new StoreNodeSource(local), scheduler.FetcherFor(kind), TimeSpan.FromSeconds(20));
            var trie = new PatriciaTrie(source, root);
            foreach (var key in keys) results.Add(trie.Get(key));
        });
        thread.Start();
        Assert.True(thread.Join(TimeSpan.FromSeconds(60)), "reads did not finish");
        return results;
    }

    [Theory]
    [InlineData(1, StateForms.ByHash)]
    [InlineData(2, StateForms.ByPath)]
    [InlineData(3, StateForms.ByHash | StateForms.ByPath)]
    public async Task Reads_through_the_scheduler_return_the_remote_values(int seed, StateForms forms)
    {
        var (remote, root, entries) = RemoteState(seed, 3000);
        var local = new MemoryKeyValueStore();
        var metrics = new SyncMetrics();
        await using var scheduler = new StateScheduler(local, metrics);
        scheduler.CurrentRoot = root;
        var roots = Roots(root);
        for (int i = 0; i < 3; i++) scheduler.AddPeer(new FakePeer($"p{i}", remote, roots, seed * 10 + i, forms, 1, 15));
        var keys = entries.Take(200).ToList();
        var results = ReadAll(scheduler, local, root, keys.Select(k => k.Key));
        for (int i = 0; i < keys.Count; i++) Assert.Equal(keys[i].Value, results[i]);
        FakePeer.AssertOnlyVerified(local);
        var stats = metrics.Snapshot();
        Assert.True(stats.NodesFetchedByKind[FetchKinds.Urgent] > 0);
        if (forms == StateForms.ByPath)
            // A whole path per round trip: far fewer round trips than nodes.
            Assert.True(stats.RoundTrips * 2 < stats.DistinctNodesReceived, $"{stats.RoundTrips} round trips for {stats.DistinctNodesReceived} nodes");
    }

    [Theory]
    [InlineData(FakeFault.WrongBytes)]
    [InlineData(FakeFault.Empty)]
    [InlineData(FakeFault.Late)]
    [InlineData(FakeFault.Silent)]
    public async Task A_bad_peer_is_penalized_routed_around_and_nothing_of_it_is_stored(FakeFault fault)
    {
        var (remote, root, entries) = RemoteState(7, 2000);
        var local = new MemoryKeyValueStore();
        await using var scheduler = new StateScheduler(local, new SyncMetrics(), new SchedulerOptions { MinTimeout = TimeSpan.FromMilliseconds(100) });
        scheduler.CurrentRoot = root;
        var roots = Roots(root);
        var bad = new FakePeer("bad", remote, roots, 1, minDelayMs: 0, maxDelayMs: 1, fault: fault);
        var good = new FakePeer("good", remote, roots, 2, minDelayMs: 20, maxDelayMs: 40);
        scheduler.AddPeer(bad);
        scheduler.AddPeer(good);
        var keys = entries.Take(60).ToList();
        var results = ReadAll(scheduler, local, root, keys.Select(k => k.Key));
        for (int i = 0; i < keys.Count; i++) Assert.Equal(keys[i].Value, results[i]);
        FakePeer.AssertOnlyVerified(local);
        Assert.NotEmpty(bad.Faults);
        Assert.True(good.NodesServed > 0);
    }

    [Fact]
    public async Task Concurrent_readers_of_one_node_share_one_request()
    {
        var (remote, root, entries) = RemoteState(9, 500);
        var local = new MemoryKeyValueStore();
        var metrics = new SyncMetrics();
        await using var scheduler = new StateScheduler(local, metrics);
        scheduler.CurrentRoot = root;
        var peer = new FakePeer("p", remote, Roots(root), 3, StateForms.ByHash, 30, 30);
        scheduler.AddPeer(peer);
        var missing = MissingNode.Structural(root, TrieOwner.AccountTrie, []);
        var tasks = Enumerable.Range(0, 20).Select(_ => scheduler.FetchAsync(missing, FetchPriority.Urgent, FetchKinds.Urgent)).ToArray();
        var results = await Task.WhenAll(tasks).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.All(results, r => Assert.Equal(root, Keccak256.Hash(r)));
        Assert.Equal(1, peer.Requests);
        Assert.Equal(0, metrics.Snapshot().DuplicateNodesReceived);
    }
}

public sealed class SchedulerBackfillTests
{
    [Fact]
    public async Task Structural_backfill_wants_are_served_by_path()
    {
        var r = new Random(4);
        var remote = new MemoryKeyValueStore();
        var trie = new PatriciaTrie(new StoreNodeSource(remote));
        for (int i = 0; i < 500; i++) { var k = new byte[32]; r.NextBytes(k); trie.Set(k, new byte[40]); }
        var root = trie.Commit(remote);
        var roots = new RecentStateRoots();
        roots.Add(root);
        var local = new MemoryKeyValueStore();
        await using var scheduler = new StateScheduler(local, new SyncMetrics());
        scheduler.AddPeer(new FakePeer("p", remote, roots, 1, StateForms.ByPath));
        var bytes = await scheduler.FetchAsync(MissingNode.Structural(root, TrieOwner.AccountTrie, []), FetchPriority.Backfill, FetchKinds.Backfill, root).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(root, Keccak256.Hash(bytes));
        var node = (BranchNode)NodeDecoder.Decode(root, bytes);
        var child = ((HashNode)node.Children[3]!).Hash;
        var childBytes = await scheduler.FetchAsync(MissingNode.Structural(child, TrieOwner.AccountTrie, [3]), FetchPriority.Backfill, FetchKinds.Backfill, root).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(child, Keccak256.Hash(childBytes));
    }
}
