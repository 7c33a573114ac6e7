using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace BeamSync.Core;

// Multi-limb division: Knuth's algorithm D (TAOCP vol. 2, 4.3.1) with each quotient-digit estimate made by
// the Möller–Granlund reciprocal method ("Improved division by invariant integers", 2011), which replaces
// the 128/64-bit hardware division per digit by two multiplications. Dividends of up to eight limbs serve
// DIV/MOD (four), ADDMOD (five) and MULMOD (eight). Everything lives on the stack.
public readonly partial struct UInt256
{
    private const int MaxDividendLimbs = 8;
    private const int MaxDivisorLimbs = 4;

    /// <summary>A normalized dividend: up to eight limbs plus the one normalization adds.</summary>
    [InlineArray(MaxDividendLimbs + 1)]
    private struct Limbs9 { private ulong _element0; }

    /// <summary>
    /// Divides <paramref name="dividend"/> by <paramref name="divisor"/> (its top limb non-zero). The quotient is
    /// written to <paramref name="quotient"/> (at least dividend.Length limbs) and the remainder to
    /// <paramref name="remainder"/> (at least divisor.Length limbs); both must be zero on entry, which callers
    /// get for free from a <c>default</c> <see cref="Limbs4"/>/<see cref="Limbs8"/>.
    /// </summary>
    [SkipLocalsInit]
    internal static void DivideLimbs(ReadOnlySpan<ulong> dividend, ReadOnlySpan<ulong> divisor, Span<ulong> quotient, Span<ulong> remainder)
    {
        int m = SignificantLimbs(dividend);
        int n = divisor.Length;
        if (m < n)
        {
            for (int i = 0; i < m; i++) remainder[i] = dividend[i];
            return;
        }
        // Validate the output sizes once so the loops below can index without bounds checks.
        if ((uint)n - 1 >= MaxDivisorLimbs || m > MaxDividendLimbs || quotient.Length < m - n + 1 || remainder.Length < n)
            ThrowHelper.ThrowArgument("Limb buffers out of range for long division");

        // Normalize: shift both so the divisor's top bit is set; the dividend gains one limb.
        int shift = BitOperations.LeadingZeroCount(divisor[n - 1]);
        Limbs4 normalizedDivisor;
        Limbs9 normalizedDividend;
        Unsafe.SkipInit(out normalizedDivisor);
        Unsafe.SkipInit(out normalizedDividend);
        ref ulong v = ref normalizedDivisor[0];
        ref ulong u = ref normalizedDividend[0];
        ShiftLeftLimbs(ref MemoryMarshal.GetReference(divisor), n, shift, ref v);
        Unsafe.Add(ref u, m) = ShiftLeftLimbs(ref MemoryMarshal.GetReference(dividend), m, shift, ref u);
        ref ulong q = ref MemoryMarshal.GetReference(quotient);

        ulong d = Unsafe.Add(ref v, n - 1);
        ulong reciprocal = Reciprocal(d);

        if (n == 1)
        {
            ulong r = Unsafe.Add(ref u, m);
            for (int i = m - 1; i >= 0; i--) Unsafe.Add(ref q, i) = DivideTwoByOne(r, Unsafe.Add(ref u, i), d, reciprocal, out r);
            remainder[0] = r >> shift;
            return;
        }

        ulong dNext = Unsafe.Add(ref v, n - 2);
        for (int j = m - n; j >= 0; j--)
        {
            // uj is the window u[j..j+n] this step divides by v.
            ref ulong uj = ref Unsafe.Add(ref u, j);

            // Estimate the digit from the top two window limbs and the top divisor limb, then refine it with
            // the next divisor limb; the estimate is then exact or one too large (Knuth's theorem B).
            ulong top = Unsafe.Add(ref uj, n), next = Unsafe.Add(ref uj, n - 1);
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
            ulong third = Unsafe.Add(ref uj, n - 2);
            while (!rHatOverflowed)
            {
                ulong productHigh = Math.BigMul(qHat, dNext, out ulong productLow);
                if (productHigh < rHat || (productHigh == rHat && productLow <= third)) break;
                qHat--;
                rHat += d;
                rHatOverflowed = rHat < d;
            }

            // u[j..j+n] -= qHat * v
            ulong mulCarry = 0, borrow = 0;
            for (int i = 0; i < n; i++)
            {
                ulong productLow = MultiplyAdd(qHat, Unsafe.Add(ref v, i), 0, ref mulCarry);
                Unsafe.Add(ref uj, i) = SubtractWithBorrow(Unsafe.Add(ref uj, i), productLow, ref borrow);
            }
            Unsafe.Add(ref uj, n) = SubtractWithBorrow(top, mulCarry, ref borrow);

            if (borrow != 0)
            {
                // The estimate was one too large (rare: about 2 in 2^64 for random digits): add the divisor back.
                qHat--;
                ulong carry = 0;
                for (int i = 0; i < n; i++) Unsafe.Add(ref uj, i) = AddWithCarry(Unsafe.Add(ref uj, i), Unsafe.Add(ref v, i), ref carry);
                Unsafe.Add(ref uj, n) += carry;
            }
            Unsafe.Add(ref q, j) = qHat;
        }

        // Denormalize the remainder held in u[0..n].
        int back = 63 - shift;
        for (int i = 0; i < n; i++)
            remainder[i] = (Unsafe.Add(ref u, i) >> shift) | ((Unsafe.Add(ref u, i + 1) << 1) << back);
    }

    /// <summary>
    /// a / divisor for a non-zero 64-bit divisor, returning the remainder: one normalization and four reciprocal
    /// steps in registers, the path DIV and MOD take for the common small divisors.
    /// </summary>
    internal static ulong DivideByLimb(in UInt256 a, ulong divisor, out UInt256 quotient)
    {
        int shift = BitOperations.LeadingZeroCount(divisor);
        ulong d = divisor << shift;
        ulong reciprocal = Reciprocal(d);
        // (x >> 1) >> (63 - shift) is x >> (64 - shift) that also gives 0 for shift == 0 (C# masks shift counts).
        int back = 63 - shift;
        ulong u4 = (a.U3 >> 1) >> back;
        ulong u3 = (a.U3 << shift) | ((a.U2 >> 1) >> back);
        ulong u2 = (a.U2 << shift) | ((a.U1 >> 1) >> back);
        ulong u1 = (a.U1 << shift) | ((a.U0 >> 1) >> back);
        ulong u0 = a.U0 << shift;
        ulong q3 = DivideTwoByOne(u4, u3, d, reciprocal, out ulong r);
        ulong q2 = DivideTwoByOne(r, u2, d, reciprocal, out r);
        ulong q1 = DivideTwoByOne(r, u1, d, reciprocal, out r);
        ulong q0 = DivideTwoByOne(r, u0, d, reciprocal, out r);
        quotient = new UInt256(q0, q1, q2, q3);
        return r >> shift;
    }

    /// <summary>Writes the <paramref name="length"/> limbs at source, shifted left by 0..63 bits, to destination and returns the bits shifted out.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong ShiftLeftLimbs(ref ulong source, int length, int shift, ref ulong destination)
    {
        int back = 63 - shift;
        ulong carry = 0;
        for (int i = 0; i < length; i++)
        {
            ulong limb = Unsafe.Add(ref source, i);
            Unsafe.Add(ref destination, i) = (limb << shift) | carry;
            carry = (limb >> 1) >> back;
        }
        return carry;
    }

    /// <summary>
    /// floor((2^128 - 1) / d) - 2^64 for a normalized d (top bit set): the Möller–Granlund reciprocal, computed
    /// without any division (their algorithm 2): an 11-bit table estimate refined by three Newton steps to 64 bits.
    /// </summary>
    internal static ulong Reciprocal(ulong d)
    {
        ulong d0 = d & 1;
        ulong d9 = d >> 55;
        ulong d40 = (d >> 24) + 1;
        ulong d63 = (d >> 1) + d0;
        ulong v0 = ReciprocalTable[(int)(d9 - 256)];
        ulong v1 = (v0 << 11) - ((v0 * v0 * d40) >> 40) - 1;
        ulong v2 = (v1 << 13) + ((v1 * ((1UL << 60) - v1 * d40)) >> 47);
        ulong e = ((v2 >> 1) & (0 - d0)) - v2 * d63;
        ulong v3 = (Math.BigMul(v2, e, out _) >> 1) + (v2 << 31);
        ulong productHigh = Math.BigMul(v3, d, out ulong productLow);
        productHigh += productLow + d < productLow ? 1UL : 0UL;
        return v3 - productHigh - d;
    }

    /// <summary>floor((2^19 - 3*2^8) / d9) for each 9-bit prefix d9 in [256, 511]: the first estimate of <see cref="Reciprocal"/>.</summary>
    private static readonly ushort[] ReciprocalTable = BuildReciprocalTable();

    private static ushort[] BuildReciprocalTable()
    {
        var table = new ushort[256];
        for (int i = 0; i < table.Length; i++) table[i] = (ushort)(((1 << 19) - 3 * (1 << 8)) / (i + 256));
        return table;
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
