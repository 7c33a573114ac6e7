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
    /// has no hash to be stored under, so it travels inside the parent). Walks the stored RLP directly, without
    /// decoding nodes into objects: this is the hot path of serving trie healing.
    /// </summary>
    private byte[]? NodeAt(Hash256 root, ReadOnlySpan<byte> compactPath)
    {
        // No trie path is longer than 64 nibbles (33 compact bytes); refuse longer ones before decoding them.
        if (compactPath.Length > Nibbles.CompactLength(2 * Hash256.Size)) return null;
        if (!Nibbles.TryFromCompact(compactPath, out var path, out _)) return null;
        if (root == Hash256.EmptyTrieRoot) return null;
        var stored = store.Get(Column.TrieNodes, root.Bytes);
        if (stored is null) return null;
        ReadOnlySpan<byte> node = stored;
        int pos = 0;
        while (pos < path.Length)
        {
            var child = ChildTowards(node, path, ref pos);
            if (child.IsEmpty) return null;
            if (child[0] >= 0xc0)
            {
                stored = null; // an inline node: walk on inside it, but it cannot be served on its own
                node = child;
                continue;
            }
            var reference = new RlpReader(child).ReadBytes();
            if (reference.Length != Hash256.Size) return null;
            stored = store.Get(Column.TrieNodes, reference);
            if (stored is null) return null;
            node = stored;
        }
        return stored;
    }

    /// <summary>
    /// The encoded child reference (a 32-byte hash string or an inline node list) that <paramref name="path"/> leads
    /// to from <paramref name="node"/>, advancing <paramref name="pos"/> past the nibbles consumed; empty when the
    /// path leaves the trie here (a leaf, a diverging extension, or an empty branch slot).
    /// </summary>
    private static ReadOnlySpan<byte> ChildTowards(ReadOnlySpan<byte> node, byte[] path, scoped ref int pos)
    {
        var list = new RlpReader(node).ReadList();
        var first = list.ReadEncodedItem();
        var second = list.ReadEncodedItem();
        if (list.HasMore)
        {
            int nibble = path[pos++];
            if (nibble == 0) return EmptyIfNoChild(first);
            if (nibble == 1) return EmptyIfNoChild(second);
            for (int i = 2; i < nibble; i++) list.SkipItem();
            return EmptyIfNoChild(list.ReadEncodedItem());
        }
        var compact = new RlpReader(first).ReadBytes();
        if (compact.IsEmpty) return default;
        int flags = compact[0] >> 4;
        if (flags > 3 || (flags & 2) != 0) return default; // not hex-prefix, or a leaf: nothing lies below a leaf
        bool odd = (flags & 1) != 0;
        int length = (compact.Length - 1) * 2 + (odd ? 1 : 0);
        if (path.Length - pos < length) return default;
        for (int k = 0; k < length; k++)
        {
            int index = k + (odd ? 1 : 2); // nibble index within the compact bytes, past the flag nibble (and pad)
            int b = compact[index >> 1];
            if (path[pos + k] != ((index & 1) == 0 ? b >> 4 : b & 0x0f)) return default;
        }
        pos += length;
        return second;
    }

    private static ReadOnlySpan<byte> EmptyIfNoChild(ReadOnlySpan<byte> reference) => reference.Length == 1 && reference[0] == 0x80 ? default : reference;
}
