using BeamSync.Core;
using BeamSync.Core.Crypto;

namespace BeamSync.Trie;

/// <summary>
/// Merkle proofs as eth_getProof and snap return them: the RLP of every node on the path from the root towards a key
/// that is referenced by hash (inline nodes travel inside their parent), root first. A proof of absence is the path
/// as far as it goes. Thread-safe static functions; proving resolves nodes into the trie, so not concurrently with
/// other use of the same trie.
/// </summary>
public static class Proof
{
    /// <summary>The proof for <paramref name="key"/> in <paramref name="trie"/> (whether or not the key is present).</summary>
    public static List<byte[]> Prove(PatriciaTrie trie, ReadOnlySpan<byte> key)
    {
        _ = trie.RootHash; // encodes any pending change, so every node on the path has its encoding
        var proof = new List<byte[]>();
        var nibbles = Nibbles.FromBytes(key);
        Node? node = trie.Root;
        int pos = 0;
        bool isRoot = true;
        while (node is not null)
        {
            if (node is HashNode h) node = trie.Resolve(h, nibbles.AsSpan(0, pos), nibbles);
            var encoded = Hasher.Encode(node);
            if (isRoot || encoded.Length >= 32) proof.Add(encoded);
            isRoot = false;
            switch (node)
            {
                case LeafNode:
                    return proof;
                case ExtensionNode ext:
                    if (!nibbles.AsSpan(pos).StartsWith(ext.Path)) return proof;
                    pos += ext.Path.Length;
                    node = ext.Child;
                    break;
                case BranchNode branch:
                    if (pos == nibbles.Length) return proof;
                    node = branch.Children[nibbles[pos++]];
                    break;
            }
        }
        return proof;
    }

    /// <summary>Indexes proof nodes by their hash, as the verifier looks them up.</summary>
    public static Dictionary<Hash256, byte[]> ToNodeSet(IEnumerable<byte[]> proof)
    {
        var set = new Dictionary<Hash256, byte[]>();
        foreach (var node in proof) set[Keccak256.Hash(node)] = node;
        return set;
    }

    /// <summary>
    /// Checks a proof for <paramref name="key"/> against <paramref name="rootHash"/>: returns the value it proves, or
    /// null when it proves the key absent. Throws <see cref="ProofException"/> when the proof is incomplete or invalid.
    /// </summary>
    public static byte[]? Verify(Hash256 rootHash, ReadOnlySpan<byte> key, IEnumerable<byte[]> proof) =>
        Verify(rootHash, key, ToNodeSet(proof));

    public static byte[]? Verify(Hash256 rootHash, ReadOnlySpan<byte> key, IReadOnlyDictionary<Hash256, byte[]> nodes)
    {
        var nibbles = Nibbles.FromBytes(key);
        Node node = Load(nodes, rootHash);
        int pos = 0;
        while (true)
        {
            switch (node)
            {
                case HashNode h:
                    node = Load(nodes, h.Hash);
                    continue;
                case LeafNode leaf:
                    return nibbles.AsSpan(pos).SequenceEqual(leaf.Path) ? leaf.Value : null;
                case ExtensionNode ext:
                    if (!nibbles.AsSpan(pos).StartsWith(ext.Path)) return null;
                    pos += ext.Path.Length;
                    node = ext.Child;
                    continue;
                case BranchNode branch:
                    if (pos == nibbles.Length) return branch.Value;
                    var child = branch.Children[nibbles[pos++]];
                    if (child is null) return null;
                    node = child;
                    continue;
            }
        }
    }

    internal static Node Load(IReadOnlyDictionary<Hash256, byte[]> nodes, Hash256 hash)
    {
        if (!nodes.TryGetValue(hash, out var rlp)) throw new ProofException($"proof node {hash} missing");
        try
        {
            return NodeDecoder.Decode(hash, rlp);
        }
        catch (TrieNodeCorruptException e)
        {
            throw new ProofException($"proof node {hash} is invalid: {e.Message}");
        }
    }
}
