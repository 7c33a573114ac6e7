using System.Numerics;
using System.Runtime.CompilerServices;

namespace BeamSync.Core;

// Multi-limb division: Knuth's algorithm D (TAOCP vol. 2, 4.3.1) with each quotient-digit estimate made by
// the Möller–Granlund reciprocal method ("Improved division by invariant integers", 2011), which replaces
// the 128/64-bit hardware division per digit by two multiplications. Dividends of up to eight limbs serve
// DIV/MOD (four), ADDMOD (five) and MULMOD (eight). Everything lives on the stack.
public readonly partial struct UInt256
{
    private const int MaxDividendLimbs = 8;
    private const int MaxDivisorLimbs = 4;

    /// <summary>
    /// Divides <paramref name="dividend"/> by <paramref name="divisor"/> (its top limb non-zero). The quotient is
    /// written to <paramref name="quotient"/> (at least dividend.Length limbs; the rest cleared) and the
    /// remainder to <paramref name="remainder"/> (at least divisor.Length limbs; the rest cleared).
    /// </summary>
    [SkipLocalsInit]
    internal static void DivideLimbs(ReadOnlySpan<ulong> dividend, ReadOnlySpan<ulong> divisor, Span<ulong> quotient, Span<ulong> remainder)
    {
        int m = SignificantLimbs(dividend);
        int n = divisor.Length;
        quotient.Clear();
        remainder.Clear();
        if (m < n)
        {
            dividend[..m].CopyTo(remainder);
            return;
        }

        // Normalize: shift both so the divisor's top bit is set; the dividend gains one limb.
        int shift = BitOperations.LeadingZeroCount(divisor[n - 1]);
        Span<ulong> v = stackalloc ulong[MaxDivisorLimbs];
        Span<ulong> u = stackalloc ulong[MaxDividendLimbs + 1];
        ShiftLeftLimbs(divisor[..n], shift, v);
        u[m] = ShiftLeftLimbs(dividend[..m], shift, u);

        ulong d = v[n - 1];
        ulong reciprocal = Reciprocal(d);

        if (n == 1)
        {
            ulong r = u[m];
            for (int i = m - 1; i >= 0; i--) quotient[i] = DivideTwoByOne(r, u[i], d, reciprocal, out r);
            remainder[0] = r >> shift;
            return;
        }

        ulong dNext = v[n - 2];
        for (int j = m - n; j >= 0; j--)
        {
            // Estimate the digit from the top two dividend limbs and the top divisor limb, then refine it with
            // the next divisor limb; the estimate is then exact or one too large (Knuth's theorem B).
            ulong top = u[j + n], next = u[j + n - 1];
            ulong qHat, rHat;
            bool rHatOverflowed;
            if (top >= d)
            {
                // top == d: the digit is at most 2^64 - 1 and rHat = top*2^64 + next - (2^64 - 1)*d = next + d.
                qHat = ulong.MaxValue;
                rHat = next + d;
                rHatOverflowed = rHat < d;
            }
            else
            {
                qHat = DivideTwoByOne(top, next, d, reciprocal, out rHat);
                rHatOverflowed = false;
            }
            while (!rHatOverflowed)
            {
                ulong productHigh = Math.BigMul(qHat, dNext, out ulong productLow);
                if (productHigh < rHat || (productHigh == rHat && productLow <= u[j + n - 2])) break;
                qHat--;
                rHat += d;
                rHatOverflowed = rHat < d;
            }

            // u[j..j+n] -= qHat * v
            ulong mulCarry = 0, borrow = 0;
            for (int i = 0; i < n; i++)
            {
                ulong productLow = MultiplyAdd(qHat, v[i], 0, ref mulCarry);
                u[i + j] = SubtractWithBorrow(u[i + j], productLow, ref borrow);
            }
            u[j + n] = SubtractWithBorrow(u[j + n], mulCarry, ref borrow);

            if (borrow != 0)
            {
                // The estimate was one too large (probability about 2/2^64): add the divisor back.
                qHat--;
                ulong carry = 0;
                for (int i = 0; i < n; i++) u[i + j] = AddWithCarry(u[i + j], v[i], ref carry);
                u[j + n] += carry;
            }
            quotient[j] = qHat;
        }

        // Denormalize the remainder held in u[0..n].
        for (int i = 0; i < n; i++)
            remainder[i] = shift == 0 ? u[i] : (u[i] >> shift) | (u[i + 1] << (64 - shift));
    }

    /// <summary>Writes source &lt;&lt; shift (0..63) into destination (same length) and returns the bits shifted out.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong ShiftLeftLimbs(ReadOnlySpan<ulong> source, int shift, Span<ulong> destination)
    {
        if (shift == 0)
        {
            source.CopyTo(destination);
            return 0;
        }
        ulong carry = 0;
        for (int i = 0; i < source.Length; i++)
        {
            ulong limb = source[i];
            destination[i] = (limb << shift) | carry;
            carry = limb >> (64 - shift);
        }
        return carry;
    }

    /// <summary>floor((2^128 - 1) / d) - 2^64 for a normalized d (top bit set): the Möller–Granlund reciprocal.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static ulong Reciprocal(ulong d)
    {
        // The quotient lies in [2^64, 2^65); the cast keeps the part below 2^64.
        return (ulong)(UInt128.MaxValue / d);
    }

    /// <summary>(high:low) / d for normalized d and high &lt; d, using the precomputed reciprocal (MG algorithm 4).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static ulong DivideTwoByOne(ulong high, ulong low, ulong d, ulong reciprocal, out ulong remainder)
    {
        ulong q1 = Math.BigMul(reciprocal, high, out ulong q0);
        ulong sumLow = q0 + low;
        q1 += high + 1 + (sumLow < q0 ? 1UL : 0UL);
        q0 = sumLow;
        ulong r = low - q1 * d;
        if (r > q0)
        {
            q1--;
            r += d;
        }
        if (r >= d)
        {
            q1++;
            r -= d;
        }
        remainder = r;
        return q1;
    }
}
