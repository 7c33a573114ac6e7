using BeamSync.Core;
using BeamSync.Core.Types;

namespace BeamSync.Chain.Validation;

/// <summary>EIP-1559 base fee arithmetic. Stateless; thread-safe.</summary>
public static class BaseFee
{
    /// <summary>The base fee of the London fork block.</summary>
    public const ulong InitialBaseFee = 1_000_000_000;
    public const ulong ElasticityMultiplier = 2;
    public const ulong BaseFeeChangeDenominator = 8;

    /// <summary>
    /// The base fee a child of <paramref name="parent"/> must carry; <paramref name="parentIsLondon"/> false makes the
    /// child the London fork block, which starts at <see cref="InitialBaseFee"/>.
    /// </summary>
    public static UInt256 Calculate(BlockHeader parent, bool parentIsLondon)
    {
        if (!parentIsLondon || parent.BaseFeePerGas is not { } parentBaseFee) return InitialBaseFee;
        ulong target = parent.GasLimit / ElasticityMultiplier;
        if (target == 0 || parent.GasUsed == target) return parentBaseFee;
        if (parent.GasUsed > target)
        {
            var delta = parentBaseFee * new UInt256(parent.GasUsed - target) / new UInt256(target) / new UInt256(BaseFeeChangeDenominator);
            return parentBaseFee + (delta.IsZero ? UInt256.One : delta);
        }
        var decrease = parentBaseFee * new UInt256(target - parent.GasUsed) / new UInt256(target) / new UInt256(BaseFeeChangeDenominator);
        return decrease >= parentBaseFee ? UInt256.Zero : parentBaseFee - decrease;
    }
}
