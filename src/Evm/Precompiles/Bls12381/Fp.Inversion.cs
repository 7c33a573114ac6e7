using static BeamSync.Evm.Precompiles.MontgomeryLimbs;
using System.Runtime.CompilerServices;

namespace BeamSync.Evm.Precompiles.Bls12381;

public readonly partial struct Fp
{
    [InlineArray(6)]
    private struct Limbs
    {
        private ulong _element0;
    }

    /// <summary>
    /// x⁻¹ by the binary extended Euclidean algorithm on the raw Montgomery limbs (variable time: inputs are public),
    /// about ten times cheaper than the 381-bit Fermat power. Zero maps to zero.
    /// </summary>
    public Fp Inverse()
    {
        if (IsZero) return this;
        Limbs u = default, v = default, x1 = default, x2 = default, p = default;
        u[0] = U0; u[1] = U1; u[2] = U2; u[3] = U3; u[4] = U4; u[5] = U5;
        p[0] = P0; p[1] = P1; p[2] = P2; p[3] = P3; p[4] = P4; p[5] = P5;
        v = p;
        x1[0] = 1;
        // Invariants: x1·a ≡ u and x2·a ≡ v (mod p); u, v > 0; gcd(u, v) = 1.
        while (!IsOne(u) && !IsOne(v))
        {
            while ((u[0] & 1) == 0) { ShiftRight(ref u); HalveModP(ref x1, p); }
            while ((v[0] & 1) == 0) { ShiftRight(ref v); HalveModP(ref x2, p); }
            if (!LessThan(u, v)) { Subtract(ref u, v); SubtractModP(ref x1, x2, p); }
            else { Subtract(ref v, u); SubtractModP(ref x2, x1, p); }
        }
        ref Limbs r = ref IsOne(u) ? ref x1 : ref x2;
        return new Fp(r[0], r[1], r[2], r[3], r[4], r[5]) * R3;
    }

    private static bool IsOne(in Limbs a) => a[0] == 1 && (a[1] | a[2] | a[3] | a[4] | a[5]) == 0;

    private static bool LessThan(in Limbs a, in Limbs b)
    {
        for (int i = 5; i >= 0; i--)
            if (a[i] != b[i]) return a[i] < b[i];
        return false;
    }

    private static void ShiftRight(ref Limbs a)
    {
        for (int i = 0; i < 5; i++) a[i] = (a[i] >> 1) | (a[i + 1] << 63);
        a[5] >>= 1;
    }

    /// <summary>a ← a − b, for a ≥ b.</summary>
    private static void Subtract(ref Limbs a, in Limbs b)
    {
        ulong borrow = 0;
        for (int i = 0; i < 6; i++) a[i] = SubB(a[i], b[i], borrow, out borrow);
    }

    /// <summary>a ← a/2 mod p, for a below p: (a + p)/2 when a is odd (below 2^382, so no carry is lost).</summary>
    private static void HalveModP(ref Limbs a, in Limbs p)
    {
        if ((a[0] & 1) != 0)
        {
            ulong carry = 0;
            for (int i = 0; i < 6; i++) a[i] = AddC(a[i], p[i], carry, out carry);
        }
        ShiftRight(ref a);
    }

    /// <summary>a ← a − b mod p, for a, b below p.</summary>
    private static void SubtractModP(ref Limbs a, in Limbs b, in Limbs p)
    {
        ulong borrow = 0;
        for (int i = 0; i < 6; i++) a[i] = SubB(a[i], b[i], borrow, out borrow);
        if (borrow != 0)
        {
            ulong carry = 0;
            for (int i = 0; i < 6; i++) a[i] = AddC(a[i], p[i], carry, out carry);
        }
    }
}
