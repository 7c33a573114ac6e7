using BeamSync.Core;

namespace BeamSync.Trie;

// The edge-path machinery of range proofs. Keys here are nibbles followed by a terminator 16, and a leaf's path
// compares as its nibbles plus the terminator, so the comparisons order keys exactly as go-ethereum's hex keys do.
public static partial class RangeProof
{
    private const byte Terminator = 16;

    private static byte[] HexKey(byte[] key)
    {
        var hex = new byte[key.Length * 2 + 1];
        Nibbles.FromBytes(key, hex);
        hex[^1] = Terminator;
        return hex;
    }

    /// <summary>The path a short node consumes, in the same form as <see cref="HexKey"/>.</summary>
    private static byte[] ShortKey(Node node) => node switch
    {
        LeafNode leaf => Nibbles.Concat(leaf.Path, [Terminator]),
        ExtensionNode ext => ext.Path,
        _ => throw new InvalidOperationException("not a short node"),
    };

    /// <summary>
    /// Resolves the path to <paramref name="key"/> from the proof nodes into the partial trie rooted at
    /// <paramref name="root"/> (loaded from the proof when null). Returns the root and the value found, if any.
    /// </summary>
    private static (Node Root, byte[]? Value) ProofToPath(Hash256 rootHash, Node? root, byte[] key,
        IReadOnlyDictionary<Hash256, byte[]> nodes, bool allowNonExistent)
    {
        root ??= Proof.Load(nodes, rootHash);
        var hex = HexKey(key);
        Node parent = root;
        int pos = 0;
        while (true)
        {
            switch (parent)
            {
                case LeafNode leaf:
                    if (hex.AsSpan(pos).SequenceEqual(ShortKey(leaf))) return (root, leaf.Value);
                    return NonExistent();
                case ExtensionNode ext:
                    if (!hex.AsSpan(pos).StartsWith(ext.Path)) return NonExistent();
                    if (ext.Child is HashNode eh) ext.Child = Proof.Load(nodes, eh.Hash);
                    pos += ext.Path.Length;
                    parent = ext.Child;
                    continue;
                case BranchNode branch:
                    if (hex[pos] == Terminator) return branch.Value is null ? NonExistent() : (root, branch.Value);
                    var child = branch.Children[hex[pos]];
                    if (child is null) return NonExistent();
                    if (child is HashNode bh) branch.Children[hex[pos]] = child = Proof.Load(nodes, bh.Hash);
                    pos++;
                    parent = child;
                    continue;
                default:
                    throw new ProofException("unexpected node in proof path");
            }
        }

        (Node, byte[]?) NonExistent() =>
            allowNonExistent ? (root, null) : throw new ProofException("the proof shows the key is not in the trie");
    }

    /// <summary>
    /// Removes every reference strictly between the two edge paths, so that inserting the range's entries rebuilds
    /// exactly those parts. Returns true when the whole trie lies inside the range (start from an empty trie).
    /// </summary>
    private static bool UnsetInternal(Node root, byte[] leftKey, byte[] rightKey)
    {
        var left = HexKey(leftKey);
        var right = HexKey(rightKey);
        Node node = root;
        Node? parent = null;
        int pos = 0, forkLeft = 0, forkRight = 0;
        while (true)
        {
            if (node is LeafNode or ExtensionNode)
            {
                var shortKey = ShortKey(node);
                forkLeft = CompareTruncated(left, pos, shortKey);
                forkRight = CompareTruncated(right, pos, shortKey);
                if (forkLeft != 0 || forkRight != 0) break;
                if (node is LeafNode) break; // both edges are this one leaf: the keys were equal, rejected earlier
                parent = node;
                node = ((ExtensionNode)node).Child;
                pos += shortKey.Length;
            }
            else if (node is BranchNode branch)
            {
                if (left[pos] == Terminator || right[pos] == Terminator) throw new ProofException("edge keys end inside the trie");
                var l = branch.Children[left[pos]];
                var r = branch.Children[right[pos]];
                if (l is null || r is null || !ReferenceEquals(l, r)) break;
                parent = branch;
                node = l;
                pos++;
            }
            else throw new ProofException("edge proofs do not resolve the fork point");
        }

        if (node is BranchNode fork)
        {
            for (int i = left[pos] + 1; i < right[pos]; i++) fork.Children[i] = null;
            Unset(fork, fork.Children[left[pos]], left, pos + 1, removeLeft: false);
            Unset(fork, fork.Children[right[pos]], right, pos + 1, removeLeft: true);
            return false;
        }

        // The fork is a short node.
        if (forkLeft == -1 && forkRight == -1) throw new ProofException("empty range");
        if (forkLeft == 1 && forkRight == 1) throw new ProofException("empty range");
        if (forkLeft != 0 && forkRight != 0)
        {
            // The short node lies wholly inside the range.
            if (parent is null) return true;
            ParentBranch(parent).Children[left[pos - 1]] = null;
            return false;
        }
        if (forkLeft == 0 && forkRight == 0) return false;
        // One edge runs through the short node, the other passes beside it: trim along the edge that runs through.
        bool leftRunsThrough = forkLeft == 0;
        var edge = leftRunsThrough ? left : right;
        if (node is LeafNode)
        {
            if (parent is null) return true;
            ParentBranch(parent).Children[edge[pos - 1]] = null;
            return false;
        }
        var extension = (ExtensionNode)node;
        Unset(extension, extension.Child, edge, pos + extension.Path.Length, removeLeft: !leftRunsThrough);
        return false;
    }

    /// <summary>Compares the key from <paramref name="pos"/> (cut to the short node's length) with the short node's path.</summary>
    private static int CompareTruncated(byte[] key, int pos, byte[] shortKey)
    {
        var rest = key.AsSpan(pos);
        if (rest.Length > shortKey.Length) rest = rest[..shortKey.Length];
        return Math.Sign(rest.SequenceCompareTo(shortKey));
    }

    /// <summary>
    /// Along one edge path, drops every child on the inner side (right of the left edge, left of the right edge).
    /// A short node that leaves the path is dropped when it falls inside the range and kept when outside.
    /// </summary>
    private static void Unset(Node parent, Node? child, byte[] key, int pos, bool removeLeft)
    {
        switch (child)
        {
            case null:
                return;
            case BranchNode branch:
                if (key[pos] == Terminator) throw new ProofException("edge keys end inside the trie");
                if (removeLeft)
                    for (int i = 0; i < key[pos]; i++) branch.Children[i] = null;
                else
                    for (int i = key[pos] + 1; i < 16; i++) branch.Children[i] = null;
                Unset(branch, branch.Children[key[pos]], key, pos + 1, removeLeft);
                return;
            case LeafNode or ExtensionNode:
            {
                var shortKey = ShortKey(child);
                if (!key.AsSpan(pos).StartsWith(shortKey))
                {
                    int c = shortKey.AsSpan().SequenceCompareTo(key.AsSpan(pos));
                    bool insideRange = removeLeft ? c < 0 : c > 0;
                    if (insideRange) ParentBranch(parent).Children[key[pos - 1]] = null;
                    return;
                }
                if (child is LeafNode)
                {
                    ParentBranch(parent).Children[key[pos - 1]] = null;
                    return;
                }
                var ext = (ExtensionNode)child;
                Unset(ext, ext.Child, key, pos + ext.Path.Length, removeLeft);
                return;
            }
            default:
                throw new ProofException("edge proofs do not resolve the path they claim");
        }
    }

    private static BranchNode ParentBranch(Node parent) =>
        parent as BranchNode ?? throw new ProofException("malformed edge path: a short node under a short node");

    /// <summary>Whether the (resolved) trie has any entry to the right of the path of <paramref name="key"/>.</summary>
    private static bool HasRightElement(Node? node, byte[] key)
    {
        var hex = HexKey(key);
        int pos = 0;
        while (node is not null)
        {
            switch (node)
            {
                case BranchNode branch:
                    if (hex[pos] == Terminator) return false;
                    for (int i = hex[pos] + 1; i < 16; i++)
                        if (branch.Children[i] is not null) return true;
                    node = branch.Children[hex[pos]];
                    pos++;
                    break;
                case LeafNode or ExtensionNode:
                {
                    var shortKey = ShortKey(node);
                    if (!hex.AsSpan(pos).StartsWith(shortKey)) return shortKey.AsSpan().SequenceCompareTo(hex.AsSpan(pos)) > 0;
                    if (node is LeafNode) return false;
                    pos += shortKey.Length;
                    node = ((ExtensionNode)node).Child;
                    break;
                }
                default:
                    throw new ProofException("the path to the last key is not resolved by the proof");
            }
        }
        return false;
    }
}
