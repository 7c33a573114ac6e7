using BeamSync.Core.Crypto;
using BeamSync.Core;

namespace BeamSync.State.InMemory;

/// <summary>
/// Root hash of a Merkle Patricia trie built from scratch over a whole key set. A stand-in for the Trie layer's
/// incremental trie until the in-memory store moves onto it; fine for fixtures, quadratic in nothing but slow for
/// large states (it rebuilds every commit). Thread-safe (pure).
/// </summary>
internal static class TrieRootShim
{
    public static Hash256 Root(List<(byte[] Key, byte[] Value)> items)
    {
        if (items.Count == 0) return Hash256.EmptyTrieRoot;
        var nibbled = new List<(byte[] Nibbles, byte[] Value)>(items.Count);
        foreach (var (k, v) in items) nibbled.Add((ToNibbles(k), v));
        nibbled.Sort((a, b) => a.Nibbles.AsSpan().SequenceCompareTo(b.Nibbles));
        return Keccak256.Hash(Encode(nibbled, 0, nibbled.Count, 0));
    }

    private static byte[] ToNibbles(byte[] key)
    {
        var n = new byte[key.Length * 2];
        for (int i = 0; i < key.Length; i++) { n[2 * i] = (byte)(key[i] >> 4); n[2 * i + 1] = (byte)(key[i] & 15); }
        return n;
    }

    private static byte[] Encode(List<(byte[] Nibbles, byte[] Value)> items, int start, int end, int depth)
    {
        if (end - start == 1)
        {
            var (nib, value) = items[start];
            return Rlp.EncodeList(Rlp.EncodeBytes(HexPrefix(nib.AsSpan(depth), true)), Rlp.EncodeBytes(value));
        }
        int common = CommonPrefix(items[start].Nibbles, items[end - 1].Nibbles, depth);
        if (common > 0)
        {
            var child = Encode(items, start, end, depth + common);
            return Rlp.EncodeList(Rlp.EncodeBytes(HexPrefix(items[start].Nibbles.AsSpan(depth, common), false)), Reference(child));
        }
        var branch = new byte[17][];
        int i = start;
        byte[] ownValue = [];
        if (items[i].Nibbles.Length == depth) { ownValue = items[i].Value; i++; }
        for (int nibble = 0; nibble < 16; nibble++)
        {
            int j = i;
            while (j < end && items[j].Nibbles[depth] == nibble) j++;
            branch[nibble] = j > i ? Reference(Encode(items, i, j, depth + 1)) : Rlp.EmptyString;
            i = j;
        }
        branch[16] = Rlp.EncodeBytes(ownValue);
        return Rlp.EncodeList(branch);
    }

    private static int CommonPrefix(byte[] a, byte[] b, int depth)
    {
        int n = 0;
        while (depth + n < a.Length && depth + n < b.Length && a[depth + n] == b[depth + n]) n++;
        return n;
    }

    private static byte[] Reference(byte[] node) => node.Length < 32 ? node : Rlp.EncodeBytes(Keccak256.Hash(node).Bytes);

    private static byte[] HexPrefix(ReadOnlySpan<byte> nibbles, bool leaf)
    {
        bool odd = (nibbles.Length & 1) == 1;
        var result = new byte[nibbles.Length / 2 + 1];
        int flag = (leaf ? 2 : 0) + (odd ? 1 : 0);
        int i = 0;
        if (odd) { result[0] = (byte)((flag << 4) | nibbles[0]); i = 1; }
        else result[0] = (byte)(flag << 4);
        for (int o = 1; i < nibbles.Length; i += 2, o++) result[o] = (byte)((nibbles[i] << 4) | nibbles[i + 1]);
        return result;
    }
}
