using BeamSync.Chain.Specs;
using BeamSync.Chain.Store;
using BeamSync.Core;
using BeamSync.Core.Specs;
using BeamSync.Core.Types;

namespace BeamSync.Rpc;

/// <summary>
/// <see cref="IRpcChain"/> over the Chain layer's <see cref="BlockStore"/>. Safe and finalized come from the
/// callbacks the node passes (its fork choice); without them both are the head. Thread-safe as the store is.
/// </summary>
public sealed class BlockStoreRpcChain(BlockStore store, ChainSpec spec, Func<BlockHeader?>? safe = null, Func<BlockHeader?>? finalized = null)
    : IRpcChain
{
    public ChainSpec Spec => spec;
    public BlockHeader? Head => store.Head;
    public BlockHeader? SafeHead => safe?.Invoke();
    public BlockHeader? FinalizedHead => finalized?.Invoke();
    public BlockHeader? GetHeader(Hash256 hash) => store.GetHeader(hash);
    public Hash256? GetCanonicalHash(ulong number) => store.GetCanonicalHash(number);
    public BlockBody? GetBody(Hash256 hash) => store.GetBody(hash);
    public Receipt[]? GetReceipts(Hash256 hash) => store.GetReceipts(hash);

    public Fork ForkOf(BlockHeader header)
    {
        var parentTd = header.Number == 0 ? UInt256.Zero : store.GetTotalDifficulty(header.ParentHash) ?? UInt256.Zero;
        return spec.ForkOf(header.Number, header.Timestamp, parentTd);
    }
}
