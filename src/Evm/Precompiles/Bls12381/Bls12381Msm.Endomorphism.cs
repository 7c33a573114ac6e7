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
            return ComputeLimbs<Fp>(expanded.AsSpan(0, points.Length * parts), limbs.AsSpan(0, points.Length * parts * limbsPerPart), limbsPerPart);
        }
        finally
        {
            ArrayPool<JacobianPoint<Fp>>.Shared.Return(expanded);
            ArrayPool<ulong>.Shared.Return(limbs);
        }
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
            return ComputeLimbs<Fp2>(expanded.AsSpan(0, points.Length * parts), limbs.AsSpan(0, points.Length * parts), 1);
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
