using System.Numerics;
using BeamSync.Core;
using BeamSync.Core.Specs;

namespace BeamSync.Evm;

/// <summary>
/// EIP-4844 blob gas arithmetic with the later changes to it: per-fork parameters (EIP-7691, EIP-7892) and the
/// Osaka reserve price in the excess calculation (EIP-7918). Both the transaction processor and block validation
/// call these. Stateless; thread-safe.
/// </summary>
public static class BlobGas
{
    public const ulong GasPerBlob = 1 << 17;
    public const byte VersionedHashVersionKzg = 0x01;
    /// <summary>EIP-7918 BLOB_BASE_COST: the execution gas one blob's reserve price is measured in.</summary>
    public const ulong BlobBaseCost = 1 << 13;
    private const ulong MinBlobBaseFee = 1;

    /// <summary>The fork's default blob parameters: Cancun's 3 / 6, Prague's (EIP-7691) 6 / 9, kept by Osaka.</summary>
    public static BlobParameters DefaultParameters(EvmSpec spec) =>
        spec.IsPrague ? BlobParameters.PragueDefault : BlobParameters.CancunDefault;

    /// <summary>Cancun's target 3 / max 6 blobs; Prague (EIP-7691) raised them to 6 / 9.</summary>
    public static int MaxBlobsPerBlock(EvmSpec spec) => (int)DefaultParameters(spec).Max;

    /// <summary>The block's maximum blob count: its configured parameters when given, else the fork's default.</summary>
    public static ulong MaxBlobsPerBlock(EvmSpec spec, BlockContext block) => (block.BlobParameters ?? DefaultParameters(spec)).Max;

    /// <summary>The blob base fee for a block's excess blob gas under the fork's default parameters.</summary>
    public static UInt256 BaseFee(ulong excessBlobGas, EvmSpec spec) => BaseFee(excessBlobGas, DefaultParameters(spec));

    /// <summary>The blob base fee for a block's excess blob gas: fake_exponential(1, excess, update fraction).</summary>
    public static UInt256 BaseFee(ulong excessBlobGas, BlobParameters parameters) =>
        UInt256.FromBigInteger(FakeExponential(MinBlobBaseFee, excessBlobGas, parameters.BaseFeeUpdateFraction));

    /// <summary>
    /// The excess blob gas of a block from its parent's excess, blob gas used and base fee, under the block's blob
    /// <paramref name="parameters"/> (those in force at the child's timestamp, as go-ethereum applies them at a
    /// parameter change). Before Osaka: max(0, excess + used − target). From Osaka (EIP-7918), when the blob base
    /// fee is below the reserve price (BLOB_BASE_COST · base fee > GAS_PER_BLOB · blob base fee), the excess instead
    /// grows by used · (max − target) / max, so blob prices cannot sink while execution gas is expensive.
    /// </summary>
    public static ulong ExcessBlobGas(ulong parentExcessBlobGas, ulong parentBlobGasUsed, in UInt256 parentBaseFee,
        BlobParameters parameters, bool isOsaka)
    {
        ulong target = parameters.Target * GasPerBlob;
        UInt128 total = (UInt128)parentExcessBlobGas + parentBlobGasUsed;
        if (total < target) return 0;
        if (isOsaka && parameters.Max != 0)
        {
            var reservePrice = new BigInteger(BlobBaseCost) * parentBaseFee.ToBigInteger();
            var blobPrice = new BigInteger(GasPerBlob) * FakeExponential(MinBlobBaseFee, parentExcessBlobGas, parameters.BaseFeeUpdateFraction);
            if (reservePrice > blobPrice)
                return parentExcessBlobGas + (ulong)((UInt128)parentBlobGasUsed * (parameters.Max - parameters.Target) / parameters.Max);
        }
        return (ulong)(total - target);
    }

    /// <summary>factor * e^(numerator/denominator), by the Taylor series in integers as the EIP specifies.</summary>
    public static BigInteger FakeExponential(BigInteger factor, BigInteger numerator, BigInteger denominator)
    {
        BigInteger output = 0, accumulator = factor * denominator;
        for (int i = 1; accumulator > 0; i++)
        {
            output += accumulator;
            accumulator = accumulator * numerator / (denominator * i);
        }
        return output / denominator;
    }
}
