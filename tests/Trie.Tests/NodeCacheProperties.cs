using BeamSync.Core;
using BeamSync.Db;
using CsCheck;

namespace BeamSync.Trie.Tests;

/// <summary>
/// The node cache changes where bytes come from, never what a trie computes: blocks of random changes, each in a
/// fresh trie over the cached store (as every block opens fresh tries), give the reference trie's roots whatever the
/// budget, including one so small that entries are evicted all the time; and the cache really serves reads.
/// </summary>
public sealed class NodeCacheProperties
{
    /// <summary>64 shards of 1 KB: a young generation of about three nodes per shard, so nearly every block evicts.</summary>
    private const long TinyBudget = 64 * 1024;

    [Theory]
    [InlineData(TinyBudget)]
    [InlineData(16L << 20)]
    public void Blocks_of_random_changes_through_the_cache_give_the_reference_roots(long budget)
    {
        Gen.Int.Sample(seed =>
        {
            var r = new Random(seed);
            using var cached = new CachingNodeStore(new MemoryKeyValueStore(), budget);
            var model = new SortedDictionary<byte[], byte[]>(ByteArrayOrder.Instance);
            var root = Hash256.EmptyTrieRoot;
            for (int block = 0; block < 6; block++)
            {
                var trie = new PatriciaTrie(new StoreNodeSource(cached), root);
                // Some blocks are large enough for the parallel encoding path.
                int changes = r.Next(4) == 0 ? 2200 : r.Next(1, 80);
                for (int i = 0; i < changes; i++)
                {
                    if (model.Count > 0 && r.Next(4) == 0)
                    {
                        var existing = model.Keys.ElementAt(r.Next(model.Count));
                        Assert.True(trie.Delete(existing));
                        model.Remove(existing);
                    }
                    else
                    {
                        var key = r.Next(3) == 0 ? TrieTestSupport.SmallKey(r) : TrieTestSupport.Key32(r);
                        var value = TrieTestSupport.Value(r);
                        model[key] = value;
                        trie.Set(key, value);
                    }
                }
                root = trie.Commit(cached);
                Assert.Equal(ReferenceTrie.Root(model), root);
                Assert.True(cached.Nodes.SizeBytes <= cached.Nodes.CapacityBytes);
            }
            var reader = new PatriciaTrie(new StoreNodeSource(cached), root);
            foreach (var (k, v) in model) Assert.Equal(v, reader.Get(k));
        }, iter: 5);
    }

    [Fact]
    public void Nodes_written_by_one_block_are_read_by_the_next_from_the_cache_not_the_store()
    {
        var r = new Random(17);
        var counting = new CountingStore(new MemoryKeyValueStore());
        using var cached = new CachingNodeStore(counting, 16L << 20);
        var trie = new PatriciaTrie(new StoreNodeSource(cached));
        var keys = Enumerable.Range(0, 500).Select(_ => TrieTestSupport.Key32(r)).ToList();
        foreach (var key in keys) trie.Set(key, TrieTestSupport.Value(r));
        var root = trie.Commit(cached);

        var next = new PatriciaTrie(new StoreNodeSource(cached), root);
        foreach (var key in keys) Assert.NotNull(next.Get(key));
        Assert.Equal(0, counting.NodeReads);
        Assert.True(cached.Nodes.Hits > 500);
    }

    [Fact]
    public void A_deleted_node_is_neither_served_nor_reported_present()
    {
        using var cached = new CachingNodeStore(new MemoryKeyValueStore(), 1L << 20);
        var hash = new Hash256(Enumerable.Repeat((byte)7, 32).ToArray());
        cached.Put(Column.TrieNodes, hash.Bytes, [1, 2, 3]);
        Assert.Equal([1, 2, 3], cached.Get(Column.TrieNodes, hash.Bytes));
        cached.Delete(Column.TrieNodes, hash.Bytes);
        Assert.Null(cached.Get(Column.TrieNodes, hash.Bytes));
        Assert.False(cached.Has(Column.TrieNodes, hash.Bytes));

        using (var batch = cached.StartBatch())
        {
            batch.Put(Column.TrieNodes, hash.Bytes, [4]);
            batch.Delete(Column.TrieNodes, hash.Bytes);
            Assert.Null(cached.Get(Column.TrieNodes, hash.Bytes));
            batch.Commit();
        }
        Assert.Null(cached.Get(Column.TrieNodes, hash.Bytes));
        Assert.False(cached.Has(Column.TrieNodes, hash.Bytes));
    }

    [Fact]
    public void The_cache_stays_within_its_budget_and_keeps_what_was_read_last()
    {
        Gen.Int.Sample(seed =>
        {
            var r = new Random(seed);
            long budget = r.Next(1, 64) * 64L * 1024;
            var cache = new NodeCache(budget);
            // The newest entry of each shard (shards by the hash's first byte, 64 of them).
            var newestByShard = new Dictionary<int, (Hash256 Hash, byte[] Value)>();
            for (int i = 0; i < 5000; i++)
            {
                var hash = new Hash256(TrieTestSupport.Key32(r));
                var value = TrieTestSupport.Value(r);
                cache.Set(hash, value);
                newestByShard[hash.Bytes[0] & 63] = (hash, value);
                Assert.True(cache.SizeBytes <= budget);
            }
            foreach (var (hash, value) in newestByShard.Values) Assert.Same(value, cache.Get(hash));
        }, iter: 20);
    }

    /// <summary>Counts reads of trie nodes that reach the store beneath the cache.</summary>
    private sealed class CountingStore(IKeyValueStore inner) : IKeyValueStore
    {
        public int NodeReads;

        public byte[]? Get(Column column, ReadOnlySpan<byte> key)
        {
            if (column == Column.TrieNodes) Interlocked.Increment(ref NodeReads);
            return inner.Get(column, key);
        }

        public int Get(Column column, ReadOnlySpan<byte> key, Span<byte> destination)
        {
            if (column == Column.TrieNodes) Interlocked.Increment(ref NodeReads);
            return inner.Get(column, key, destination);
        }

        public bool Has(Column column, ReadOnlySpan<byte> key) => inner.Has(column, key);
        public void Put(Column column, ReadOnlySpan<byte> key, ReadOnlySpan<byte> value) => inner.Put(column, key, value);
        public void Delete(Column column, ReadOnlySpan<byte> key) => inner.Delete(column, key);
        public IEnumerable<KeyValuePair<byte[], byte[]>> Iterate(Column column, byte[] prefix) => inner.Iterate(column, prefix);
        public IWriteBatch StartBatch() => inner.StartBatch();
        public void Dispose() => inner.Dispose();
    }
}
