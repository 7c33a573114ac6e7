using BeamSync.Core;

namespace BeamSync.Evm;

/// <summary>What the EVM sees of the block being executed. Immutable.</summary>
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
    Func<ulong, Hash256> GetBlockHash);

/// <summary>What the EVM sees of the transaction being executed. Immutable.</summary>
public sealed record TxContext(Address Origin, UInt256 GasPrice, Hash256[] BlobHashes);
