using BeamSync.Core;
using BeamSync.Core.Types;

namespace BeamSync.Chain.Building;

/// <summary>
/// What the consensus side decides about a post-merge block (the engine API's payload attributes): its time, fee
/// recipient, prevRandao, the parent beacon block root (Cancun) and the withdrawals to pay (Shanghai). A
/// <see cref="GasLimit"/> is the limit the builder steers toward within the allowed step; null keeps the parent's.
/// </summary>
public sealed record BlockAttributes(
    ulong Timestamp,
    Address FeeRecipient,
    Hash256 PrevRandao,
    Hash256 ParentBeaconBlockRoot,
    IReadOnlyList<Withdrawal> Withdrawals)
{
    public ulong? GasLimit { get; init; }
    public byte[] ExtraData { get; init; } = [];
}
