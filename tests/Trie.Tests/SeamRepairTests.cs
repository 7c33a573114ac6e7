using BeamSync.Core;
using BeamSync.Core.Crypto;
using BeamSync.Db;

namespace BeamSync.Trie.Tests;

/// <summary>The review's repairs of the missing-node seam: atomic operations on a miss, misses that name their key, checked fetches.</summary>
public sealed class SeamRepairTests
{
    /// <summary>
    /// Deletes and sets random keys on a trie whose nodes are only local once a miss asked for them: after every miss the
    /// root must be what it was before the failed operation, and the final root must equal an independent build.
    /// </summary>
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void A_miss_leaves_the_trie_unchanged_and_a_retry_finishes_the_operation(int seed)
    {
        var r = new Random(seed);
        var (remote, root, entries) = TrieTestSupport.Committed(r, 400);
        using var local = new MemoryKeyValueStore();
        var trie = new PatriciaTrie(new StoreNodeSource(local), root);
        var keys = entries.Keys.ToList();
        int misses = 0;
        for (int op = 0; op < 200; op++)
        {
            bool delete = r.Next(3) != 0 && entries.Count > 1;
            var key = delete ? keys[r.Next(keys.Count)] : TrieTestSupport.Key32(r);
            var value = TrieTestSupport.Value(r);
            while (true)
            {
                var before = trie.RootHash;
                try
                {
                    if (delete) trie.Delete(key); else trie.Set(key, value);
                    break;
                }
                catch (MissingTrieNodeException e)
                {
                    misses++;
                    Assert.Equal(before, trie.RootHash);
                    local.Put(Column.TrieNodes, e.Hash.Bytes, remote.Get(Column.TrieNodes, e.Hash.Bytes)!);
                }
            }
            if (delete) { entries.Remove(key); keys.Remove(key); }
            else { entries[key] = value; keys.Add(key); }
        }
        Assert.True(misses > 20, $"only {misses} misses: the test did not exercise the seam");
        Assert.Equal(ReferenceTrie.Root(entries), trie.RootHash);
    }

    /// <summary>Two leaves under one branch: deleting one folds the branch into the other, whose node is absent.</summary>
    [Fact]
    public void Deleting_beside_an_absent_sibling_throws_before_changing_anything()
    {
        var remote = new MemoryKeyValueStore();
        var full = new PatriciaTrie(new StoreNodeSource(remote));
        byte[] a = Enumerable.Repeat((byte)0x10, 32).ToArray(), b = Enumerable.Repeat((byte)0xe0, 32).ToArray();
        full.Set(a, new byte[40]);
        full.Set(b, Enumerable.Repeat((byte)7, 40).ToArray());
        var root = full.Commit(remote);
        var only = new PatriciaTrie(new StoreNodeSource(new MemoryKeyValueStore()));
        only.Set(b, Enumerable.Repeat((byte)7, 40).ToArray());

        using var local = new MemoryKeyValueStore();
        var siblingHash = SiblingLeafHash(remote, root, b);
        foreach (var (key, value) in remote.Iterate(Column.TrieNodes, []))
            if (!key.AsSpan().SequenceEqual(siblingHash.Bytes)) local.Put(Column.TrieNodes, key, value);
        var trie = new PatriciaTrie(new StoreNodeSource(local), root);

        var miss = Assert.Throws<MissingTrieNodeException>(() => trie.Delete(a));
        Assert.Equal(siblingHash, miss.Hash);
        Assert.Equal(root, trie.RootHash);
        Assert.NotNull(trie.Get(a));

        local.Put(Column.TrieNodes, siblingHash.Bytes, remote.Get(Column.TrieNodes, siblingHash.Bytes)!);
        Assert.True(trie.Delete(a));
        Assert.Equal(only.RootHash, trie.RootHash);
    }

    private static Hash256 SiblingLeafHash(MemoryKeyValueStore store, Hash256 root, byte[] key)
    {
        var rootNode = (BranchNode)NodeDecoder.DecodeVerified(root, store.Get(Column.TrieNodes, root.Bytes)!);
        return ((HashNode)rootNode.Children[key[0] >> 4]!).Hash;
    }

    [Fact]
    public void A_miss_names_the_whole_key_and_the_kind_of_read()
    {
        var (remote, root, entries) = TrieTestSupport.Committed(new Random(5), 50);
        var owner = TrieOwner.Storage(Keccak256.Hash([9]));
        var key = entries.Keys.First();
        var trie = new PatriciaTrie(new StoreNodeSource(new MemoryKeyValueStore()), root, owner);
        var miss = Assert.Throws<MissingTrieNodeException>(() => trie.Get(key)).Missing;
        Assert.Equal(ReadKind.Storage, miss.Kind);
        Assert.Equal(key, miss.Key);
        Assert.Equal(owner, miss.Owner);

        var accounts = new PatriciaTrie(new StoreNodeSource(new MemoryKeyValueStore()), root);
        Assert.Equal(ReadKind.Account, Assert.Throws<MissingTrieNodeException>(() => accounts.Get(key)).Missing.Kind);

        var walked = new MissingNodeWalker(new StoreNodeSource(new MemoryKeyValueStore())).Walk(root).First();
        Assert.Equal(ReadKind.Structural, walked.Kind);
        Assert.Empty(walked.Key);
        _ = remote;
    }

    private sealed class ScriptedFetcher(Func<MissingNode, CancellationToken, Task<byte[]>> answer) : IMissingNodeFetcher
    {
        public readonly List<(MissingNode Missing, FetchPriority Priority)> Asked = [];
        public Task<byte[]> Fetch(MissingNode missing, FetchPriority priority, CancellationToken cancellation)
        {
            lock (Asked) Asked.Add((missing, priority));
            return answer(missing, cancellation);
        }
    }

    [Fact]
    public void Wrong_bytes_from_a_fetcher_are_a_miss_not_a_node()
    {
        var (_, root, entries) = TrieTestSupport.Committed(new Random(6), 50);
        var fetcher = new ScriptedFetcher((_, _) => Task.FromResult(new byte[] { 0xc0 }));
        var source = new WaitingNodeSource(new StoreNodeSource(new MemoryKeyValueStore()), fetcher, TimeSpan.FromSeconds(5));
        var e = Assert.Throws<MissingTrieNodeException>(() => new PatriciaTrie(source, root).Get(entries.Keys.First()));
        Assert.Contains("do not hash", e.Message);
        Assert.Equal(FetchPriority.Urgent, fetcher.Asked[0].Priority);

        var code = new byte[] { 0x60, 0x00 };
        var wrongCode = new ScriptedFetcher((_, _) => Task.FromResult(new byte[] { 0x60, 0x01 }));
        var codeSource = new WaitingNodeSource(new StoreNodeSource(new MemoryKeyValueStore()), wrongCode, TimeSpan.FromSeconds(5));
        Assert.Throws<MissingTrieNodeException>(() => codeSource.GetCode(Keccak256.Hash(code)));
    }

    [Fact]
    public void A_cancelled_fetch_surfaces_as_the_typed_miss()
    {
        var (_, root, entries) = TrieTestSupport.Committed(new Random(7), 50);
        using var cts = new CancellationTokenSource();
        var fetcher = new ScriptedFetcher((_, ct) => Task.Delay(Timeout.Infinite, ct).ContinueWith<byte[]>(_ => throw new OperationCanceledException(ct), TaskScheduler.Default));
        var source = new WaitingNodeSource(new StoreNodeSource(new MemoryKeyValueStore()), fetcher, TimeSpan.FromSeconds(30), cts.Token);
        cts.CancelAfter(50);
        var e = Assert.Throws<MissingTrieNodeException>(() => new PatriciaTrie(source, root).Get(entries.Keys.First()));
        Assert.Contains("cancelled", e.Message);

        var failing = new ScriptedFetcher((_, _) => Task.FromException<byte[]>(new TaskCanceledException()));
        var failingSource = new WaitingNodeSource(new StoreNodeSource(new MemoryKeyValueStore()), failing, TimeSpan.FromSeconds(30));
        Assert.Throws<MissingTrieNodeException>(() => new PatriciaTrie(failingSource, root).Get(entries.Keys.First()));
    }
}
