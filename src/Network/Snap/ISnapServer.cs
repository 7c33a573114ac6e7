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
    /// <summary>Whether <paramref name="stateRoot"/> is one of the recent state roots this node serves (<see cref="RecentStateRoots"/>).</summary>
    bool HasRecentState(Hash256 stateRoot);
    AccountRange GetAccountRange(Hash256 stateRoot, Hash256 origin, Hash256 limit, int responseBytes);
    StorageRanges GetStorageRanges(Hash256 stateRoot, IReadOnlyList<Hash256> accounts, Hash256 origin, Hash256 limit, int responseBytes);
    /// <summary>Codes in request order, unknown ones skipped (no placeholders).</summary>
    IReadOnlyList<byte[]> GetByteCodes(IReadOnlyList<Hash256> codeHashes, int responseBytes);
    /// <summary>Nodes in request order for the compact-encoded paths below <paramref name="stateRoot"/>.</summary>
    IReadOnlyList<byte[]> GetTrieNodes(Hash256 stateRoot, IReadOnlyList<TrieNodePathSet> paths, int responseBytes);
}

/// <summary>
/// The window of state roots a snap server answers for: the <see cref="Window"/> most recently added (snap1.md:
/// peers are expected to query state no older than 128 blocks; a devnet with fast blocks may keep fewer). State for
/// a root outside the window gets the spec's empty answers. The node (or the beam syncer, as it verifies blocks)
/// calls <see cref="Add"/> from any thread. Thread-safe.
/// </summary>
public sealed class RecentStateRoots
{
    /// <summary>The mainnet window: the 128 blocks snap peers may ask about.</summary>
    public const int MainnetWindow = 128;

    private readonly Queue<Hash256> _order = new();
    private readonly HashSet<Hash256> _set = [];
    private readonly Lock _lock = new();

    public RecentStateRoots(int window = MainnetWindow)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(window, 1);
        Window = window;
    }

    /// <summary>How many of the most recent roots are served.</summary>
    public int Window { get; }

    /// <summary>Adds the newest root (a repeat is ignored); the oldest leaves the window once it is full.</summary>
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
