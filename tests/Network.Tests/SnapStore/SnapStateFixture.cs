using BeamSync.Core;
using BeamSync.Core.Crypto;
using BeamSync.Db;
using BeamSync.Network.Snap;
using BeamSync.Trie;

namespace BeamSync.Network.Tests.SnapStore;

/// <summary>
/// A committed state of 3,000 accounts in a memory store: every 100th has a storage trie of 20 slots, one has 1,500
/// slots (so a storage range gets cut), every 50th has code. Built once per test class.
/// </summary>
public sealed class SnapStateFixture
{
    public const int AccountCount = 3_000;
    public MemoryKeyValueStore Store { get; } = new();
    public Hash256 Root { get; }
    /// <summary>Account hash to consensus body, sorted by hash.</summary>
    public SortedDictionary<Hash256, byte[]> Accounts { get; } = [];
    /// <summary>Account hash to its storage (slot hash to stored value), for accounts with storage.</summary>
    public Dictionary<Hash256, SortedDictionary<Hash256, byte[]>> Storage { get; } = [];
    public Dictionary<Hash256, byte[]> Codes { get; } = [];
    public Hash256 BigStorageAccount { get; }

    public SnapStateFixture()
    {
        var state = new PatriciaTrie(EmptyNodeSource.Instance);
        for (int i = 0; i < AccountCount; i++)
        {
            var hash = Keccak256.Hash(BitConverter.GetBytes(i));
            int slotCount = i == 7 ? 1_500 : i % 100 == 0 ? 20 : 0;
            var storageRoot = Hash256.EmptyTrieRoot;
            if (slotCount > 0)
            {
                var slots = new SortedDictionary<Hash256, byte[]>();
                var storage = new PatriciaTrie(EmptyNodeSource.Instance, default(Hash256), TrieOwner.Storage(hash));
                for (int s = 0; s < slotCount; s++)
                {
                    var slotHash = Keccak256.Hash(BitConverter.GetBytes(s * 7919 + i));
                    var value = Rlp.Encode((ulong)(s + 1) * 1_000_003);
                    storage.Set(slotHash.Bytes, value);
                    slots[slotHash] = value;
                }
                storageRoot = storage.Commit(Store);
                Storage[hash] = slots;
                if (i == 7) BigStorageAccount = hash;
            }
            var codeHash = Hash256.EmptyKeccak;
            if (i % 50 == 0)
            {
                var code = Keccak256.HashToArray(BitConverter.GetBytes(-i)).Concat(new byte[i % 300]).ToArray();
                codeHash = Keccak256.Hash(code);
                Store.Put(Column.Code, codeHash.Bytes, code);
                Codes[codeHash] = code;
            }
            var body = StateTrieBuilder.EncodeAccount((ulong)i, new UInt256((ulong)i * 1_000_000_007), storageRoot, codeHash);
            state.Set(hash.Bytes, body);
            Accounts[hash] = body;
        }
        Root = state.Commit(Store);
    }

    public StoreSnapServer Server()
    {
        var roots = new RecentStateRoots();
        roots.Add(Root);
        return new StoreSnapServer(Store, roots);
    }

    /// <summary>
    /// A server over a copy of this store without the subtree under <paramref name="missingNibble"/> of each of
    /// <paramref name="roots"/> (each a branch): the partial state a beam node holds while it still fetches.
    /// </summary>
    public StoreSnapServer PartialServer(int missingNibble, params Hash256[] roots)
    {
        var partial = new MemoryKeyValueStore();
        foreach (var column in new[] { Column.TrieNodes, Column.Code })
            foreach (var (key, value) in Store.Iterate(column, []))
                partial.Put(column, key, value);
        foreach (var root in roots)
        {
            var branch = (BranchNode)NodeDecoder.Decode(root, Store.Get(Column.TrieNodes, root.Bytes)!);
            partial.Delete(Column.TrieNodes, ((HashNode)branch.Children[missingNibble]!).Hash.Bytes);
        }
        var recent = new RecentStateRoots();
        recent.Add(Root);
        return new StoreSnapServer(partial, recent);
    }

    /// <summary>The key right after <paramref name="hash"/> (hash + 1), for an origin that falls in a gap.</summary>
    public static Hash256 Next(Hash256 hash)
    {
        var b = hash.ToArray();
        for (int i = 31; i >= 0 && ++b[i] == 0; i--) { }
        return new Hash256(b);
    }

    /// <summary>The hex-prefix (compact) encoding of a nibble path, as GetTrieNodes carries paths.</summary>
    public static byte[] Compact(params byte[] nibbles)
    {
        var compact = new byte[Nibbles.CompactLength(nibbles.Length)];
        Nibbles.ToCompact(nibbles, false, compact);
        return compact;
    }
}
