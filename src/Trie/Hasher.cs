using BeamSync.Core;
using BeamSync.Core.Crypto;

namespace BeamSync.Trie;

/// <summary>
/// Encodes nodes bottom-up and caches each encoding (and hash) on the node, so an unchanged subtree is never
/// re-encoded. A child whose encoding is 32 bytes or longer is referenced by its hash, a shorter one is embedded.
/// Stateless; mutates the nodes it encodes, so callers serialize access per trie.
/// </summary>
public static class Hasher
{
    /// <summary>The root hash of the trie under <paramref name="root"/> (the empty-trie root for null).</summary>
    public static Hash256 RootHash(Node? root)
    {
        if (root is null) return Hash256.EmptyTrieRoot;
        if (root is HashNode h) return h.Hash;
        var encoded = Encode(root);
        // The root is always hashed, even when its encoding is short enough to be inlined elsewhere.
        return encoded.Length >= 32 ? root.CachedHash : Keccak256.Hash(encoded);
    }

    /// <summary>The node's RLP, computing and caching it (and its children's) when missing.</summary>
    public static byte[] Encode(Node node)
    {
        if (node.Encoded is not null) return node.Encoded;
        byte[] encoded = node switch
        {
            LeafNode leaf => EncodeLeaf(leaf),
            ExtensionNode ext => EncodeExtension(ext),
            BranchNode branch => EncodeBranch(branch),
            _ => throw new InvalidOperationException("a hash node has no encoding of its own"),
        };
        node.Encoded = encoded;
        if (encoded.Length >= 32) node.CachedHash = Keccak256.Hash(encoded);
        return encoded;
    }

    private static byte[] EncodeLeaf(LeafNode leaf)
    {
        Span<byte> compact = stackalloc byte[Nibbles.CompactLength(leaf.Path.Length)];
        Nibbles.ToCompact(leaf.Path, isLeaf: true, compact);
        int content = RlpWriter.LengthOfBytes(compact) + RlpWriter.LengthOfBytes(leaf.Value);
        var buffer = new byte[RlpWriter.LengthOfList(content)];
        var w = new RlpWriter(buffer);
        w.WriteListHeader(content);
        w.WriteBytes(compact);
        w.WriteBytes(leaf.Value);
        return buffer;
    }

    private static byte[] EncodeExtension(ExtensionNode ext)
    {
        Span<byte> compact = stackalloc byte[Nibbles.CompactLength(ext.Path.Length)];
        Nibbles.ToCompact(ext.Path, isLeaf: false, compact);
        int content = RlpWriter.LengthOfBytes(compact) + ReferenceLength(ext.Child);
        var buffer = new byte[RlpWriter.LengthOfList(content)];
        var w = new RlpWriter(buffer);
        w.WriteListHeader(content);
        w.WriteBytes(compact);
        WriteReference(ref w, ext.Child);
        return buffer;
    }

    private static byte[] EncodeBranch(BranchNode branch)
    {
        int content = 0;
        foreach (var child in branch.Children) content += child is null ? 1 : ReferenceLength(child);
        content += branch.Value is null ? 1 : RlpWriter.LengthOfBytes(branch.Value);
        var buffer = new byte[RlpWriter.LengthOfList(content)];
        var w = new RlpWriter(buffer);
        w.WriteListHeader(content);
        foreach (var child in branch.Children)
        {
            if (child is null) w.WriteBytes([]);
            else WriteReference(ref w, child);
        }
        w.WriteBytes(branch.Value ?? []);
        return buffer;
    }

    /// <summary>Encoded length of a reference to <paramref name="child"/> inside its parent (encodes the child if needed).</summary>
    private static int ReferenceLength(Node child)
    {
        if (child is HashNode) return 33;
        var encoded = Encode(child);
        return encoded.Length >= 32 ? 33 : encoded.Length;
    }

    private static void WriteReference(ref RlpWriter w, Node child)
    {
        if (child is HashNode h) { w.WriteBytes(h.Hash.Bytes); return; }
        var encoded = child.Encoded!;
        if (encoded.Length >= 32) w.WriteBytes(child.CachedHash.Bytes);
        else w.WriteEncoded(encoded);
    }
}
