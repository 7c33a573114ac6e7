using BeamSync.Core;
using BeamSync.Core.Specs;
using BeamSync.Core.Types;

namespace BeamSync.Rpc;

/// <summary>
/// The chain as the RPC layer reads it: headers, bodies and receipts by block hash, the canonical index, the head and
/// the fork-choice tags. Implementations must be safe for concurrent readers (RPC workers read in parallel with the
/// importer writing).
/// </summary>
public interface IRpcChain
{
    ChainSpec Spec { get; }
    BlockHeader? Head { get; }

    /// <summary>The head the consensus layer calls safe; null when unknown (the RPC then answers with the head).</summary>
    BlockHeader? SafeHead { get; }

    /// <summary>The finalized head; null when unknown (the RPC then answers with the head).</summary>
    BlockHeader? FinalizedHead { get; }

    BlockHeader? GetHeader(Hash256 hash);
    Hash256? GetCanonicalHash(ulong number);
    BlockBody? GetBody(Hash256 hash);
    Receipt[]? GetReceipts(Hash256 hash);

    /// <summary>The fork <paramref name="header"/> executed under.</summary>
    Fork ForkOf(BlockHeader header);
}
