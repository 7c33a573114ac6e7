using BeamSync.Core;
using BeamSync.Db;
using BeamSync.Network.Serving;

namespace BeamSync.Node;

/// <summary>Trie nodes and code by hash from the node's store, for by-hash serving (nodedata/1, GetNodeData). Thread-safe.</summary>
public sealed class StoreNodeStore(IKeyValueStore store) : INodeStore
{
    public byte[]? GetNodeOrCode(Hash256 hash) => store.Get(Column.TrieNodes, hash.Bytes) ?? store.Get(Column.Code, hash.Bytes);
}
