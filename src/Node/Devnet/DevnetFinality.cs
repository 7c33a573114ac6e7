using BeamSync.Core;
using BeamSync.Core.Types;

namespace BeamSync.Node.Devnet;

/// <summary>
/// The safe and finalized blocks the devnet's consensus side names beside a head, as a beacon chain would: safe
/// <see cref="SafeDistance"/> blocks below the head (attested, not yet justified), finalized at the first block of the
/// epoch <see cref="FinalizedEpochs"/> epochs of <see cref="EpochLength"/> blocks before the head's (finality two
/// epochs behind), the genesis early on. Both are ancestors of the head they come with, so never ahead of it nor on a
/// branch it abandoned. Pure.
/// </summary>
public static class DevnetFinality
{
    public const ulong SafeDistance = 2;
    public const ulong EpochLength = 32;
    public const ulong FinalizedEpochs = 2;

    public static ulong SafeNumber(ulong head) => head > SafeDistance ? head - SafeDistance : 0;

    public static ulong FinalizedNumber(ulong head) => head / EpochLength > FinalizedEpochs ? (head / EpochLength - FinalizedEpochs) * EpochLength : 0;

    /// <summary>
    /// The hashes of the safe and finalized ancestors of <paramref name="head"/>, found through its parents (so on its
    /// branch); a parent <paramref name="headers"/> does not hold ends the walk there (zero for what it did not reach).
    /// </summary>
    public static (Hash256 Safe, Hash256 Finalized) Of(BlockHeader head, Func<Hash256, BlockHeader?> headers)
    {
        ulong safeNumber = SafeNumber(head.Number), finalizedNumber = FinalizedNumber(head.Number);
        Hash256 safe = default, finalized = default;
        var current = head;
        while (true)
        {
            if (current.Number == safeNumber) safe = current.Hash;
            if (current.Number == finalizedNumber) { finalized = current.Hash; break; }
            if (current.Number == 0 || headers(current.ParentHash) is not { } parent) break;
            current = parent;
        }
        return (safe, finalized);
    }
}
