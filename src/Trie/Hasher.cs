using BeamSync.Core;
using BeamSync.Core.Crypto;

namespace BeamSync.Trie;

/// <summary>
/// Encodes nodes bottom-up into a per-thread scratch buffer and records on each node its encoding's length and hash
/// (keeping the bytes only of short nodes, which their parents embed), so an unchanged subtree is never re-encoded
/// and a large commit allocates nothing per node. A child whose encoding is 32 bytes or longer is referenced by its
/// hash, a shorter one is embedded. Stateless; mutates the nodes it encodes, so callers serialize access per trie
/// (a parallel encoding hands each thread disjoint subtries).
/// </summary>
public static class Hasher
{
    /// <summary>Encodings up to this size go through the thread's scratch buffer; longer ones (large values) get their own array.</summary>
    private const int ScratchSize = 4096;

    [ThreadStatic] private static byte[]? t_scratch;

    /// <summary>
    /// The root hash of the trie under <paramref name="root"/> (the empty-trie root for null). With
    /// <paramref name="parallel"/> the root's subtries are encoded on the thread pool: worth it only for large changes.
    /// </summary>
    public static Hash256 RootHash(Node? root, bool parallel = false)
    {
        if (root is null) return Hash256.EmptyTrieRoot;
        if (root is HashNode h) return h.Hash;
        EnsureEncoded(root, parallel);
        // The root is always hashed, even when its encoding is short enough to be inlined elsewhere.
        return root.IsHashReferenced ? root.CachedHash : Keccak256.Hash(root.Encoded);
    }

    /// <summary>The node's RLP, encoding it (and its children) when needed; a copy unless the node keeps its bytes.</summary>
    public static byte[] Encode(Node node)
    {
        if (node is HashNode) throw new InvalidOperationException("a hash node has no encoding of its own");
        EnsureEncoded(node, parallel: false);
        if (node.Encoded is not null) return node.Encoded;
        var bytes = new byte[node.EncodedLength];
        WriteEncoding(node, bytes);
        return bytes;
    }

    /// <summary>Writes every dirty node under <paramref name="node"/> that is referenced by hash to <paramref name="sink"/> and marks it clean; the tree must be encoded.</summary>
    internal static void WriteDirty(Node node, INodeSink sink)
    {
        if (!node.Dirty) return;
        switch (node)
        {
            case ExtensionNode ext:
                WriteDirty(ext.Child, sink);
                break;
            case BranchNode branch:
                foreach (var child in branch.Children)
                    if (child is not null) WriteDirty(child, sink);
                break;
        }
        if (node.IsHashReferenced)
        {
            if (node.Encoded is not null) sink.PutNode(node.CachedHash, node.Encoded);
            else
            {
                var buffer = Buffer(node.EncodedLength);
                WriteEncoding(node, buffer);
                sink.PutNode(node.CachedHash, buffer);
            }
        }
        node.Dirty = false;
    }

    private static void EnsureEncoded(Node node, bool parallel)
    {
        if (node.IsEncoded || node is HashNode) return;
        switch (node)
        {
            case ExtensionNode ext:
                EnsureEncoded(ext.Child, parallel: false);
                break;
            case BranchNode branch when parallel:
                Parallel.For(0, 16, i =>
                {
                    if (branch.Children[i] is { } child) EnsureEncoded(child, parallel: false);
                });
                break;
            case BranchNode branch:
                foreach (var child in branch.Children)
                    if (child is not null) EnsureEncoded(child, parallel: false);
                break;
        }
        int length = EncodingLength(node);
        var buffer = Buffer(length);
        WriteEncoding(node, buffer);
        node.EncodedLength = length;
        if (length >= 32) node.CachedHash = Keccak256.Hash(buffer);
        else node.Encoded = buffer.ToArray();
    }

    /// <summary>The thread's scratch buffer cut to <paramref name="length"/>, or a new array for an encoding too long for it.</summary>
    private static Span<byte> Buffer(int length) =>
        length <= ScratchSize ? (t_scratch ??= new byte[ScratchSize]).AsSpan(0, length) : new byte[length];

    /// <summary>Length of the node's encoding; its children must be encoded.</summary>
    private static int EncodingLength(Node node)
    {
        switch (node)
        {
            case LeafNode leaf:
                return RlpWriter.LengthOfList(CompactPathLength(leaf.Path) + RlpWriter.LengthOfBytes(leaf.Value));
            case ExtensionNode ext:
                return RlpWriter.LengthOfList(CompactPathLength(ext.Path) + ReferenceLength(ext.Child));
            case BranchNode branch:
                int content = branch.Value is null ? 1 : RlpWriter.LengthOfBytes(branch.Value);
                foreach (var child in branch.Children) content += child is null ? 1 : ReferenceLength(child);
                return RlpWriter.LengthOfList(content);
            default:
                throw new InvalidOperationException("a hash node has no encoding of its own");
        }
    }

    /// <summary>Writes the node's encoding, exactly <see cref="EncodingLength"/> bytes, into <paramref name="destination"/>.</summary>
    private static void WriteEncoding(Node node, Span<byte> destination)
    {
        var w = new RlpWriter(destination);
        switch (node)
        {
            case LeafNode leaf:
                w.WriteListHeader(CompactPathLength(leaf.Path) + RlpWriter.LengthOfBytes(leaf.Value));
                WriteCompactPath(ref w, leaf.Path, isLeaf: true);
                w.WriteBytes(leaf.Value);
                break;
            case ExtensionNode ext:
                w.WriteListHeader(CompactPathLength(ext.Path) + ReferenceLength(ext.Child));
                WriteCompactPath(ref w, ext.Path, isLeaf: false);
                WriteReference(ref w, ext.Child);
                break;
            case BranchNode branch:
                int content = branch.Value is null ? 1 : RlpWriter.LengthOfBytes(branch.Value);
                foreach (var child in branch.Children) content += child is null ? 1 : ReferenceLength(child);
                w.WriteListHeader(content);
                foreach (var child in branch.Children)
                {
                    if (child is null) w.WriteBytes([]);
                    else WriteReference(ref w, child);
                }
                w.WriteBytes(branch.Value ?? []);
                break;
        }
    }

    /// <summary>RLP length of the hex-prefix encoding of a path (a single byte below 0x80 is its own encoding).</summary>
    private static int CompactPathLength(byte[] nibbles)
    {
        int compact = Nibbles.CompactLength(nibbles.Length);
        return compact == 1 ? 1 : RlpWriter.LengthOfLength(compact) + compact;
    }

    private static void WriteCompactPath(ref RlpWriter w, byte[] nibbles, bool isLeaf)
    {
        int length = Nibbles.CompactLength(nibbles.Length);
        Span<byte> compact = length <= 64 ? stackalloc byte[length] : new byte[length];
        Nibbles.ToCompact(nibbles, isLeaf, compact);
        w.WriteBytes(compact);
    }

    /// <summary>Encoded length of a reference to an encoded <paramref name="child"/> inside its parent.</summary>
    private static int ReferenceLength(Node child) =>
        child is HashNode || child.IsHashReferenced ? 33 : child.EncodedLength;

    private static void WriteReference(ref RlpWriter w, Node child)
    {
        if (child is HashNode || child.IsHashReferenced) w.WriteBytes(child.CachedHash.Bytes);
        else w.WriteEncoded(child.Encoded);
    }
}
