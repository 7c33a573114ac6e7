using BeamSync.Core;
using BeamSync.Core.Crypto;

namespace BeamSync.Trie;

/// <summary>
/// Turns the RLP of a trie node into a <see cref="Node"/>. Children of 32 bytes become <see cref="HashNode"/>s, inline
/// children (shorter than 32 bytes) are decoded in place. Anything that is not a canonical node is a
/// <see cref="TrieNodeCorruptException"/> naming the node's hash. Thread-safe.
/// </summary>
public static class NodeDecoder
{
    /// <summary>Decodes <paramref name="rlp"/> fetched under <paramref name="hash"/>, checking first that it hashes to it.</summary>
    public static Node DecodeVerified(Hash256 hash, byte[] rlp)
    {
        var actual = Keccak256.Hash(rlp);
        if (actual != hash) throw new TrieNodeCorruptException(hash, $"its bytes hash to {actual}");
        return Decode(hash, rlp);
    }

    /// <summary>Decodes the RLP of a node whose hash is already known to be <paramref name="hash"/>.</summary>
    public static Node Decode(Hash256 hash, byte[] rlp)
    {
        try
        {
            var node = DecodeInner(rlp, 0);
            node.SetDecoded(rlp, hash);
            return node;
        }
        catch (RlpException e)
        {
            throw new TrieNodeCorruptException(hash, $"it does not decode: {e.Message}");
        }
    }

    private static Node DecodeInner(ReadOnlySpan<byte> rlp, int depth)
    {
        var reader = new RlpReader(rlp);
        var list = reader.ReadList();
        reader.EnsureEnd();
        int count = 0;
        var probe = list;
        while (probe.HasMore) { probe.SkipItem(); count++; }
        if (count == 2) return DecodeShort(list, depth);
        if (count == 17) return DecodeBranch(list, depth);
        throw new RlpException(RlpError.InvalidValue, $"a trie node is a list of 2 or 17 items, found {count}");
    }

    private static Node DecodeShort(RlpReader list, int depth)
    {
        var compact = list.ReadBytes();
        if (!Nibbles.TryFromCompact(compact, out var path, out bool isLeaf))
            throw new RlpException(RlpError.InvalidValue, "invalid hex-prefix path");
        if (isLeaf) return new LeafNode(path, list.ReadBytes().ToArray());
        if (path.Length == 0) throw new RlpException(RlpError.InvalidValue, "extension with an empty path");
        var child = DecodeReference(ref list, depth) ?? throw new RlpException(RlpError.InvalidValue, "extension without a child");
        if (child is LeafNode or ExtensionNode) throw new RlpException(RlpError.InvalidValue, "extension whose child is not a branch");
        return new ExtensionNode(path, child);
    }

    private static Node DecodeBranch(RlpReader list, int depth)
    {
        var branch = new BranchNode();
        for (int i = 0; i < 16; i++) branch.Children[i] = DecodeReference(ref list, depth);
        var value = list.ReadBytes();
        branch.Value = value.Length == 0 ? null : value.ToArray();
        return branch;
    }

    /// <summary>A child reference: empty (no child), a 32-byte hash, or an inline node shorter than 32 bytes.</summary>
    private static Node? DecodeReference(ref RlpReader list, int depth)
    {
        if (list.PeekIsList())
        {
            var encoded = list.ReadEncodedItem();
            if (encoded.Length >= 32) throw new RlpException(RlpError.InvalidValue, "inline node of 32 bytes or more");
            if (depth > 64) throw new RlpException(RlpError.TooLarge, "inline nodes nested too deep");
            var node = DecodeInner(encoded, depth + 1);
            node.SetDecoded(encoded.ToArray(), default);
            return node;
        }
        var bytes = list.ReadBytes();
        if (bytes.Length == 0) return null;
        if (bytes.Length != Hash256.Size) throw new RlpException(RlpError.WrongLength, $"child reference of {bytes.Length} bytes");
        return new HashNode(new Hash256(bytes));
    }
}
