using BeamSync.Core;
using BeamSync.Db;

namespace BeamSync.Trie;

public sealed partial class PatriciaTrie
{
    /// <summary>
    /// Encodes the changes, writes every new node referenced by hash (and the root) to <paramref name="sink"/>, and
    /// returns the root hash. With <paramref name="unload"/> the in-memory nodes are dropped afterwards (the root
    /// becomes a hash reference) so memory stays bounded across many commits; reads then go back to the source,
    /// which must by then hold what the sink received.
    /// </summary>
    public Hash256 Commit(INodeSink sink, bool unload = false)
    {
        var root = RootHash;
        if (_root is null) return root;
        if (_root.Dirty)
        {
            // The root is stored under its hash even when its encoding is short enough to inline.
            if (!_root.IsHashReferenced) sink.PutNode(root, _root.Encoded);
            Hasher.WriteDirty(_root, sink);
        }
        if (unload) _root = new HashNode(root);
        return root;
    }

    /// <summary>Commits into one atomic batch of <paramref name="store"/> and applies it.</summary>
    public Hash256 Commit(IKeyValueStore store, bool unload = false)
    {
        using var batch = store.StartBatch();
        var root = Commit(new BatchNodeSink(batch), unload);
        batch.Commit();
        return root;
    }
}
