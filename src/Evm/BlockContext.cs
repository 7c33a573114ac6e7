using BeamSync.Core;
using BeamSync.Core.Specs;

namespace BeamSync.Evm;

/// <summary>
/// What the EVM sees of the block being executed. <see cref="BlobParameters"/> (the chain's blob schedule at the
/// block) bounds the blobs a transaction may carry; when null the fork's default parameters apply. Immutable.
/// </summary>
public sealed record BlockContext(
    Address Coinbase,
    ulong Number,
    ulong Timestamp,
    ulong GasLimit,
    UInt256 BaseFee,
    UInt256 Difficulty,
    Hash256 PrevRandao,
    ulong ChainId,
    UInt256 BlobBaseFee,
    Func<ulong, Hash256> GetBlockHash)
{
    public BlobParameters? BlobParameters { get; init; }
}

/// <summary>What the EVM sees of the transaction being executed. Immutable.</summary>
public sealed record TxContext(Address Origin, UInt256 GasPrice, Hash256[] BlobHashes);
