namespace BeamSync.Sync;

/// <summary>
/// A snapshot of a beam node's sync, taken at one moment: what the live view, the devnet summary, the JSON-RPC
/// (eth_syncing, beamsync_syncStats) and the metrics show. Immutable; produced by <c>SyncMetrics.Snapshot()</c>.
/// Counts by kind use the keys of <see cref="FetchKinds"/>, counts by wire form those of <see cref="WireForms"/>.
/// </summary>
public sealed record SyncStats
{
    /// <summary>"idle" (no head yet), "beam" (executing with state fetched on demand), "full" (every node local).</summary>
    public string Mode { get; init; } = "idle";
    /// <summary>Newest head known from the head source.</summary>
    public ulong Head { get; init; }
    /// <summary>Newest block executed and verified here (0 before the first).</summary>
    public ulong Executed { get; init; }
    /// <summary>The block being executed now, or null when waiting.</summary>
    public ulong? Executing { get; init; }
    /// <summary>The current pivot (first block executed after the latest anchor), or null before the first.</summary>
    public ulong? Pivot { get; init; }
    /// <summary>Head minus the block executing (or the last executed when idle).</summary>
    public long Lag { get; init; }
    public double LagMean { get; init; }
    public long LagMax { get; init; }

    /// <summary>State trie nodes in the local store when sync started (0 for a fresh beam node).</summary>
    public long LocalStateNodesAtStart { get; init; }
    /// <summary>State trie nodes in the local store now (fetched or written by execution).</summary>
    public long LocalStateNodes { get; init; }
    /// <summary>State trie nodes local when the first block was verified.</summary>
    public long LocalStateNodesAtFirstBlock { get; init; }
    /// <summary>From the first TCP connect attempt to the first verified block, in milliseconds.</summary>
    public double? TimeToFirstVerifiedBlockMs { get; init; }
    /// <summary>
    /// The way to the first verified block: when each <see cref="FirstBlockSteps"/> step was first reached, in ms
    /// since the first TCP connect attempt, in time order. Steps not reached are absent.
    /// </summary>
    public IReadOnlyDictionary<string, double> FirstBlockTimeline { get; init; } = new Dictionary<string, double>();
    /// <summary>From the first TCP connect attempt to the node being full, in milliseconds.</summary>
    public double? TimeToFullNodeMs { get; init; }

    public long BlocksExecuted { get; init; }
    public int Pivots { get; init; }
    /// <summary>Times the followed head moved to another branch (a beam node: fork choice left the branch it followed; the devnet producer: side branches it made).</summary>
    public int Reorgs { get; init; }
    /// <summary>Times the root the backfill walks moved to a newer one because the serving window slid past it.</summary>
    public int WindowSlidesDuringBackfill { get; init; }

    /// <summary>Verified nodes and code received, by kind (urgent, prefetch, preview, witness, backfill).</summary>
    public IReadOnlyDictionary<string, long> NodesFetchedByKind { get; init; } = new Dictionary<string, long>();
    public IReadOnlyDictionary<string, long> BytesFetchedByKind { get; init; } = new Dictionary<string, long>();
    /// <summary>Verified nodes and code received, by wire form (hash, path, key).</summary>
    public IReadOnlyDictionary<string, long> NodesFetchedByForm { get; init; } = new Dictionary<string, long>();
    public IReadOnlyDictionary<string, long> BytesFetchedByForm { get; init; } = new Dictionary<string, long>();
    /// <summary>Verified nodes received, by peer (client id and short node id).</summary>
    public IReadOnlyDictionary<string, long> NodesFetchedByPeer { get; init; } = new Dictionary<string, long>();
    /// <summary>Verified nodes and their bytes received, by peer (as in <see cref="NodesFetchedByPeer"/>) and then by wire form: each server's share.</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, NodesAndBytes>> FetchedByPeerAndForm { get; init; } = new Dictionary<string, IReadOnlyDictionary<string, NodesAndBytes>>();
    /// <summary>Share of received nodes that came from peers which are themselves beam syncing.</summary>
    public double ShareFromBeamPeers { get; init; }
    /// <summary>State requests sent (each one round trip).</summary>
    public long RoundTrips { get; init; }
    /// <summary>State requests sent, by wire form (hash, path, key).</summary>
    public IReadOnlyDictionary<string, long> RoundTripsByForm { get; init; } = new Dictionary<string, long>();
    /// <summary>Distinct nodes received, and nodes fetched again although they were already local (asked for, or a late by-hash answer).</summary>
    public long DistinctNodesReceived { get; init; }
    public long DuplicateNodesReceived { get; init; }
    /// <summary>DuplicateNodesReceived / DistinctNodesReceived.</summary>
    public double RefetchedFraction { get; init; }
    /// <summary>DuplicateNodesReceived by the kind of fetch that asked for them (urgent, prefetch, preview, witness, backfill).</summary>
    public IReadOnlyDictionary<string, long> DuplicateNodesBySource { get; init; } = new Dictionary<string, long>();
    /// <summary>
    /// Upper nodes of path and range-proof answers that nobody asked for and that were already local: the wire form
    /// carries them; they are neither new nor counted as duplicates.
    /// </summary>
    public long ProofNodesAlreadyLocal { get; init; }

    /// <summary>Per executed block, in order (the latest ones; bounded).</summary>
    public IReadOnlyList<BlockSyncRecord> Blocks { get; init; } = [];
    public double StallMsPerBlockMean { get; init; }
    public double StallMsPerBlockP95 { get; init; }
    public double AvailableToVerifiedMsMean { get; init; }
    public double AvailableToVerifiedMsP95 { get; init; }

    public BackfillProgress Backfill { get; init; } = new();

    /// <summary>Set once the node is full: a walk of its own store (fetching off) from the newest executed root found nothing absent.</summary>
    public string? FinalStateRoot { get; init; }
    /// <summary>The block whose state root <see cref="FinalStateRoot"/> is.</summary>
    public ulong? FinalStateRootBlock { get; init; }
    /// <summary>The hash of that block (after a reorganization it may have left the canonical chain).</summary>
    public string? FinalStateRootBlockHash { get; init; }
    public long? FinalWalkAbsentNodes { get; init; }
}

/// <summary>Verified nodes (and code) received, and their bytes.</summary>
public sealed record NodesAndBytes(long Nodes, long Bytes);

/// <summary>One executed block: how long it stalled on missing state, and how long it took from available to verified.</summary>
public sealed record BlockSyncRecord(
    ulong Number,
    long Lag,
    int Stalls,
    double StallMs,
    double AvailableToVerifiedMs,
    double ExecutionMs,
    long NodesFetchedUrgent,
    long GasUsed);

/// <summary>Backfill: how far the background download has got and how long it has left.</summary>
public sealed record BackfillProgress
{
    public bool Running { get; init; }
    public bool Paused { get; init; }
    public bool Complete { get; init; }
    /// <summary>Estimated fraction of the state that is local (0..1), from the key space the walk has covered.</summary>
    public double Fraction { get; init; }
    public long NodesStored { get; init; }
    /// <summary>Estimated seconds left, or null when unknown.</summary>
    public double? EtaSeconds { get; init; }
    /// <summary>The state root the backfill walks now, hex.</summary>
    public string? Root { get; init; }
    /// <summary>Why the backfill stopped, when it failed.</summary>
    public string? Error { get; init; }
}

/// <summary>The steps of <see cref="SyncStats.FirstBlockTimeline"/>, in the order they usually come.</summary>
public static class FirstBlockSteps
{
    /// <summary>The first peer's RLPx handshake is done (the connection is authenticated).</summary>
    public const string Rlpx = "rlpx";
    /// <summary>The first peer's devp2p Hello is exchanged.</summary>
    public const string Hello = "hello";
    /// <summary>The first peer's eth Status is exchanged: the session is ready.</summary>
    public const string Status = "status";
    /// <summary>A devnet node took its genesis header from that peer (one header request).</summary>
    public const string Genesis = "genesis";
    /// <summary>The first peer was handed to the syncer.</summary>
    public const string PeerAdded = "peerAdded";
    /// <summary>The head source named the first head.</summary>
    public const string HeadKnown = "headKnown";
    /// <summary>The pivot and its ancestors' headers are stored: the anchor is set and state can be asked for.</summary>
    public const string AnchorHeaders = "anchorHeaders";
    /// <summary>A peer named the hashes of the first block's witness.</summary>
    public const string WitnessHashes = "witnessHashes";
    /// <summary>The first block's body arrived (the block is available).</summary>
    public const string Body = "body";
    /// <summary>The first urgent miss of the first block's execution.</summary>
    public const string FirstUrgentMiss = "firstUrgentMiss";
    /// <summary>The first block's prefetch, preview and witness each ended (every node they asked for is local).</summary>
    public const string PrefetchDone = "prefetchDone", PreviewDone = "previewDone", WitnessLocal = "witnessLocal";
    /// <summary>The executor started the first block.</summary>
    public const string ExecutionStart = "executionStart";
    /// <summary>The first block's state root matched its header.</summary>
    public const string Verified = "verified";
}

/// <summary>The kinds of state fetch, as used as keys in <see cref="SyncStats"/>.</summary>
public static class FetchKinds
{
    public const string Urgent = "urgent", Prefetch = "prefetch", Preview = "preview", Witness = "witness", Backfill = "backfill";
    public static readonly string[] All = [Urgent, Prefetch, Preview, Witness, Backfill];
}

/// <summary>The wire forms a node can be fetched in, as used as keys in <see cref="SyncStats"/>.</summary>
public static class WireForms
{
    public const string Hash = "hash", Path = "path", Key = "key";
    public static readonly string[] All = [Hash, Path, Key];
}
