using BeamSync.Core;

namespace BeamSync.Trie;

/// <summary>
/// A node of the in-memory trie. Clean nodes (read from a source, or committed) keep their RLP encoding and, when it
/// is 32 bytes or longer, its hash; a change clears both and marks the node dirty until the next commit. Nodes
/// belong to one trie instance and are not safe for concurrent mutation.
/// </summary>
public abstract class Node
{
    /// <summary>The node's RLP encoding, valid while the node is unchanged since it was last encoded.</summary>
    internal byte[]? Encoded;

    /// <summary>Keccak-256 of <see cref="Encoded"/>; valid when <see cref="Encoded"/> is at least 32 bytes long.</summary>
    internal Hash256 CachedHash;

    /// <summary>Changed since the last commit: its encoding must be written to the store.</summary>
    internal bool Dirty;

    /// <summary>Forgets the cached encoding after a change.</summary>
    internal void Touch()
    {
        Encoded = null;
        Dirty = true;
    }

    /// <summary>Whether the parent refers to this node by hash (encoding of 32 bytes or more) rather than inline.</summary>
    internal bool IsHashReferenced => Encoded!.Length >= 32;
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
    public readonly Node?[] Children = new Node?[16];
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
    public readonly Hash256 Hash;

    public HashNode(Hash256 hash)
    {
        Hash = hash;
        CachedHash = hash;
    }
}
