using BeamSync.Core;
using BeamSync.Core.Specs;
using BeamSync.Evm;

namespace BeamSync.Chain.Specs;

/// <summary>How the Chain layer reads a <see cref="ChainSpec"/>: the fork of a block given its parent's total difficulty.</summary>
public static class ChainRules
{
    /// <summary>
    /// The fork whose rules apply to a block: past the merge when the chain says so from number and time, or when
    /// the parent's total difficulty reached the terminal total difficulty.
    /// </summary>
    public static Fork ForkOf(this ChainSpec spec, ulong number, ulong timestamp, in UInt256 parentTotalDifficulty) =>
        spec.ForkAt(number, timestamp, spec.IsKnownPostMerge(number, timestamp) || (number > 0 && spec.ReachedTerminalTotalDifficulty(parentTotalDifficulty)));

    /// <summary>The blob parameters of a Cancun-or-later block (the fork's defaults when the spec configures none).</summary>
    public static BlobParameters BlobParametersOf(this ChainSpec spec, ulong timestamp, Fork fork) =>
        spec.BlobParametersAt(timestamp) ?? BlobParameters.DefaultFor(fork >= Fork.Prague ? Fork.Prague : Fork.Cancun)!.Value;

    public static ulong MaxBlobGas(this BlobParameters p) => p.Max * BlobGas.GasPerBlob;

    /// <summary>The DAO fork block when this chain takes the fork (pro-fork side), else null.</summary>
    public static ulong? ProDaoForkBlock(this ChainSpec spec) => spec.DaoForkSupport ? spec.DaoForkBlock : null;
}
