using BeamSync.Core;
using BeamSync.Db;
using BeamSync.Network.Serving;
using BeamSync.Trie;

namespace BeamSync.Sync.Accelerators;

/// <summary>
/// A node source that remembers the hash of every trie node it hands out, in the order first read: wrapped around
/// the state a block executes against, it yields that block's witness (wit/0: the trie nodes a block reads). The order
/// matters: a beam node fetches the witness in it and starts executing while it streams in, so the nodes execution
/// needs first come first. Thread-safe.
/// </summary>
public sealed class RecordingNodeSource(INodeSource inner) : INodeSource
{
    private readonly HashSet<Hash256> _seen = [];
    private readonly List<Hash256> _read = [];

    /// <summary>The hashes read so far, in the order first read (a copy).</summary>
    public IReadOnlyCollection<Hash256> Read { get { lock (_read) return _read.ToArray(); } }

    public byte[]? GetNode(Hash256 hash, TrieOwner owner, ReadOnlySpan<byte> path, ReadOnlySpan<byte> keyNibbles)
    {
        var node = inner.GetNode(hash, owner, path, keyNibbles);
        if (node is not null)
            lock (_read)
                if (_seen.Add(hash)) _read.Add(hash);
        return node;
    }

    /// <summary>Code is not part of the recorded witness (wit/0 names trie nodes); a beam node fetches code by the account's code hash.</summary>
    public byte[]? GetCode(Hash256 codeHash) => inner.GetCode(codeHash);
}

/// <summary>
/// Witnesses by block hash in the metadata column (prefix "wit"), served over wit/0. A block's witness is written
/// after the block; an unknown block has none. Thread-safe as the store is.
/// </summary>
public sealed class StoreWitnessStore(IKeyValueStore store) : IWitnessStore
{
    private static readonly byte[] Prefix = "wit"u8.ToArray();

    public void Put(Hash256 blockHash, IReadOnlyCollection<Hash256> hashes)
    {
        var value = new byte[hashes.Count * Hash256.Size];
        int offset = 0;
        foreach (var h in hashes) { h.Bytes.CopyTo(value.AsSpan(offset)); offset += Hash256.Size; }
        store.Put(Column.Metadata, Key(blockHash), value);
    }

    public IReadOnlyList<Hash256>? GetWitnessHashes(Hash256 blockHash)
    {
        var value = store.Get(Column.Metadata, Key(blockHash));
        if (value is null) return null;
        var hashes = new Hash256[value.Length / Hash256.Size];
        for (int i = 0; i < hashes.Length; i++) hashes[i] = new Hash256(value.AsSpan(i * Hash256.Size, Hash256.Size));
        return hashes;
    }

    private static byte[] Key(Hash256 blockHash) => [.. Prefix, .. blockHash.Bytes];
}
