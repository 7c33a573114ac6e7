using BeamSync.Chain.Processing;
using BeamSync.Core;
using BeamSync.Db;

namespace BeamSync.Chain.Building;

/// <summary>
/// The trie nodes and code a built block's state commit produced, held until the caller stores them (in the same
/// batch as the block, so a block and its state land together). Not thread-safe while being filled; safe to read
/// from many threads afterwards.
/// </summary>
public sealed class StateWrites : IStateSink
{
    private readonly Dictionary<Hash256, byte[]> _nodes = new();
    private readonly Dictionary<Hash256, byte[]> _code = new();

    public int NodeCount => _nodes.Count;
    public int CodeCount => _code.Count;
    public IReadOnlyDictionary<Hash256, byte[]> Nodes => _nodes;
    public IReadOnlyDictionary<Hash256, byte[]> Code => _code;

    public void PutNode(Hash256 hash, ReadOnlySpan<byte> rlp) => _nodes[hash] = rlp.ToArray();
    public void PutCode(Hash256 codeHash, ReadOnlySpan<byte> code) => _code[codeHash] = code.ToArray();

    /// <summary>Adds every node and code to <paramref name="batch"/>, in key order (RocksDB's memtable inserts a sorted batch far faster).</summary>
    public void WriteTo(IWriteBatch batch)
    {
        foreach (var (hash, rlp) in _nodes.OrderBy(p => p.Key)) batch.Put(Column.TrieNodes, hash.Bytes, rlp);
        foreach (var (hash, code) in _code.OrderBy(p => p.Key)) batch.Put(Column.Code, hash.Bytes, code);
    }
}
