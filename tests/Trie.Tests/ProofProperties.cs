using BeamSync.Core;
using CsCheck;

namespace BeamSync.Trie.Tests;

public sealed class ProofProperties
{
    [Fact]
    public void Proofs_of_present_and_absent_keys_verify_and_tampered_ones_fail()
    {
        Gen.Int.Sample(seed =>
        {
            var r = new Random(seed);
            var trie = new PatriciaTrie(EmptyNodeSource.Instance);
            var model = new SortedDictionary<byte[], byte[]>(ByteArrayOrder.Instance);
            for (int i = 0; i < r.Next(1, 80); i++)
            {
                var k = TrieTestSupport.SmallKey(r);
                var v = TrieTestSupport.Value(r);
                model[k] = v;
                trie.Set(k, v);
            }
            var root = trie.RootHash;
            var key = r.Next(2) == 0 ? model.Keys.ElementAt(r.Next(model.Count)) : TrieTestSupport.SmallKey(r);
            var proof = Proof.Prove(trie, key);
            var proven = Proof.Verify(root, key, proof);
            Assert.Equal(model.GetValueOrDefault(key), proven);

            // A flipped byte changes a node's hash: the path no longer links up.
            var flipped = proof.Select(n => (byte[])n.Clone()).ToList();
            int which = r.Next(flipped.Count);
            flipped[which][r.Next(flipped[which].Length)] ^= (byte)(1 << r.Next(8));
            AssertRejectedOrDifferent(root, key, flipped, proven);

            // A removed node leaves a hole in the path.
            var shortened = proof.Where((_, i) => i != which).ToList();
            Assert.Throws<ProofException>(() => Proof.Verify(root, key, shortened));
        }, iter: 300);
    }

    /// <summary>A tampered proof must not prove the original answer under the original root.</summary>
    private static void AssertRejectedOrDifferent(Hash256 root, byte[] key, List<byte[]> proof, byte[]? original)
    {
        try
        {
            var value = Proof.Verify(root, key, proof);
            Assert.Fail($"tampered proof verified (value {(value is null ? "absent" : Hex.ToHex(value))}, original {(original is null ? "absent" : Hex.ToHex(original))})");
        }
        catch (ProofException) { }
    }

    [Fact]
    public void Proof_of_a_committed_trie_is_the_eth_getProof_path_from_the_root()
    {
        var r = new Random(7);
        var (store, root, entries) = TrieTestSupport.Committed(r, 500);
        var trie = new PatriciaTrie(new StoreNodeSource(store), root);
        var key = entries.Keys.ElementAt(123);
        var proof = Proof.Prove(trie, key);
        Assert.Equal(root, BeamSync.Core.Crypto.Keccak256.Hash(proof[0]));
        foreach (var node in proof) Assert.NotNull(store.Get(Db.Column.TrieNodes, BeamSync.Core.Crypto.Keccak256.Hash(node).Bytes));
        Assert.Equal(entries[key], Proof.Verify(root, key, proof));
    }
}
