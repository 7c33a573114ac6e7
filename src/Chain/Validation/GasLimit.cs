using BeamSync.Core.Types;

namespace BeamSync.Chain.Validation;

/// <summary>The gas limit rules of every fork: a bounded step from the parent and an absolute floor and ceiling.</summary>
public static class GasLimit
{
    public const ulong Minimum = 5000;
    /// <summary>The largest gas limit (2^63 - 1): geth and the fixtures keep it in a signed 64-bit integer.</summary>
    public const ulong Maximum = long.MaxValue;
    /// <summary>A block may move the gas limit by strictly less than parent/1024.</summary>
    public const ulong BoundDivisor = 1024;

    /// <summary>
    /// Checks <paramref name="header"/>'s gas limit against its parent's; <paramref name="isLondonForkBlock"/> doubles
    /// the parent's limit first (EIP-1559 keeps the gas target and doubles the limit at the fork).
    /// </summary>
    public static void Validate(BlockHeader header, BlockHeader parent, bool isLondonForkBlock)
    {
        if (header.GasLimit > Maximum) InvalidBlockException.Throw(BlockError.GasLimitTooHigh, $"gas limit {header.GasLimit} above {Maximum}");
        ulong parentLimit = isLondonForkBlock ? parent.GasLimit * BaseFee.ElasticityMultiplier : parent.GasLimit;
        ulong diff = header.GasLimit > parentLimit ? header.GasLimit - parentLimit : parentLimit - header.GasLimit;
        ulong bound = parentLimit / BoundDivisor;
        if (diff >= bound)
            InvalidBlockException.Throw(BlockError.GasLimitOutOfBounds, $"gas limit {header.GasLimit}, parent {parentLimit}, step must be < {bound}");
        if (header.GasLimit < Minimum)
            InvalidBlockException.Throw(BlockError.GasLimitBelowMinimum, $"gas limit {header.GasLimit} below {Minimum}");
    }
}
