using BeamSync.Core;
using BeamSync.Db;

namespace BeamSync.Trie;

/// <summary>
/// Reads trie nodes from <see cref="Column.TrieNodes"/> and code from <see cref="Column.Code"/> of a key-value store,
/// both keyed by hash. Absent is absent: it never fetches. Thread-safe as the store is.
/// </summary>
public sealed class StoreNodeSource(IKeyValueStore store) : INodeSource
{
    public IKeyValueStore Store => store;

    public byte[]? GetNode(Hash256 hash, TrieOwner owner, ReadOnlySpan<byte> path, ReadOnlySpan<byte> keyNibbles) => store.Get(Column.TrieNodes, hash.Bytes);

    public byte[]? GetCode(Hash256 codeHash) => store.Get(Column.Code, codeHash.Bytes);

    public bool HasNode(Hash256 hash) => store.Has(Column.TrieNodes, hash.Bytes);

    /// <summary>Every node reaches the store through a commit (hashed as it was encoded) or after a verified fetch.</summary>
    public bool ReturnsVerifiedNodes => true;
}

/// <summary>Writes committed nodes into one atomic write batch of the store (<see cref="Column.TrieNodes"/>).</summary>
public sealed class BatchNodeSink(IWriteBatch batch) : INodeSink
{
    public void PutNode(Hash256 hash, ReadOnlySpan<byte> rlp) => batch.Put(Column.TrieNodes, hash.Bytes, rlp);
}

/// <summary>A source with nothing in it: every read is a miss (proof checking, tries built from scratch).</summary>
public sealed class EmptyNodeSource : INodeSource
{
    public static readonly EmptyNodeSource Instance = new();
    public byte[]? GetNode(Hash256 hash, TrieOwner owner, ReadOnlySpan<byte> path, ReadOnlySpan<byte> keyNibbles) => null;
    public byte[]? GetCode(Hash256 codeHash) => null;
}

/// <summary>Writes committed nodes through a <see cref="BoundedBatchWriter"/>: bulk loads that must not hold every node in one batch.</summary>
public sealed class BoundedNodeSink(BoundedBatchWriter writer) : INodeSink
{
    public void PutNode(Hash256 hash, ReadOnlySpan<byte> rlp) => writer.Put(Column.TrieNodes, hash.Bytes, rlp);
}
