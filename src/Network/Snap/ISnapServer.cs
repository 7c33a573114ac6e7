using BeamSync.Core;

namespace BeamSync.Network.Snap;

/// <summary>
/// Serves snap/1 from the node's state (the trie layer implements it with its range proofs). The handler has
/// already capped <c>responseBytes</c> at <see cref="SnapHandler.MaxResponseBytes"/> and checked
/// <see cref="HasRecentState"/>; implementations stop at the byte budget but always return at least one item
/// when any exists (caps/snap1.md). Thread-safe.
/// </summary>
public interface ISnapServer
{
    /// <summary>Whether <paramref name="stateRoot"/> is one of the 128 most recent state roots this node serves.</summary>
    bool HasRecentState(Hash256 stateRoot);
    AccountRange GetAccountRange(Hash256 stateRoot, Hash256 origin, Hash256 limit, int responseBytes);
    StorageRanges GetStorageRanges(Hash256 stateRoot, IReadOnlyList<Hash256> accounts, Hash256 origin, Hash256 limit, int responseBytes);
    /// <summary>Codes in request order, unknown ones skipped (no placeholders).</summary>
    IReadOnlyList<byte[]> GetByteCodes(IReadOnlyList<Hash256> codeHashes, int responseBytes);
    /// <summary>Nodes in request order for the compact-encoded paths below <paramref name="stateRoot"/>.</summary>
    IReadOnlyList<byte[]> GetTrieNodes(Hash256 stateRoot, IReadOnlyList<TrieNodePathSet> paths, int responseBytes);
}

/// <summary>
/// The window of state roots a snap server answers for: the 128 most recent (snap1.md: peers are expected to
/// query state no older than 128 blocks). Thread-safe.
/// </summary>
public sealed class RecentStateRoots
{
    public const int Window = 128;
    private readonly Queue<Hash256> _order = new();
    private readonly HashSet<Hash256> _set = [];
    private readonly Lock _lock = new();

    public void Add(Hash256 root)
    {
        lock (_lock)
        {
            if (!_set.Add(root)) return;
            _order.Enqueue(root);
            if (_order.Count > Window) _set.Remove(_order.Dequeue());
        }
    }

    public bool Contains(Hash256 root) { lock (_lock) return _set.Contains(root); }
}
