using System.Numerics;
using BeamSync.Core;

namespace BeamSync.Evm;

/// <summary>EIP-4844 blob gas arithmetic. Stateless; thread-safe.</summary>
public static class BlobGas
{
    public const ulong GasPerBlob = 1 << 17;
    public const byte VersionedHashVersionKzg = 0x01;
    private const ulong MinBlobBaseFee = 1;

    /// <summary>Cancun's target 3 / max 6 blobs; Prague (EIP-7691) raised them to 6 / 9.</summary>
    public static int MaxBlobsPerBlock(EvmSpec spec) => spec.IsPrague ? 9 : 6;

    private static ulong UpdateFraction(EvmSpec spec) => spec.IsPrague ? 5007716UL : 3338477UL;

    /// <summary>The blob base fee for a block's excess blob gas: fake_exponential(1, excess, fraction).</summary>
    public static UInt256 BaseFee(ulong excessBlobGas, EvmSpec spec) =>
        UInt256.FromBigInteger(FakeExponential(MinBlobBaseFee, excessBlobGas, UpdateFraction(spec)));

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
