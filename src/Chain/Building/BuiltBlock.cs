using BeamSync.Core.Types;

namespace BeamSync.Chain.Building;

/// <summary>Why a candidate transaction was left out of a built block.</summary>
public enum SkipReason
{
    /// <summary>Its gas limit is above what is left of the block's gas.</summary>
    BlockGasExhausted,
    /// <summary>Its blobs would take the block above the blob gas cap.</summary>
    BlobGasExhausted,
    /// <summary>It would take the block's RLP above the EIP-7934 cap (Osaka).</summary>
    BlockSizeExhausted,
    /// <summary>Malformed or not allowed under the fork (signature, chain id, type, fields).</summary>
    InvalidTransaction,
    /// <summary>Well formed but not executable on the state (nonce, balance, fee cap below the base fee...).</summary>
    NotExecutable,
}

/// <summary>A candidate left out, with the reason and the detail the check gave.</summary>
public readonly record struct SkippedTransaction(Transaction Transaction, SkipReason Reason, string Detail);

/// <summary>
/// A block the builder made: the block (every root and field filled), the receipts of its transactions, the state
/// nodes and code its commit produced (not yet stored anywhere), and the candidates left out. Immutable once built.
/// </summary>
public sealed record BuiltBlock(Block Block, Receipt[] Receipts, StateWrites StateWrites, IReadOnlyList<SkippedTransaction> Skipped)
{
    /// <summary>The EIP-7685 requests as type ‖ data in type order (Prague on), null before Prague.</summary>
    public byte[][]? Requests { get; init; }
}
