using BeamSync.Core;
using BeamSync.Db;
using CsCheck;

namespace BeamSync.Trie.Tests;

public sealed class TrieReferenceProperties
{
    [Fact]
    public void Random_inserts_and_deletes_match_the_reference_root()
    {
        Gen.Int.Sample(seed =>
        {
            var r = new Random(seed);
            var trie = new PatriciaTrie(EmptyNodeSource.Instance);
            var model = new SortedDictionary<byte[], byte[]>(ByteArrayOrder.Instance);
            int ops = r.Next(1, 120);
            for (int i = 0; i < ops; i++)
            {
                var key = TrieTestSupport.SmallKey(r);
                if (r.Next(3) == 0 && model.Count > 0)
                {
                    var existing = model.Keys.ElementAt(r.Next(model.Count));
                    Assert.True(trie.Delete(existing));
                    model.Remove(existing);
                }
                else if (r.Next(5) == 0)
                {
                    Assert.Equal(model.Remove(key), trie.Delete(key));
                }
                else
                {
                    var value = TrieTestSupport.Value(r);
                    model[key] = value;
                    trie.Set(key, value);
                }
                if (r.Next(10) == 0) Assert.Equal(ReferenceTrie.Root(model), trie.RootHash);
            }
            Assert.Equal(ReferenceTrie.Root(model), trie.RootHash);
            foreach (var (k, v) in model) Assert.Equal(v, trie.Get(k));
        }, iter: 300);
    }

    [Fact]
    public void Committed_trie_reloads_from_the_store_and_keeps_changing_correctly()
    {
        Gen.Int.Sample(seed =>
        {
            var r = new Random(seed);
            using var store = new MemoryKeyValueStore();
            var model = new SortedDictionary<byte[], byte[]>(ByteArrayOrder.Instance);
            Hash256 root = Hash256.EmptyTrieRoot;
            for (int round = 0; round < 4; round++)
            {
                // A fresh instance each round: everything it reads comes back from the store.
                var trie = new PatriciaTrie(new StoreNodeSource(store), root);
                for (int i = 0; i < 30; i++)
                {
                    var key = TrieTestSupport.SmallKey(r);
                    if (r.Next(4) == 0) { model.Remove(key); trie.Delete(key); }
                    else { var v = TrieTestSupport.Value(r); model[key] = v; trie.Set(key, v); }
                }
                root = trie.Commit(store, unload: r.Next(2) == 0);
                Assert.Equal(ReferenceTrie.Root(model), root);
            }
            var reloaded = new PatriciaTrie(new StoreNodeSource(store), root);
            foreach (var (k, v) in model) Assert.Equal(v, reloaded.Get(k));
        }, iter: 100);
    }

    /// <summary>
    /// Rounds large enough to take the parallel encoding path (thousands of changes), committed through bounded batches
    /// small enough to split every commit, then read back from the store by a fresh instance.
    /// </summary>
    [Fact]
    public void Large_changes_encoded_in_parallel_and_written_in_bounded_batches_match_the_reference()
    {
        Gen.Int.Sample(seed =>
        {
            var r = new Random(seed);
            using var store = new MemoryKeyValueStore();
            var model = new SortedDictionary<byte[], byte[]>(ByteArrayOrder.Instance);
            var root = Hash256.EmptyTrieRoot;
            for (int round = 0; round < 2; round++)
            {
                var trie = new PatriciaTrie(new StoreNodeSource(store), root);
                for (int i = 0; i < 3000; i++)
                {
                    var key = TrieTestSupport.Key32(r);
                    if (model.Count > 0 && r.Next(6) == 0)
                    {
                        var existing = model.Keys.ElementAt(r.Next(model.Count));
                        Assert.True(trie.Delete(existing));
                        model.Remove(existing);
                    }
                    else { var v = TrieTestSupport.Value(r); model[key] = v; trie.Set(key, v); }
                }
                using var writer = new BoundedBatchWriter(store, maxBatchBytes: 4096);
                root = trie.Commit(new BoundedNodeSink(writer), unload: true);
                writer.Complete();
                Assert.True(writer.Count > 100);
                Assert.Equal(ReferenceTrie.Root(model), root);
            }
            var reloaded = new PatriciaTrie(new StoreNodeSource(store), root);
            foreach (var (k, v) in model) Assert.Equal(v, reloaded.Get(k));
        }, iter: 4);
    }

    [Fact]
    public void Iteration_is_in_key_order_and_seek_starts_at_the_first_key_not_below()
    {
        Gen.Int.Sample(seed =>
        {
            var r = new Random(seed);
            var trie = new PatriciaTrie(EmptyNodeSource.Instance);
            var model = new SortedDictionary<byte[], byte[]>(ByteArrayOrder.Instance);
            for (int i = 0; i < r.Next(0, 60); i++)
            {
                var key = TrieTestSupport.SmallKey(r);
                var v = TrieTestSupport.Value(r);
                model[key] = v;
                trie.Set(key, v);
            }
            var all = new TrieIterator(trie).From([]).ToList();
            Assert.Equal(model.Count, all.Count);
            Assert.Equal(model.Keys.Select(k => Hex.ToHex(k)), all.Select(e => Hex.ToHex(e.Key)));
            var start = TrieTestSupport.SmallKey(r);
            var expected = model.Keys.Where(k => ByteArrayOrder.Instance.Compare(k, start) >= 0).Select(k => Hex.ToHex(k));
            Assert.Equal(expected, new TrieIterator(trie).From(start).Select(e => Hex.ToHex(e.Key)));
        }, iter: 200);
    }

    [Fact]
    public void Root_of_an_emptied_trie_is_the_empty_root_and_nothing_is_committed()
    {
        using var store = new MemoryKeyValueStore();
        var trie = new PatriciaTrie(new StoreNodeSource(store));
        trie.Set([1, 2], [3]);
        trie.Delete([1, 2]);
        Assert.Equal(Hash256.EmptyTrieRoot, trie.Commit(store));
        Assert.Equal(0, store.Count(Column.TrieNodes));
    }
}
