using BeamSync.Core;

namespace BeamSync.Trie;

/// <summary>
/// A node of the in-memory trie. An encoded node knows its encoding's length and, when that is 32 bytes or more, its
/// hash; it keeps the encoding itself only when it is short (its parent embeds it) or was read from a source, since
/// keeping every long encoding would double a large commit's memory for bytes needed only while writing. A change
/// forgets all of it and marks the node dirty until the next commit. Nodes belong to one trie instance and are not
/// safe for concurrent mutation.
/// </summary>
public abstract class Node
{
    /// <summary>The node's RLP encoding when it is kept (see the class summary); valid while <see cref="EncodedLength"/> is not 0.</summary>
    internal byte[]? Encoded;

    /// <summary>Length of the node's RLP encoding; 0 until it is encoded (no encoding is empty).</summary>
    internal int EncodedLength;

    /// <summary>Keccak-256 of the encoding; valid when <see cref="EncodedLength"/> is at least 32.</summary>
    internal Hash256 CachedHash;

    /// <summary>Changed since the last commit: its encoding must be written to the store.</summary>
    internal bool Dirty;

    /// <summary>Forgets the cached encoding after a change.</summary>
    internal void Touch()
    {
        Encoded = null;
        EncodedLength = 0;
        Dirty = true;
    }

    /// <summary>Records an encoding read from a source (or embedded in a node read from one), which is clean.</summary>
    internal void SetDecoded(byte[] encoded, Hash256 hash)
    {
        Encoded = encoded;
        EncodedLength = encoded.Length;
        CachedHash = hash;
    }

    internal bool IsEncoded => EncodedLength != 0;

    /// <summary>Whether the parent refers to this node by hash (encoding of 32 bytes or more) rather than inline.</summary>
    internal bool IsHashReferenced => EncodedLength >= 32;
}

/// <summary>A leaf: the rest of the key as nibbles and the value stored under the whole key.</summary>
public sealed class LeafNode(byte[] path, byte[] value) : Node
{
    public byte[] Path = path;
    public byte[] Value = value;
}

/// <summary>An extension: a shared run of nibbles leading to one child, which is always a branch (or its hash).</summary>
public sealed class ExtensionNode(byte[] path, Node child) : Node
{
    public byte[] Path = path;
    public Node Child = child;
}

/// <summary>A branch: sixteen children by next nibble and the value of a key that ends here (non-secure tries only).</summary>
public sealed class BranchNode : Node
{
    /// <summary>Held in the node itself rather than in an array of its own: one object less per branch.</summary>
    public SixteenChildren Children;
    public byte[]? Value;

    public int ChildCount
    {
        get
        {
            int n = 0;
            foreach (var c in Children) if (c is not null) n++;
            return n;
        }
    }
}

/// <summary>A reference by hash to a node not loaded yet; resolved through the trie's <see cref="INodeSource"/>.</summary>
public sealed class HashNode : Node
{
    /// <summary>Kept once, in the base's hash field: a decoded branch makes sixteen of these, so 32 bytes each count.</summary>
    public Hash256 Hash => CachedHash;

    public HashNode(Hash256 hash) => CachedHash = hash;
}

/// <summary>A branch's sixteen child slots, stored inline in the branch.</summary>
[System.Runtime.CompilerServices.InlineArray(16)]
public struct SixteenChildren
{
    private Node? _first;
}
