using BeamSync.Core;
using BeamSync.Core.Crypto;
using BeamSync.Db;
using CsCheck;

namespace BeamSync.Trie.Tests;

public sealed class SortedTrieBuilderProperties
{
    private sealed class CollectingSink : INodeSink
    {
        public Dictionary<Hash256, byte[]> Nodes { get; } = [];
        public int Puts { get; private set; }

        public void PutNode(Hash256 hash, ReadOnlySpan<byte> rlp)
        {
            Puts++;
            Assert.Equal(hash, Keccak256.Hash(rlp));
            Nodes[hash] = rlp.ToArray();
        }
    }

    /// <summary>
    /// Same root as the reference and as PatriciaTrie, the very nodes PatriciaTrie's commit writes, and every key
    /// readable back by a PatriciaTrie over the built nodes alone.
    /// </summary>
    private static void AssertBuildsLikeTheTrie(SortedDictionary<byte[], byte[]> entries)
    {
        var trie = new PatriciaTrie(EmptyNodeSource.Instance);
        foreach (var (k, v) in entries) trie.Set(k, v);
        var trieNodes = new CollectingSink();
        var expected = trie.Commit(trieNodes);
        Assert.Equal(ReferenceTrie.Root(entries), expected);

        var built = new CollectingSink();
        var root = SortedTrieBuilder.Build(entries.Keys.ToList(), entries.Values.ToList(), built);
        Assert.Equal(expected, root);
        Assert.Equal(expected, SortedTrieBuilder.Build(entries.Keys.ToList(), entries.Values.ToList()));
        Assert.Equal(trieNodes.Nodes.Keys.Order(), built.Nodes.Keys.Order());
        Assert.Equal(built.Nodes.Count, built.Puts); // each node emitted once

        using var store = new MemoryKeyValueStore();
        foreach (var (hash, rlp) in built.Nodes) store.Put(Column.TrieNodes, hash.Bytes, rlp);
        var reader = new PatriciaTrie(new StoreNodeSource(store), root);
        foreach (var (k, v) in entries) Assert.Equal(v, reader.Get(k));
        Assert.Equal(entries.Count, new TrieIterator(reader).From([]).Count());
    }

    [Fact]
    public void Keys_that_share_prefixes_and_end_inside_each_other_build_the_tries_nodes()
    {
        Gen.Int.Sample(seed =>
        {
            var r = new Random(seed);
            var entries = new SortedDictionary<byte[], byte[]>(ByteArrayOrder.Instance);
            int count = r.Next(0, 60);
            for (int i = 0; i < count; i++) entries[TrieTestSupport.SmallKey(r)] = TrieTestSupport.Value(r);
            AssertBuildsLikeTheTrie(entries);
        }, iter: 500);
    }

    [Fact]
    public void Random_32_byte_keys_with_short_and_long_values_build_the_tries_nodes()
    {
        Gen.Int.Sample(seed =>
        {
            var r = new Random(seed);
            var entries = new SortedDictionary<byte[], byte[]>(ByteArrayOrder.Instance);
            int count = r.Next(1, 3) == 1 ? r.Next(1, 4) : r.Next(1, 3000);
            for (int i = 0; i < count; i++) entries[TrieTestSupport.Key32(r)] = TrieTestSupport.Value(r);
            AssertBuildsLikeTheTrie(entries);
        }, iter: 100);
    }

    [Fact]
    public void Empty_and_single_entries_give_the_tries_roots()
    {
        Assert.Equal(Hash256.EmptyTrieRoot, SortedTrieBuilder.Build([], []));
        var single = new SortedDictionary<byte[], byte[]>(ByteArrayOrder.Instance) { [[0x12]] = [0x01] };
        AssertBuildsLikeTheTrie(single); // a root of 4 bytes, stored under its hash anyway
        var emptyKey = new SortedDictionary<byte[], byte[]>(ByteArrayOrder.Instance) { [[]] = [0x05], [[0x00]] = [0x06] };
        AssertBuildsLikeTheTrie(emptyKey);
    }

    /// <summary>Storage tries: hashed slot keys with RLP values of at most 33 bytes, mostly short enough for embedded leaves.</summary>
    [Fact]
    public void Storage_tries_from_a_sorted_run_match_the_secure_trie()
    {
        Gen.Int.Sample(seed =>
        {
            var r = new Random(seed);
            var secure = new SecureTrie(EmptyNodeSource.Instance, default, TrieOwner.Storage(Keccak256.Hash([(byte)seed])));
            var run = new SortedRun();
            int count = r.Next(0, 400);
            var owner = Keccak256.HashToArray(BitConverter.GetBytes(seed));
            var slots = new List<(byte[] Slot, byte[] Value)>();
            for (int i = 0; i < count; i++)
            {
                var slot = TrieTestSupport.Key32(r);
                var word = new byte[r.Next(1, 33)];
                r.NextBytes(word);
                word[0] |= 1; // no leading zero: the canonical encoding of a nonzero word
                var value = Rlp.EncodeBytes(word);
                secure.Set(slot, value);
                slots.Add((slot, value));
                // Under an owner prefix, as the bulk load keeps many storage tries in one run.
                run.Add([.. owner, .. Keccak256.HashToArray(slot)], value);
            }
            run.Sort();
            var sink = new CollectingSink();
            var root = SortedTrieBuilder.Build(new RunEntries(run, 0, run.Count, 32), sink);
            Assert.Equal(secure.RootHash, root);

            using var store = new MemoryKeyValueStore();
            foreach (var (hash, rlp) in sink.Nodes) store.Put(Column.TrieNodes, hash.Bytes, rlp);
            var reader = new SecureTrie(new StoreNodeSource(store), root);
            foreach (var (slot, value) in slots) Assert.Equal(value, reader.Get(slot));
        }, iter: 100);
    }

    [Fact]
    public void Unsorted_repeated_or_empty_entries_are_refused()
    {
        Assert.Throws<ArgumentException>(() => SortedTrieBuilder.Build([[0x02], [0x01]], [[1], [2]]));
        Assert.Throws<ArgumentException>(() => SortedTrieBuilder.Build([[0x01], [0x01]], [[1], [2]]));
        Assert.Throws<ArgumentException>(() => SortedTrieBuilder.Build([[0x01]], [[]]));
        Assert.Throws<ArgumentException>(() => SortedTrieBuilder.Build([[0x01]], []));
        // A run is trusted to be in order only once sorted.
        var run = new SortedRun();
        run.Add([0x02], [0x01]);
        run.Add([0x01], [0x02]);
        Assert.Throws<ArgumentException>(() => SortedTrieBuilder.Build(new RunEntries(run)));
        run.Sort();
        Assert.Equal(SortedTrieBuilder.Build([[0x01], [0x02]], [[0x02], [0x01]]), SortedTrieBuilder.Build(new RunEntries(run)));
    }
}
