using BeamSync.Core;
using BeamSync.Core.Crypto;
using BeamSync.Db;

namespace BeamSync.Trie.Tests;

/// <summary>Both modes of the missing-node seam, driven by a fake remote that answers late from another thread.</summary>
public sealed class SeamTests
{
    /// <summary>Stands in for the network: delivers nodes from a complete store after a delay, on a pool thread.</summary>
    private sealed class LateFetcher(IKeyValueStore remote, IKeyValueStore local, int delayMs) : IMissingNodeFetcher
    {
        public readonly List<MissingNode> Requests = [];

        public Task<byte[]> Fetch(MissingNode missing, FetchPriority priority, CancellationToken cancellation)
        {
            lock (Requests) Requests.Add(missing);
            return Task.Run(async () =>
            {
                await Task.Delay(delayMs, cancellation);
                var bytes = remote.Get(missing.IsCode ? Column.Code : Column.TrieNodes, missing.Hash.Bytes)!;
                local.Put(missing.IsCode ? Column.Code : Column.TrieNodes, missing.Hash.Bytes, bytes);
                return bytes;
            }, cancellation);
        }
    }

    private sealed class NeverFetcher : IMissingNodeFetcher
    {
        public Task<byte[]> Fetch(MissingNode missing, FetchPriority priority, CancellationToken cancellation) => new TaskCompletionSource<byte[]>().Task;
    }

    private static (MemoryKeyValueStore Remote, Hash256 Root, SortedDictionary<byte[], byte[]> Entries) Remote() =>
        TrieTestSupport.Committed(new Random(11), 300);

    [Fact]
    public void Abort_mode_throws_with_hash_path_and_owner_and_a_retry_after_the_fetch_succeeds()
    {
        var (remote, root, entries) = Remote();
        using var local = new MemoryKeyValueStore();
        var owner = TrieOwner.Storage(Keccak256.Hash([1, 2, 3]));
        var key = entries.Keys.ElementAt(200);
        int attempts = 0;
        byte[]? value = null;
        while (value is null)
        {
            attempts++;
            try
            {
                // The "block executor": a fresh trie per attempt, as a re-run block gets.
                value = new PatriciaTrie(new StoreNodeSource(local), root, owner).Get(key);
                Assert.NotNull(value);
            }
            catch (MissingTrieNodeException e)
            {
                Assert.Equal(owner, e.Owner);
                Assert.True(Nibbles.FromBytes(key).AsSpan().StartsWith(e.Path), "the path leads towards the key");
                if (attempts == 1) { Assert.Equal(root, e.Hash); Assert.Empty(e.Path); }
                // The fetch happens on another thread; the executor waits for it, then re-runs.
                var fetcher = new Thread(() => local.Put(Column.TrieNodes, e.Hash.Bytes, remote.Get(Column.TrieNodes, e.Hash.Bytes)!));
                fetcher.Start();
                fetcher.Join();
            }
            Assert.True(attempts < 70);
        }
        Assert.Equal(entries[key], value);
        Assert.True(attempts > 2, "the path has several hash-referenced nodes to fetch");
    }

    [Fact]
    public void Blocking_mode_waits_for_nodes_delivered_late_from_another_thread()
    {
        var (remote, root, entries) = Remote();
        using var local = new MemoryKeyValueStore();
        var fetcher = new LateFetcher(remote, local, delayMs: 20);
        var source = new WaitingNodeSource(new StoreNodeSource(local), fetcher, TimeSpan.FromSeconds(10));
        var trie = new PatriciaTrie(source, root);
        foreach (var key in entries.Keys.Take(20)) Assert.Equal(entries[key], trie.Get(key));
        Assert.NotEmpty(fetcher.Requests);
        Assert.Equal(root, fetcher.Requests[0].Hash);
        // A second trie over the same local store finds everything without asking again.
        int asked = fetcher.Requests.Count;
        var again = new PatriciaTrie(source, root);
        foreach (var key in entries.Keys.Take(20)) Assert.Equal(entries[key], again.Get(key));
        Assert.Equal(asked, fetcher.Requests.Count);
    }

    [Fact]
    public void Blocking_mode_times_out_into_the_abort_signal_and_honours_cancellation()
    {
        var (_, root, entries) = Remote();
        using var local = new MemoryKeyValueStore();
        var timedOut = new PatriciaTrie(new WaitingNodeSource(new StoreNodeSource(local), new NeverFetcher(), TimeSpan.FromMilliseconds(50)), root);
        var e = Assert.Throws<MissingTrieNodeException>(() => timedOut.Get(entries.Keys.First()));
        Assert.Equal(root, e.Hash);

        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));
        var cancelled = new PatriciaTrie(new WaitingNodeSource(new StoreNodeSource(local), new NeverFetcher(), TimeSpan.FromMinutes(1), cts.Token), root);
        // Cancellation is the same typed miss as a timeout, never an OperationCanceledException or AggregateException.
        Assert.Contains("cancelled", Assert.Throws<MissingTrieNodeException>(() => cancelled.Get(entries.Keys.First())).Message);
    }

    [Fact]
    public void A_node_whose_bytes_do_not_match_its_hash_is_an_error_naming_the_hash()
    {
        var (remote, root, entries) = Remote();
        var rootBytes = remote.Get(Column.TrieNodes, root.Bytes)!;
        var tampered = (byte[])rootBytes.Clone();
        tampered[^1] ^= 1;
        remote.Put(Column.TrieNodes, root.Bytes, tampered);
        var e = Assert.Throws<TrieNodeCorruptException>(() => new PatriciaTrie(new StoreNodeSource(remote), root).Get(entries.Keys.First()));
        Assert.Equal(root, e.Hash);
        Assert.Contains(root.ToString(), e.Message);

        // Bytes that hash right but are not a node.
        var junk = new byte[] { 0xc3, 0x01, 0x02, 0x03 };
        var junkHash = Keccak256.Hash(junk);
        remote.Put(Column.TrieNodes, junkHash.Bytes, junk);
        var d = Assert.Throws<TrieNodeCorruptException>(() => new PatriciaTrie(new StoreNodeSource(remote), junkHash).Get([1]));
        Assert.Equal(junkHash, d.Hash);
    }

    [Fact]
    public void Deleting_can_meet_a_missing_sibling_and_reports_it()
    {
        var store = new MemoryKeyValueStore();
        var trie = new PatriciaTrie(new StoreNodeSource(store));
        byte[] a = [0x10, .. new byte[31]], b = [0x20, .. new byte[31]];
        trie.Set(a, new byte[40]);
        trie.Set(b, Enumerable.Repeat((byte)7, 40).ToArray()); // differs from a's leaf, or the two leaves would share one node
        var root = trie.Commit(store);
        var full = new PatriciaTrie(new StoreNodeSource(store), root);
        var siblingHash = Keccak256.Hash(Proof.Prove(full, b)[^1]);
        store.Delete(Column.TrieNodes, siblingHash.Bytes);
        var e = Assert.Throws<MissingTrieNodeException>(() => new PatriciaTrie(new StoreNodeSource(store), root).Delete(a));
        Assert.Equal(siblingHash, e.Hash);
        Assert.Equal([2], e.Path);
    }
}
