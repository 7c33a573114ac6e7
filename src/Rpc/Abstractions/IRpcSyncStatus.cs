namespace BeamSync.Rpc;

/// <summary>
/// Where Beam Sync stands, as eth_syncing reports it. <see cref="PivotBlock"/> is the block the sync executes from;
/// <see cref="LagBlocks"/> how far the executed head trails the network's; the backfill fields how much of the state
/// and of the history before the pivot is local.
/// </summary>
public sealed record SyncProgress(
    ulong StartingBlock,
    ulong CurrentBlock,
    ulong HighestBlock,
    ulong PivotBlock,
    ulong LagBlocks,
    ulong StateNodesFetched,
    ulong StateNodesRemaining,
    ulong OldestLocalBlock);

/// <summary>
/// The node's sync status for the RPC. <see cref="Progress"/> is null once the node is in sync.
/// <see cref="OldestLocalBlock"/> is the lowest block whose body and receipts are local: blocks below it (history
/// still being backfilled) are answered with <see cref="RpcErrorCodes.HistoryNotLocal"/>. Thread-safe.
/// </summary>
public interface IRpcSyncStatus
{
    SyncProgress? Progress { get; }
    ulong OldestLocalBlock { get; }
}

/// <summary>A node that is not syncing and holds all history (a full node, or tests).</summary>
public sealed class FullySyncedStatus : IRpcSyncStatus
{
    public static readonly FullySyncedStatus Instance = new();
    public SyncProgress? Progress => null;
    public ulong OldestLocalBlock => 0;
}
