using BeamSync.Core;

namespace BeamSync.Chain;

/// <summary>
/// The local store lacks chain data a block needs (a header or a total difficulty) although nothing says the block
/// is invalid: our data is incomplete, not the block. Distinct from <see cref="InvalidBlockException"/> so a caller
/// never rejects (or bans the sender of) a block for a gap in its own store; a caller fills the gap and retries.
/// </summary>
public class ChainDataMissingException(Hash256 blockHash, string message) : Exception(message)
{
    /// <summary>The block whose data is missing.</summary>
    public Hash256 BlockHash { get; } = blockHash;

    /// <summary>The stored total difficulty of <paramref name="blockHash"/> is absent; <paramref name="neededBy"/> says who asked.</summary>
    public static ChainDataMissingException TotalDifficulty(Hash256 blockHash, string neededBy) =>
        new(blockHash, $"the total difficulty of block {blockHash} is not stored ({neededBy})");
}

/// <summary>
/// BLOCKHASH asked for an ancestor inside the 256-block window whose header is not stored (a beam node anchored
/// with too few ancestors). Propagates out of block execution; the answer would be a real hash, never zero.
/// <see cref="ChainDataMissingException.BlockHash"/> is the hash of the header that is not stored: the asked block's
/// or one between it and the executing block (a hash is read from its child's parent hash).
/// </summary>
public sealed class MissingAncestorException(ulong number, ulong missingNumber, Hash256 missingHash)
    : ChainDataMissingException(missingHash, $"BLOCKHASH({number}) needs the header of block {missingNumber} ({missingHash}), which is not stored")
{
    /// <summary>The number BLOCKHASH asked for, inside the 256-block window.</summary>
    public ulong Number { get; } = number;

    /// <summary>The number of the header that is not stored.</summary>
    public ulong MissingNumber { get; } = missingNumber;
}
