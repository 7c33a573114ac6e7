using BeamSync.Core;
using CsCheck;

namespace BeamSync.Trie.Tests;

public sealed class RangeProofProperties
{
    private static (PatriciaTrie Trie, byte[][] Keys, byte[][] Values) RandomTrie(Random r, int count)
    {
        var trie = new PatriciaTrie(EmptyNodeSource.Instance);
        var model = new SortedDictionary<byte[], byte[]>(ByteArrayOrder.Instance);
        for (int i = 0; i < count; i++)
        {
            var k = TrieTestSupport.Key32(r);
            var v = TrieTestSupport.Value(r);
            model[k] = v;
            trie.Set(k, v);
        }
        return (trie, model.Keys.ToArray(), model.Values.ToArray());
    }

    /// <summary>A key strictly between the neighbours of index <paramref name="i"/>'s predecessor and it, when one exists.</summary>
    private static byte[] OriginBefore(byte[][] keys, int i)
    {
        var origin = (byte[])keys[i].Clone();
        for (int b = 31; b >= 0; b--)
        {
            if (origin[b] == 0) { origin[b] = 0xff; continue; }
            origin[b]--;
            break;
        }
        return i > 0 && ByteArrayOrder.Instance.Compare(origin, keys[i - 1]) <= 0 ? keys[i] : origin;
    }

    [Fact]
    public void Ranges_with_edge_proofs_verify_and_report_more_to_the_right()
    {
        Gen.Int.Sample(seed =>
        {
            var r = new Random(seed);
            var (trie, keys, values) = RandomTrie(r, r.Next(1, 200));
            var root = trie.RootHash;
            int first = r.Next(keys.Length), last = r.Next(first, keys.Length);
            var origin = r.Next(2) == 0 ? keys[first] : OriginBefore(keys, first);
            var proof = RangeProof.Prove(trie, origin, keys[last]);
            var rangeKeys = keys[first..(last + 1)];
            var rangeValues = values[first..(last + 1)];
            bool more = RangeProof.Verify(root, origin, rangeKeys, rangeValues, proof);
            Assert.Equal(last < keys.Length - 1, more);

            // A gap: an entry left out of the middle.
            if (rangeKeys.Length >= 3)
            {
                int gap = r.Next(1, rangeKeys.Length - 1);
                Assert.Throws<ProofException>(() => RangeProof.Verify(root, origin,
                    rangeKeys.Where((_, i) => i != gap).ToArray(), rangeValues.Where((_, i) => i != gap).ToArray(), proof));
            }
            // A changed value.
            var changed = rangeValues.Select(v => (byte[])v.Clone()).ToArray();
            changed[r.Next(changed.Length)][0] ^= 1;
            Assert.Throws<ProofException>(() => RangeProof.Verify(root, origin, rangeKeys, changed, proof));
            // A removed proof node.
            var missing = proof.Where((_, i) => i != r.Next(proof.Count)).ToList();
            if (missing.Count < proof.Count)
                Assert.Throws<ProofException>(() => RangeProof.Verify(root, origin, rangeKeys, rangeValues, missing));
            // A flipped byte in a proof node.
            var flipped = proof.Select(n => (byte[])n.Clone()).ToList();
            int which = r.Next(flipped.Count);
            flipped[which][r.Next(flipped[which].Length)] ^= 0x10;
            Assert.Throws<ProofException>(() => RangeProof.Verify(root, origin, rangeKeys, rangeValues, flipped));
        }, iter: 300);
    }

    [Fact]
    public void Whole_trie_without_proof_verifies_and_a_missing_entry_fails()
    {
        var r = new Random(3);
        var (trie, keys, values) = RandomTrie(r, 100);
        Assert.False(RangeProof.Verify(trie.RootHash, [], keys, values, null));
        Assert.Throws<ProofException>(() => RangeProof.Verify(trie.RootHash, [], keys[1..], values[1..], null));
    }

    [Fact]
    public void Empty_range_proves_nothing_at_or_after_the_origin()
    {
        var r = new Random(5);
        var (trie, keys, _) = RandomTrie(r, 50);
        var root = trie.RootHash;
        var beyond = Enumerable.Repeat((byte)0xff, 32).ToArray();
        if (keys[^1].AsSpan().SequenceEqual(beyond)) return;
        Assert.False(RangeProof.Verify(root, beyond, [], [], Proof.Prove(trie, beyond)));
        // An empty answer for an origin that has entries after it is a lie.
        var origin = OriginBefore(keys, 10);
        var e = Assert.Throws<ProofException>(() => RangeProof.Verify(root, origin, [], [], Proof.Prove(trie, origin)));
        Assert.Contains("more entries", e.Message);
    }

    [Fact]
    public void Single_element_at_the_origin()
    {
        var r = new Random(9);
        var (trie, keys, values) = RandomTrie(r, 60);
        var root = trie.RootHash;
        Assert.True(RangeProof.Verify(root, keys[20], [keys[20]], [values[20]], Proof.Prove(trie, keys[20])));
        Assert.False(RangeProof.Verify(root, keys[^1], [keys[^1]], [values[^1]], Proof.Prove(trie, keys[^1])));
        Assert.Throws<ProofException>(() => RangeProof.Verify(root, keys[20], [keys[20]], [values[21]], Proof.Prove(trie, keys[20])));
    }

    [Fact]
    public void Single_entry_trie_and_non_monotonic_ranges()
    {
        var trie = new PatriciaTrie(EmptyNodeSource.Instance);
        var k = Enumerable.Repeat((byte)0x42, 32).ToArray();
        trie.Set(k, [1, 2, 3]);
        var zero = new byte[32];
        var proof = RangeProof.Prove(trie, zero, k);
        Assert.False(RangeProof.Verify(trie.RootHash, zero, [k], [[1, 2, 3]], proof));
        Assert.Throws<ProofException>(() => RangeProof.Verify(trie.RootHash, zero, [k, k], [[1], [1]], proof));
    }
}
