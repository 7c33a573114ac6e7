using BeamSync.Core;
using BeamSync.Db;

namespace BeamSync.Trie.Tests;

internal static class TrieTestSupport
{
    /// <summary>Keys from a tiny alphabet, so random keys share prefixes, end inside each other and collide often.</summary>
    public static byte[] SmallKey(Random r)
    {
        byte[] alphabet = [0x00, 0x01, 0x10, 0x11, 0x1f, 0xf0, 0xff];
        var key = new byte[r.Next(1, 5)];
        for (int i = 0; i < key.Length; i++) key[i] = alphabet[r.Next(alphabet.Length)];
        return key;
    }

    /// <summary>Values from 1 to 40 bytes, so nodes are both inlined (under 32 bytes) and hashed.</summary>
    public static byte[] Value(Random r)
    {
        var v = new byte[r.Next(1, 41)];
        r.NextBytes(v);
        return v;
    }

    public static byte[] Key32(Random r)
    {
        var k = new byte[32];
        r.NextBytes(k);
        return k;
    }

    /// <summary>A committed trie of <paramref name="count"/> random 32-byte keys, with its entries in order.</summary>
    public static (MemoryKeyValueStore Store, Hash256 Root, SortedDictionary<byte[], byte[]> Entries) Committed(Random r, int count)
    {
        var store = new MemoryKeyValueStore();
        var trie = new PatriciaTrie(new StoreNodeSource(store));
        var entries = new SortedDictionary<byte[], byte[]>(ByteArrayOrder.Instance);
        for (int i = 0; i < count; i++)
        {
            var k = Key32(r);
            var v = Value(r);
            entries[k] = v;
            trie.Set(k, v);
        }
        var root = trie.Commit(store);
        return (store, root, entries);
    }
}
