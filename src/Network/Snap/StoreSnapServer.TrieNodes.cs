using BeamSync.Core;
using BeamSync.Db;
using BeamSync.Trie;

namespace BeamSync.Network.Snap;

public sealed partial class StoreSnapServer
{
    public IReadOnlyList<byte[]> GetTrieNodes(Hash256 stateRoot, IReadOnlyList<TrieNodePathSet> paths, int responseBytes)
    {
        var nodes = new List<byte[]>();
        if (!HasRecentState(stateRoot)) return nodes;
        int bytes = 0;
        try
        {
            PatriciaTrie? accountTrie = null;
            foreach (var set in paths)
            {
                if (set.StoragePaths.Count == 0)
                {
                    // Nodes must stay in request order, so the first one we cannot serve ends the reply.
                    var node = NodeAt(stateRoot, set.AccountPath);
                    if (node is null) return nodes;
                    nodes.Add(node);
                    bytes += node.Length;
                }
                else
                {
                    // With storage paths the first element is the account's full hash, plain binary (as go-ethereum sends it).
                    if (set.AccountPath.Length != Hash256.Size) return nodes;
                    accountTrie ??= new PatriciaTrie(_source, stateRoot, TrieOwner.AccountTrie);
                    var body = accountTrie.Get(set.AccountPath);
                    if (body is null) return nodes;
                    var storageRoot = SlimAccount.StorageRoot(body);
                    foreach (var path in set.StoragePaths)
                    {
                        var node = NodeAt(storageRoot, path);
                        if (node is null) return nodes;
                        nodes.Add(node);
                        bytes += node.Length;
                        if (bytes >= responseBytes || nodes.Count >= MaxLookups) return nodes;
                    }
                }
                if (bytes >= responseBytes || nodes.Count >= MaxLookups) return nodes;
            }
        }
        catch (Exception e) when (e is MissingTrieNodeException or TrieNodeCorruptException or RlpException)
        {
            // A hole in the local state: serve what came before it.
        }
        return nodes;
    }

    /// <summary>
    /// The RLP of the node at the compact-encoded <paramref name="compactPath"/> below <paramref name="root"/>, or null
    /// when no node sits exactly there, the path is not canonical hex-prefix, or the node is inline in its parent (it
    /// has no hash to be stored under, so it travels inside the parent).
    /// </summary>
    private byte[]? NodeAt(Hash256 root, ReadOnlySpan<byte> compactPath)
    {
        // No trie path is longer than 64 nibbles (33 compact bytes); refuse longer ones before decoding them.
        if (compactPath.Length > Nibbles.CompactLength(2 * Hash256.Size)) return null;
        if (!Nibbles.TryFromCompact(compactPath, out var path, out _)) return null;
        if (root == Hash256.EmptyTrieRoot) return null;
        var rlp = store.Get(Column.TrieNodes, root.Bytes);
        if (rlp is null) return null;
        var node = NodeDecoder.Decode(root, rlp);
        byte[]? encoded = rlp;
        int pos = 0;
        while (pos < path.Length)
        {
            Node? child;
            switch (node)
            {
                case ExtensionNode ext:
                    if (!path.AsSpan(pos).StartsWith(ext.Path)) return null;
                    pos += ext.Path.Length;
                    child = ext.Child;
                    break;
                case BranchNode branch:
                    child = branch.Children[path[pos++]];
                    if (child is null) return null;
                    break;
                default:
                    return null; // a leaf ends the path: nothing lies below it
            }
            if (child is HashNode reference)
            {
                encoded = store.Get(Column.TrieNodes, reference.Hash.Bytes);
                if (encoded is null) return null;
                node = NodeDecoder.Decode(reference.Hash, encoded);
            }
            else
            {
                encoded = null;
                node = child;
            }
        }
        return encoded;
    }
}
