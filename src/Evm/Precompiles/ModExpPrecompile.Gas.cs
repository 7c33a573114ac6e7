using System.Numerics;
using BeamSync.Core.Specs;

namespace BeamSync.Evm.Precompiles;

public sealed partial class ModExpPrecompile
{
    /// <summary>Which EIP prices the call.</summary>
    private enum Pricing { Eip198, Eip2565, Eip7883 }

    private static Pricing PricingFor(Fork fork) =>
        fork >= Fork.Osaka ? Pricing.Eip7883 : fork >= Fork.Berlin ? Pricing.Eip2565 : Pricing.Eip198;

    /// <summary>
    /// mult_complexity(max(baseLen, modLen)) · max(adjusted exponent length, 1) / divisor, exactly as the EIPs define
    /// it, saturated at long.MaxValue. Every intermediate is an exact UInt128 or provably past the saturation point.
    /// </summary>
    public long GasCost(ReadOnlySpan<byte> input, Fork fork)
    {
        Pricing pricing = PricingFor(fork);
        long minimum = pricing switch { Pricing.Eip7883 => 500, Pricing.Eip2565 => 200, _ => 0 };
        UInt128 baseLen = ReadLength(input, 0), expLen = ReadLength(input, 32), modLen = ReadLength(input, 64);
        UInt128 maxLen = UInt128.Max(baseLen, modLen);
        // Zero lengths cost nothing beyond the minimum, except under EIP-7883 whose complexity is never below 16.
        if (maxLen == 0 && pricing != Pricing.Eip7883) return minimum;
        // Past 2^64 the complexity alone exceeds 2^120.
        if (maxLen > ulong.MaxValue) return long.MaxValue;

        UInt128 complexity = pricing switch
        {
            Pricing.Eip7883 => Eip7883Complexity((ulong)maxLen),
            Pricing.Eip2565 => Eip2565Complexity((ulong)maxLen),
            _ => Eip198Complexity((ulong)maxLen),
        };

        // From here complexity ≥ 1, so an adjusted exponent length ≥ 2^123 saturates too.
        if (expLen >= (UInt128)1 << 120) return long.MaxValue;
        // EIP-7883 doubles the weight of exponent bytes beyond the first 32 (8 → 16 per byte).
        UInt128 adjusted = AdjustedExponentLength(input, baseLen, expLen, pricing == Pricing.Eip7883 ? 16u : 8u);
        UInt128 iterations = UInt128.Max(adjusted, 1);
        if (complexity > UInt128.MaxValue / iterations) return long.MaxValue;

        // EIP-7883 drops the divisor (EIP-2565 divided by 3, EIP-198 by 20).
        UInt128 gas = complexity * iterations / pricing switch { Pricing.Eip7883 => 1u, Pricing.Eip2565 => 3u, _ => 20u };
        if (gas > long.MaxValue) return long.MaxValue;
        return Math.Max((long)gas, minimum);
    }

    /// <summary>EIP-2565: ceil(x/8)².</summary>
    private static UInt128 Eip2565Complexity(ulong x)
    {
        UInt128 words = ((UInt128)x + 7) / 8;
        return words * words;
    }

    /// <summary>EIP-7883: 16 up to 32 bytes, then 2·ceil(x/8)².</summary>
    private static UInt128 Eip7883Complexity(ulong x)
    {
        if (x <= 32) return 16;
        UInt128 words = ((UInt128)x + 7) / 8;
        return 2 * words * words;
    }

    /// <summary>EIP-198: x² up to 64, x²/4 + 96x − 3072 up to 1024, x²/16 + 480x − 199680 beyond.</summary>
    private static UInt128 Eip198Complexity(ulong x)
    {
        UInt128 square = (UInt128)x * x;
        if (x <= 64) return square;
        if (x <= 1024) return square / 4 + (UInt128)96 * x - 3072;
        return square / 16 + (UInt128)480 * x - 199_680;
    }

    /// <summary>
    /// The index of the highest set bit of the exponent's first 32 bytes (0 when they are zero), plus 8 per exponent
    /// byte beyond 32 (<paramref name="tailByteWeight"/>: 8, or 16 from EIP-7883). The exponent starts at 96 + baseLen, possibly beyond the input (then it reads as zero).
    /// </summary>
    private static UInt128 AdjustedExponentLength(ReadOnlySpan<byte> input, UInt128 baseLen, UInt128 expLen, uint tailByteWeight)
    {
        int headLength = (int)UInt128.Min(expLen, 32);
        int highestBit = 0;
        if (baseLen < (ulong)input.Length && headLength > 0)
        {
            Span<byte> head = stackalloc byte[32];
            PaddedInput.Copy(input, HeaderSize + (ulong)baseLen, head[..headLength]);
            int first = head[..headLength].IndexOfAnyExcept((byte)0);
            if (first >= 0)
                highestBit = (headLength - 1 - first) * 8 + (7 - BitOperations.LeadingZeroCount((uint)head[first]) + 24);
        }
        UInt128 tail = expLen > 32 ? (expLen - 32) * tailByteWeight : 0;
        return tail + (ulong)highestBit;
    }
}
