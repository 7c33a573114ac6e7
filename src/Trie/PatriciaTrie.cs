using BeamSync.Core;

namespace BeamSync.Trie;

/// <summary>
/// The hexary Merkle Patricia trie over raw keys. Nodes are loaded lazily from an <see cref="INodeSource"/> (verified
/// against their hash) and kept for the life of the instance; changes stay in memory until <see cref="Commit"/>
/// writes the new nodes to a sink. A node the source lacks surfaces as <see cref="MissingTrieNodeException"/>; the
/// trie is unchanged by the failed operation's reads but a failed Set/Delete may have resolved part of its path.
/// Not safe for concurrent use (even reads cache resolved nodes).
/// </summary>
public sealed partial class PatriciaTrie
{
    private Node? _root;
    private readonly INodeSource _source;

    /// <summary>Sets and deletes since the root was last encoded: a large batch of them is encoded in parallel.</summary>
    private int _changesSinceEncoded;

    /// <summary>Below this many changes the thread pool's overhead outweighs spreading the root's subtries over cores.</summary>
    private const int ParallelEncodingThreshold = 2048;

    public TrieOwner Owner { get; }

    public PatriciaTrie(INodeSource source, Hash256 rootHash = default, TrieOwner owner = default)
    {
        _source = source;
        Owner = owner;
        _root = rootHash.IsZero || rootHash == Hash256.EmptyTrieRoot ? null : new HashNode(rootHash);
    }

    /// <summary>A trie over an already built (partial) node tree: range-proof verification rebuilds from one.</summary>
    internal PatriciaTrie(INodeSource source, Node? root, TrieOwner owner = default)
    {
        _source = source;
        Owner = owner;
        _root = root;
    }

    public INodeSource Source => _source;

    /// <summary>The root node (null when empty); for proofs, iteration and tests.</summary>
    internal Node? Root => _root;

    /// <summary>The root hash, encoding whatever changed since the last call.</summary>
    public Hash256 RootHash
    {
        get
        {
            var root = Hasher.RootHash(_root, parallel: _changesSinceEncoded >= ParallelEncodingThreshold);
            _changesSinceEncoded = 0;
            return root;
        }
    }

    public bool IsEmpty => _root is null;

    /// <summary>The value under <paramref name="key"/>, or null when the key is absent.</summary>
    public byte[]? Get(ReadOnlySpan<byte> key)
    {
        Span<byte> nibbles = key.Length <= 64 ? stackalloc byte[key.Length * 2] : new byte[key.Length * 2];
        Nibbles.FromBytes(key, nibbles);
        return Get(ref _root, nibbles, 0);
    }

    private byte[]? Get(ref Node? slot, ReadOnlySpan<byte> key, int pos)
    {
        while (true)
        {
            switch (slot)
            {
                case null:
                    return null;
                case HashNode h:
                    slot = Resolve(h, key[..pos], key);
                    continue;
                case LeafNode leaf:
                    return key[pos..].SequenceEqual(leaf.Path) ? leaf.Value : null;
                case ExtensionNode ext:
                    if (!key[pos..].StartsWith(ext.Path)) return null;
                    pos += ext.Path.Length;
                    slot = ref ext.Child!;
                    continue;
                case BranchNode branch:
                    if (pos == key.Length) return branch.Value;
                    slot = ref branch.Children[key[pos]];
                    pos++;
                    continue;
                default:
                    throw new InvalidOperationException("unknown node type");
            }
        }
    }

    /// <summary>
    /// Loads the node behind a hash reference at <paramref name="path"/> while reading <paramref name="keyNibbles"/>
    /// (empty for structural reads); a miss or a bad node throws. Resolving replaces a reference by the node it
    /// stands for, which changes no hash: that is why an operation may resolve before it knows it will succeed.
    /// </summary>
    internal Node Resolve(HashNode reference, ReadOnlySpan<byte> path, ReadOnlySpan<byte> keyNibbles = default)
    {
        var rlp = _source.GetNode(reference.Hash, Owner, path, keyNibbles)
                  ?? throw new MissingTrieNodeException(MissingNode.ForRead(reference.Hash, Owner, path, keyNibbles));
        return _source.ReturnsVerifiedNodes ? NodeDecoder.Decode(reference.Hash, rlp) : NodeDecoder.DecodeVerified(reference.Hash, rlp);
    }

    /// <summary>Sets <paramref name="key"/> to <paramref name="value"/>; an empty value deletes the key.</summary>
    public void Set(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
    {
        if (value.IsEmpty)
        {
            Delete(key);
            return;
        }
        Span<byte> nibbles = key.Length <= 64 ? stackalloc byte[key.Length * 2] : new byte[key.Length * 2];
        Nibbles.FromBytes(key, nibbles);
        Insert(ref _root, nibbles, 0, value.ToArray());
        _changesSinceEncoded++;
    }

    /// <summary>
    /// Removes <paramref name="key"/>; returns whether it was present. Every node the removal needs (the path, and the
    /// sibling a collapsing branch folds into) is resolved before anything changes, so a miss leaves the trie as it was.
    /// </summary>
    public bool Delete(ReadOnlySpan<byte> key)
    {
        Span<byte> nibbles = key.Length <= 64 ? stackalloc byte[key.Length * 2] : new byte[key.Length * 2];
        Nibbles.FromBytes(key, nibbles);
        if (!ResolveForDelete(ref _root, nibbles, 0).Found) return false;
        _changesSinceEncoded++;
        return Delete(ref _root, nibbles, 0);
    }
}
