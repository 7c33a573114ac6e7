using BeamSync.Chain.Processing;
using BeamSync.Core;
using BeamSync.Db;

namespace BeamSync.Chain.Store;

/// <summary>Puts a state's new trie nodes and code into one block's write batch. Not thread-safe (a batch has one writer).</summary>
public sealed class BatchStateSink(IWriteBatch batch) : IStateSink
{
    public void PutNode(Hash256 hash, ReadOnlySpan<byte> rlp) => batch.Put(Column.TrieNodes, hash.Bytes, rlp);
    public void PutCode(Hash256 codeHash, ReadOnlySpan<byte> code) => batch.Put(Column.Code, codeHash.Bytes, code);
}
