using BeamSync.Core;
using BeamSync.Core.Crypto;
using BeamSync.Db;
using BeamSync.Network.Snap;
using BeamSync.Sync.Peers;
using BeamSync.Sync.Scheduling;
using BeamSync.Trie;

namespace BeamSync.Sync.Tests;

/// <summary>The in-process serving peer of <c>test-fixtures --beam</c>, behind a real scheduler that verifies it as it would a remote peer.</summary>
public sealed class StoreSyncPeerTests
{

    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    private static byte[] Blob(int seed, int length = 40)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    private static (MemoryKeyValueStore Serving, Hash256 Node, Hash256 Code) ServingStore()
    {
        var serving = new MemoryKeyValueStore();
        var node = Blob(1);
        var code = Blob(2, 300);
        serving.Put(Column.TrieNodes, Keccak256.Hash(node).Bytes, node);
        serving.Put(Column.Code, Keccak256.Hash(code).Bytes, code);
        return (serving, Keccak256.Hash(node), Keccak256.Hash(code));
    }

    [Fact]
    public async Task Nodes_and_code_come_through_the_scheduler_verified_and_stored_with_no_problem()
    {
        var (serving, node, code) = ServingStore();
        var local = new MemoryKeyValueStore();
        var peer = new StoreSyncPeer(serving);
        await using var scheduler = new StateScheduler(local, new SyncMetrics(), StoreSyncPeer.InProcessDeadlines);
        scheduler.AddPeer(peer);

        var gotNode = await scheduler.FetchByHashAsync(node, FetchPriority.Urgent, FetchKinds.Urgent).WaitAsync(Wait);
        var gotCode = await scheduler.FetchAsync(MissingNode.Code(code), FetchPriority.Urgent, FetchKinds.Urgent).WaitAsync(Wait);

        Assert.Equal(node, Keccak256.Hash(gotNode));
        Assert.Equal(code, Keccak256.Hash(gotCode));
        Assert.NotNull(local.Get(Column.TrieNodes, node.Bytes));
        Assert.NotNull(local.Get(Column.Code, code.Bytes));
        Assert.Empty(peer.Problems);
    }

    [Fact]
    public async Task Given_its_state_roots_it_serves_reads_by_path_too()
    {
        var serving = new MemoryKeyValueStore();
        var trie = new PatriciaTrie(new StoreNodeSource(serving));
        var keys = Enumerable.Range(0, 200).Select(i => Keccak256.Hash(BitConverter.GetBytes(i)).Bytes.ToArray()).ToList();
        foreach (var key in keys) trie.Set(key, key[..8]);
        var root = trie.Commit(serving);
        var roots = new RecentStateRoots();
        roots.Add(root);
        var local = new MemoryKeyValueStore();
        var peer = new StoreSyncPeer(serving, "s", roots);
        var metrics = new SyncMetrics();
        await using var scheduler = new StateScheduler(local, metrics, StoreSyncPeer.InProcessDeadlines);
        scheduler.CurrentRoot = root;
        scheduler.AddPeer(peer);

        var values = new List<byte[]?>();
        var reader = new Thread(() =>
        {
            var source = new WaitingNodeSource(new StoreNodeSource(local), scheduler.FetcherFor(FetchKinds.Urgent), Wait);
            var read = new PatriciaTrie(source, root);
            foreach (var key in keys) values.Add(read.Get(key));
        });
        reader.Start();
        Assert.True(reader.Join(Wait), "reads did not finish");

        Assert.Equal(StateForms.ByHash | StateForms.ByPath, peer.Forms);
        Assert.Equal(keys.Select(k => k[..8]), values);
        Assert.True(metrics.Snapshot().NodesFetchedByForm[WireForms.Path] > 0);
        Assert.Empty(peer.Problems);
    }

    [Fact]
    public async Task Bytes_that_do_not_hash_to_their_key_are_penalized_as_wrong_data_and_not_stored()
    {
        var (serving, node, _) = ServingStore();
        var wrong = Blob(1);
        wrong[^1] ^= 0x5a;
        serving.Put(Column.TrieNodes, node.Bytes, wrong);
        var local = new MemoryKeyValueStore();
        var peer = new StoreSyncPeer(serving);
        var problem = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        peer.ProblemFound += p => problem.TrySetResult(p);
        await using var scheduler = new StateScheduler(local, new SyncMetrics(), StoreSyncPeer.InProcessDeadlines);
        scheduler.AddPeer(peer);

        var fetch = scheduler.FetchByHashAsync(node, FetchPriority.Urgent, FetchKinds.Urgent);

        Assert.Contains(nameof(PeerFault.WrongData), await problem.Task.WaitAsync(Wait));
        Assert.False(fetch.IsCompletedSuccessfully);
        Assert.Null(local.Get(Column.TrieNodes, node.Bytes));
    }

    [Fact]
    public async Task A_hash_the_serving_store_does_not_hold_is_reported_and_nothing_else_is_answered()
    {
        var (serving, node, code) = ServingStore();
        var absent = Keccak256.Hash(Blob(3));
        var peer = new StoreSyncPeer(serving, "s");
        var problems = new List<string>();
        peer.ProblemFound += p => { lock (problems) problems.Add(p); };

        var answer = await peer.GetNodesByHashAsync([absent, node, code], CancellationToken.None).WaitAsync(Wait);

        Assert.Equal([node, code], answer.Select(b => Keccak256.Hash(b)));
        var only = Assert.Single(peer.Problems);
        Assert.Contains(absent.ToString(), only);
        Assert.Equal([only], problems);
    }

    [Fact]
    public async Task It_offers_state_by_hash_only_and_refuses_the_rest_with_a_typed_error()
    {
        var peer = new StoreSyncPeer(new MemoryKeyValueStore());
        Assert.Equal(StateForms.ByHash, peer.Forms);
        Assert.False(peer.IsBeamSyncing);
        await Assert.ThrowsAsync<NotSupportedException>(() => peer.GetByteCodesAsync([], 1024, CancellationToken.None));
        await Assert.ThrowsAsync<NotSupportedException>(() => peer.GetWitnessHashesAsync(default, CancellationToken.None));
    }
}
