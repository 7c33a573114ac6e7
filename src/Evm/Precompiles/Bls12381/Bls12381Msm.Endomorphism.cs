using System.Buffers;

namespace BeamSync.Evm.Precompiles.Bls12381;

public static partial class Bls12381Msm
{
    /// <summary>The subgroup order r as little-endian limbs.</summary>
    private const ulong R0 = 0xffffffff00000001, R1 = 0x53bda402fffe5bfe, R2 = 0x3339d80809a1d805, R3 = 0x73eda753299d7d48;

    /// <summary>
    /// Σ [k_i]P_i for points in G1 (the caller has checked membership; for other points the result is wrong). Each k
    /// mod r is written as k0 + k1·x² with 128-bit halves, and [x²]P = −φ(P) costs one field product.
    /// </summary>
    /// <param name="points">Affine points (Z = 1) or infinity.</param>
    /// <param name="scalars">32 bytes per point, big-endian, concatenated.</param>
    public static JacobianPoint<Fp> ComputeG1(ReadOnlySpan<JacobianPoint<Fp>> points, ReadOnlySpan<byte> scalars)
    {
        const int parts = 2, limbsPerPart = 2;
        JacobianPoint<Fp>[] expanded = ArrayPool<JacobianPoint<Fp>>.Shared.Rent(points.Length * parts);
        ulong[] limbs = ArrayPool<ulong>.Shared.Rent(points.Length * parts * limbsPerPart);
        try
        {
            Span<ulong> digits = stackalloc ulong[ScalarLimbs];
            for (int i = 0; i < points.Length; i++)
            {
                BaseAbsXDigits(scalars.Slice(i * ScalarSize, ScalarSize), digits);
                // k0 = d0 + d1·|x| and k1 = d2 + d3·|x|, each below |x|² < 2^128.
                UInt128 low = digits[0] + (UInt128)digits[1] * Bls12381Curve.AbsX;
                UInt128 high = digits[2] + (UInt128)digits[3] * Bls12381Curve.AbsX;
                Span<ulong> target = limbs.AsSpan(i * parts * limbsPerPart, parts * limbsPerPart);
                target[0] = (ulong)low; target[1] = (ulong)(low >> 64);
                target[2] = (ulong)high; target[3] = (ulong)(high >> 64);
                expanded[i * parts] = points[i];
                expanded[i * parts + 1] = Bls12381Endomorphisms.Phi(points[i]).Negate();
            }
            return ComputeLimbs<Fp>(expanded.AsSpan(0, points.Length * parts), limbs.AsSpan(0, points.Length * parts * limbsPerPart), limbsPerPart,
                static p => Bls12381Endomorphisms.Phi(p).Negate(), parts);
        }
        finally
        {
            ArrayPool<JacobianPoint<Fp>>.Shared.Return(expanded);
            ArrayPool<ulong>.Shared.Return(limbs);
        }
    }

    /// <summary>Width of the signed digits in <see cref="MultiplyG1"/>: odd digits below 2^3 in size, four table entries per point.</summary>
    private const int PowerNafWidth = 4;
    private const int PowerTableSize = 1 << (PowerNafWidth - 2);
    /// <summary>A 64-bit digit's width-4 NAF has at most 65 digits.</summary>
    private const int PowerNafLength = 65;

    /// <summary>
    /// [k]P for P in G1 given with [|x|]P (which <see cref="Bls12381Endomorphisms.IsInG1Subgroup(in JacobianPoint{Fp}, out JacobianPoint{Fp})"/>
    /// computes on the way; the caller has checked membership, for other points the result is wrong). k mod r in base
    /// |x| has four 64-bit digits, and the powers [|x|²]P = −φ(P) and [|x|³]P = −φ([|x|]P) cost a field product
    /// each, so one Straus chain of 64 doublings serves all four terms, and the tables of odd multiples of the last
    /// two are the first two's under −φ. <see cref="ComputeG1"/>'s split needs 128 doublings.
    /// </summary>
    /// <param name="scalar32">32 bytes, big-endian; any value (it is reduced mod r).</param>
    public static JacobianPoint<Fp> MultiplyG1(in JacobianPoint<Fp> point, in JacobianPoint<Fp> timesAbsX, ReadOnlySpan<byte> scalar32)
    {
        if (point.IsInfinity) return point;
        Span<ulong> digits = stackalloc ulong[ScalarLimbs];
        BaseAbsXDigits(scalar32, digits);
        Span<JacobianPoint<Fp>> tables = stackalloc JacobianPoint<Fp>[ScalarLimbs * PowerTableSize];
        FillOddMultiples(point, tables[..PowerTableSize]);
        FillOddMultiples(timesAbsX, tables.Slice(PowerTableSize, PowerTableSize));
        for (int i = 0; i < 2 * PowerTableSize; i++) tables[2 * PowerTableSize + i] = Bls12381Endomorphisms.Phi(tables[i]).Negate();

        Span<sbyte> nafs = stackalloc sbyte[ScalarLimbs * PowerNafLength];
        Span<int> lengths = stackalloc int[ScalarLimbs];
        int longest = 0;
        for (int j = 0; j < ScalarLimbs; j++)
        {
            lengths[j] = ToNarrowNaf(digits[j], nafs.Slice(j * PowerNafLength, PowerNafLength));
            longest = Math.Max(longest, lengths[j]);
        }
        var result = JacobianPoint<Fp>.Infinity;
        for (int bit = longest - 1; bit >= 0; bit--)
        {
            result = result.Double();
            for (int j = 0; j < ScalarLimbs; j++)
            {
                if (bit >= lengths[j]) continue;
                int digit = nafs[j * PowerNafLength + bit];
                if (digit > 0) result += tables[j * PowerTableSize + (digit >> 1)];
                else if (digit < 0) result -= tables[j * PowerTableSize + (-digit >> 1)];
            }
        }
        return result;
    }

    /// <summary>P, 3P, 5P, 7P.</summary>
    private static void FillOddMultiples(in JacobianPoint<Fp> point, Span<JacobianPoint<Fp>> table)
    {
        JacobianPoint<Fp> twice = point.Double();
        table[0] = point;
        for (int i = 1; i < table.Length; i++) table[i] = table[i - 1] + twice;
    }

    /// <summary>The width-4 NAF of a 64-bit value, least significant digit first (odd digits in (−8, 8)); returns its length.</summary>
    private static int ToNarrowNaf(ulong value, Span<sbyte> naf)
    {
        const int modulus = 1 << PowerNafWidth;
        UInt128 k = value;
        int length = 0;
        while (k != 0)
        {
            int digit = 0;
            if ((k & 1) != 0)
            {
                digit = (int)(k & (modulus - 1));
                if (digit >= modulus / 2) digit -= modulus;
                k = digit > 0 ? k - (ulong)digit : k + (ulong)-digit;
            }
            naf[length++] = (sbyte)digit;
            k >>= 1;
        }
        return length;
    }

    /// <summary>
    /// Σ [k_i]Q_i for points in G2 (the caller has checked membership; for other points the result is wrong). Each k
    /// mod r is written in base |x| with four 64-bit digits, and [|x|]Q = −ψ(Q) costs a conjugation and two products.
    /// </summary>
    /// <param name="points">Affine points (Z = 1) or infinity.</param>
    /// <param name="scalars">32 bytes per point, big-endian, concatenated.</param>
    public static JacobianPoint<Fp2> ComputeG2(ReadOnlySpan<JacobianPoint<Fp2>> points, ReadOnlySpan<byte> scalars)
    {
        const int parts = ScalarLimbs;
        JacobianPoint<Fp2>[] expanded = ArrayPool<JacobianPoint<Fp2>>.Shared.Rent(points.Length * parts);
        ulong[] limbs = ArrayPool<ulong>.Shared.Rent(points.Length * parts);
        try
        {
            for (int i = 0; i < points.Length; i++)
            {
                BaseAbsXDigits(scalars.Slice(i * ScalarSize, ScalarSize), limbs.AsSpan(i * parts, parts));
                // [|x|^j]Q = (−ψ)^j(Q).
                JacobianPoint<Fp2> power = points[i];
                expanded[i * parts] = power;
                for (int j = 1; j < parts; j++)
                {
                    power = Bls12381Endomorphisms.Psi(power).Negate();
                    expanded[i * parts + j] = power;
                }
            }
            return ComputeLimbs<Fp2>(expanded.AsSpan(0, points.Length * parts), limbs.AsSpan(0, points.Length * parts), 1,
                static q => Bls12381Endomorphisms.Psi(q).Negate(), parts);
        }
        finally
        {
            ArrayPool<JacobianPoint<Fp2>>.Shared.Return(expanded);
            ArrayPool<ulong>.Shared.Return(limbs);
        }
    }

    /// <summary>
    /// The four base-|x| digits of k mod r, least significant first (r = x⁴ − x² + 1 &lt; |x|⁴, so four suffice).
    /// </summary>
    private static void BaseAbsXDigits(ReadOnlySpan<byte> bigEndian32, Span<ulong> digits)
    {
        Span<ulong> k = stackalloc ulong[ScalarLimbs];
        ReadScalar(bigEndian32, k);
        // k < 2^256 < 3r: at most two subtractions reduce it.
        while (!LessThanOrder(k)) SubtractOrder(k);
        for (int d = 0; d < ScalarLimbs; d++)
        {
            ulong remainder = 0;
            for (int i = ScalarLimbs - 1; i >= 0; i--)
            {
                (UInt128 quotient, UInt128 rest) = UInt128.DivRem(new UInt128(remainder, k[i]), Bls12381Curve.AbsX);
                k[i] = (ulong)quotient;
                remainder = (ulong)rest;
            }
            digits[d] = remainder;
        }
    }

    private static bool LessThanOrder(ReadOnlySpan<ulong> k)
    {
        if (k[3] != R3) return k[3] < R3;
        if (k[2] != R2) return k[2] < R2;
        if (k[1] != R1) return k[1] < R1;
        return k[0] < R0;
    }

    private static void SubtractOrder(Span<ulong> k)
    {
        ReadOnlySpan<ulong> order = [R0, R1, R2, R3];
        ulong borrow = 0;
        for (int i = 0; i < ScalarLimbs; i++)
        {
            ulong difference = k[i] - order[i] - borrow;
            borrow = k[i] < order[i] || (k[i] == order[i] && borrow != 0) ? 1UL : 0UL;
            k[i] = difference;
        }
    }
}
