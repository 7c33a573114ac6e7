using BeamSync.Core;
using BeamSync.Core.Crypto;
using BeamSync.Db;

namespace BeamSync.Trie.Tests;

public sealed class WalkerTests
{
    /// <summary>A state with accounts, some with storage and code, committed into a store.</summary>
    internal static (MemoryKeyValueStore Store, Hash256 Root) State(int accounts)
    {
        var r = new Random(21);
        var store = new MemoryKeyValueStore();
        var allocs = new List<AccountAlloc>();
        for (int i = 0; i < accounts; i++)
        {
            var addr = new byte[20];
            r.NextBytes(addr);
            var storage = new Dictionary<UInt256, UInt256>();
            if (i % 3 == 0)
                for (int s = 0; s < r.Next(1, 40); s++) storage[new UInt256((ulong)r.Next())] = new UInt256((ulong)r.Next(1, int.MaxValue));
            var code = i % 4 == 0 ? Enumerable.Range(0, 50 + i).Select(x => (byte)x).ToArray() : [];
            allocs.Add(new AccountAlloc(new Address(addr), (ulong)i, new UInt256((ulong)r.Next()), code, storage));
        }
        using var batch = store.StartBatch();
        var root = StateTrieBuilder.ComputeRoot(allocs, new BatchNodeSink(batch), (h, c) => batch.Put(Column.Code, h.Bytes, c));
        batch.Commit();
        return (store, root);
    }

    [Fact]
    public void Complete_state_has_nothing_missing_and_every_stored_node_is_visited()
    {
        var (store, root) = State(200);
        var walker = new MissingNodeWalker(new StoreNodeSource(store), AccountLeafDescender.Instance);
        Assert.Empty(walker.Walk(root));
        Assert.Equal(store.Count(Column.TrieNodes), walker.NodesVisited);
    }

    [Fact]
    public void Backfill_loop_heals_a_sparse_store_until_the_walker_finds_nothing()
    {
        var (full, root) = State(200);
        using var local = new MemoryKeyValueStore();
        int rounds = 0, fetched = 0;
        bool sawStorage = false, sawCode = false;
        while (true)
        {
            var missing = new MissingNodeWalker(new StoreNodeSource(local), AccountLeafDescender.Instance).Walk(root).ToList();
            if (missing.Count == 0) break;
            foreach (var m in missing)
            {
                var column = m.IsCode ? Column.Code : Column.TrieNodes;
                var bytes = full.Get(column, m.Hash.Bytes);
                Assert.NotNull(bytes); // the walker only reports what really exists under the root
                Assert.False(local.Has(column, m.Hash.Bytes));
                local.Put(column, m.Hash.Bytes, bytes);
                sawStorage |= !m.Owner.IsAccountTrie;
                sawCode |= m.IsCode;
                fetched++;
            }
            Assert.True(++rounds < 100);
        }
        Assert.True(sawStorage && sawCode);
        Assert.Equal(full.Count(Column.TrieNodes) + full.Count(Column.Code), fetched);
    }

    [Fact]
    public void Reports_a_deleted_node_with_its_path_and_resumes_from_a_path()
    {
        var (store, root) = State(300);
        var trie = new PatriciaTrie(new StoreNodeSource(store), root);
        // Remove the node at path [7] (a child of the root branch).
        var victim = new MissingNodeWalker(new StoreNodeSource(store)).Walk(root).ToList();
        Assert.Empty(victim);
        var rootNode = NodeDecoder.Decode(root, store.Get(Column.TrieNodes, root.Bytes)!);
        var child = (HashNode)((BranchNode)rootNode).Children[7]!;
        store.Delete(Column.TrieNodes, child.Hash.Bytes);

        var missing = new MissingNodeWalker(new StoreNodeSource(store), AccountLeafDescender.Instance).Walk(root).ToList();
        var only = Assert.Single(missing);
        Assert.Equal(child.Hash, only.Hash);
        Assert.Equal([7], only.Path);
        Assert.True(only.Owner.IsAccountTrie);

        // Resuming past the hole skips it; resuming before it finds it again.
        Assert.Empty(new MissingNodeWalker(new StoreNodeSource(store)).Walk(root, [8]));
        Assert.Single(new MissingNodeWalker(new StoreNodeSource(store)).Walk(root, [7, 3]));
        _ = trie;
    }

    [Fact]
    public void A_corrupt_node_and_an_absent_one_are_both_reported_and_the_walk_goes_on()
    {
        var (store, root) = State(300);
        var rootNode = (BranchNode)NodeDecoder.Decode(root, store.Get(Column.TrieNodes, root.Bytes)!);
        var absent = ((HashNode)rootNode.Children[3]!).Hash;
        var corrupt = ((HashNode)rootNode.Children[9]!).Hash;
        store.Delete(Column.TrieNodes, absent.Bytes);
        var bytes = store.Get(Column.TrieNodes, corrupt.Bytes)!;
        bytes[^1] ^= 1; // one flipped bit, as a bad disk would leave it
        store.Put(Column.TrieNodes, corrupt.Bytes, bytes);

        Assert.Throws<TrieNodeCorruptException>(() => new MissingNodeWalker(new StoreNodeSource(store)).Walk(root).ToList());
        var found = new List<CorruptNode>();
        var walker = new MissingNodeWalker(new StoreNodeSource(store), AccountLeafDescender.Instance, found.Add);
        var missing = walker.Walk(root).ToList();
        Assert.Equal(absent, Assert.Single(missing).Hash);
        var bad = Assert.Single(found);
        Assert.Equal(corrupt, bad.Hash);
        Assert.Equal([9], bad.Path);
        Assert.Contains("hash", bad.Reason);
        // The other fourteen children's subtries (most of the state) were still read.
        Assert.True(walker.NodesVisited > store.Count(Column.TrieNodes) / 2);
    }
}
