using BeamSync.Core;
using BeamSync.Network.Eth;
using BeamSync.Network.Snap;

namespace BeamSync.Sync.Peers;

/// <summary>The ways a peer can hand us state: each maps to a wire message, and the scheduler picks per peer and per miss.</summary>
[Flags]
public enum StateForms
{
    None = 0,
    /// <summary>Trie nodes and code by hash (nodedata/1, or GetNodeData of eth/66).</summary>
    ByHash = 1,
    /// <summary>Trie nodes by path under a recent root (snap/1 GetTrieNodes).</summary>
    ByPath = 2,
    /// <summary>Accounts and slots by key with a boundary proof (snap GetAccountRange/GetStorageRanges of one key).</summary>
    ByKey = 4,
    /// <summary>Code by hash through snap GetByteCodes.</summary>
    Code = 8,
    /// <summary>A block's witness: the node hashes it reads (wit/0).</summary>
    Witness = 16,
}

/// <summary>Why a peer loses standing with the scheduler.</summary>
public enum PeerFault
{
    /// <summary>Bytes that hash to nothing requested, or a node that does not fit where it was asked for.</summary>
    WrongData,
    /// <summary>An answer with none of what was asked.</summary>
    Empty,
    /// <summary>No answer before the deadline.</summary>
    Late,
    /// <summary>The request failed (disconnect, malformed answer).</summary>
    Failed,
}

/// <summary>
/// A connected peer as the sync layer sees it: chain data and state in whichever forms it speaks. The network layer's
/// sessions are adapted to this (<see cref="SessionSyncPeer"/>); tests supply fakes with injected latency and faults.
/// Every method may be called from any thread and returns what the peer sent, unverified beyond the wire's own
/// checks: the scheduler verifies by hash before anything is stored.
/// </summary>
public interface ISyncPeer
{
    /// <summary>A short stable name for logs and per-peer counters.</summary>
    string Id { get; }

    /// <summary>Whether the peer announced itself as a node that is still beam syncing (its state is partial).</summary>
    bool IsBeamSyncing { get; }

    StateForms Forms { get; }

    Task<IReadOnlyList<byte[]>> GetBlockHeadersAsync(HeadersQuery query, CancellationToken ct);

    Task<IReadOnlyList<byte[]>> GetBlockBodiesAsync(IReadOnlyList<Hash256> blockHashes, CancellationToken ct);

    /// <summary>Trie nodes or code by hash, in any order, possibly fewer than asked.</summary>
    Task<IReadOnlyList<byte[]>> GetNodesByHashAsync(IReadOnlyList<Hash256> hashes, CancellationToken ct);

    /// <summary>Trie nodes by path under <paramref name="root"/>, in request order, possibly fewer (empty items for no node there).</summary>
    Task<IReadOnlyList<byte[]>> GetTrieNodesAsync(Hash256 root, IReadOnlyList<TrieNodePathSet> paths, int responseBytes, CancellationToken ct);

    /// <summary>Accounts from <paramref name="origin"/> (snap GetAccountRange) with their boundary proof, unverified.</summary>
    Task<AccountRange> GetAccountRangeAsync(Hash256 root, Hash256 origin, Hash256 limit, int responseBytes, CancellationToken ct);

    /// <summary>Storage slots of <paramref name="accounts"/> (snap GetStorageRanges) with the last range's boundary proof, unverified.</summary>
    Task<StorageRanges> GetStorageRangesAsync(Hash256 root, IReadOnlyList<Hash256> accounts, Hash256 origin, Hash256 limit, int responseBytes, CancellationToken ct);

    Task<IReadOnlyList<byte[]>> GetByteCodesAsync(IReadOnlyList<Hash256> codeHashes, int responseBytes, CancellationToken ct);

    Task<IReadOnlyList<Hash256>> GetWitnessHashesAsync(Hash256 blockHash, CancellationToken ct);

    /// <summary>Tells the network layer the peer misbehaved; repeated faults end its session.</summary>
    void Penalize(PeerFault fault);
}
