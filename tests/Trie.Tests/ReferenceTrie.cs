using BeamSync.Core;
using BeamSync.Core.Crypto;

namespace BeamSync.Trie.Tests;

/// <summary>
/// An independent, deliberately simple root computation: builds each node's encoding straight from the sorted set of
/// keys under it, with no node objects, caching or mutation. The trie under test must agree with it.
/// </summary>
public static class ReferenceTrie
{
    public static Hash256 Root(SortedDictionary<byte[], byte[]> entries)
    {
        if (entries.Count == 0) return Hash256.EmptyTrieRoot;
        var items = entries.Select(kv => (Key: ToNibbles(kv.Key), kv.Value)).ToList();
        return Keccak256.Hash(Node(items, 0));
    }

    private static byte[] ToNibbles(byte[] key) => key.SelectMany(b => new[] { (byte)(b >> 4), (byte)(b & 15) }).ToArray();

    private static byte[] Node(List<(byte[] Key, byte[] Value)> items, int depth)
    {
        if (items.Count == 1)
            return Rlp.EncodeList(Rlp.EncodeBytes(HexPrefix(items[0].Key[depth..], leaf: true)), Rlp.EncodeBytes(items[0].Value));
        int common = items.Min(i => i.Key.Length) - depth;
        foreach (var (key, _) in items)
        {
            int n = 0;
            while (n < common && key[depth + n] == items[0].Key[depth + n]) n++;
            common = n;
        }
        if (common > 0)
            return Rlp.EncodeList(Rlp.EncodeBytes(HexPrefix(items[0].Key[depth..(depth + common)], leaf: false)), Ref(Node(items, depth + common)));
        var slots = new byte[17][];
        for (int nibble = 0; nibble < 16; nibble++)
        {
            var under = items.Where(i => i.Key.Length > depth && i.Key[depth] == nibble).ToList();
            slots[nibble] = under.Count == 0 ? Rlp.EncodeBytes([]) : Ref(Node(under, depth + 1));
        }
        var here = items.Where(i => i.Key.Length == depth).ToList();
        slots[16] = Rlp.EncodeBytes(here.Count == 0 ? [] : here[0].Value);
        return Rlp.EncodeList(slots);
    }

    private static byte[] Ref(byte[] encoded) => encoded.Length < 32 ? encoded : Rlp.EncodeBytes(Keccak256.HashToArray(encoded));

    private static byte[] HexPrefix(byte[] nibbles, bool leaf)
    {
        var list = new List<byte>();
        int flag = (leaf ? 2 : 0) + (nibbles.Length % 2);
        var padded = nibbles.Length % 2 == 1 ? new[] { (byte)flag }.Concat(nibbles).ToArray() : new[] { (byte)flag, (byte)0 }.Concat(nibbles).ToArray();
        for (int i = 0; i < padded.Length; i += 2) list.Add((byte)(padded[i] * 16 + padded[i + 1]));
        return list.ToArray();
    }
}

public sealed class ByteArrayOrder : IComparer<byte[]>
{
    public static readonly ByteArrayOrder Instance = new();
    public int Compare(byte[]? x, byte[]? y) => x.AsSpan().SequenceCompareTo(y);
}
