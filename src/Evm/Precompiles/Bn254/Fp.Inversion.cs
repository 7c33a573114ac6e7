using System.Runtime.CompilerServices;
using static BeamSync.Evm.Precompiles.MontgomeryLimbs;

namespace BeamSync.Evm.Precompiles.Bn254;

public readonly partial struct Fp
{
    /// <summary>
    /// Binary extended Euclid (shifts and subtractions on the four limbs, about 4·256 steps) on the raw Montgomery
    /// value aR, which yields (aR)⁻¹; multiplying by R³ in Montgomery form gives a⁻¹R. Several times faster than
    /// Fermat's x^(p−2), which matters because every G1 result is converted to affine coordinates once.
    /// Not constant-time: every input here is public.
    /// </summary>
    private static Fp BinaryInverse(in Fp value)
    {
        Limbs u = new(value.U0, value.U1, value.U2, value.U3);
        Limbs v = new(P0, P1, P2, P3);
        Limbs x1 = new(1, 0, 0, 0);
        Limbs x2 = default;
        while (!u.IsOne && !v.IsOne)
        {
            while (u.IsEven) { u.ShiftRight(); x1.HalveModP(); }
            while (v.IsEven) { v.ShiftRight(); x2.HalveModP(); }
            if (!u.LessThan(v)) { u.Subtract(v); x1.SubtractModP(x2); }
            else { v.Subtract(u); x2.SubtractModP(x1); }
        }
        Limbs inverse = u.IsOne ? x1 : x2;
        return new Fp(inverse.L0, inverse.L1, inverse.L2, inverse.L3) * R3;
    }

    /// <summary>A mutable 256-bit integer for the inversion; values stay below p, so sums fit without a fifth word.</summary>
    private struct Limbs(ulong l0, ulong l1, ulong l2, ulong l3)
    {
        public ulong L0 = l0, L1 = l1, L2 = l2, L3 = l3;

        public readonly bool IsOne => L0 == 1 && (L1 | L2 | L3) == 0;
        public readonly bool IsEven => (L0 & 1) == 0;

        public readonly bool LessThan(in Limbs other)
        {
            if (L3 != other.L3) return L3 < other.L3;
            if (L2 != other.L2) return L2 < other.L2;
            if (L1 != other.L1) return L1 < other.L1;
            return L0 < other.L0;
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public void ShiftRight()
        {
            L0 = (L0 >> 1) | (L1 << 63);
            L1 = (L1 >> 1) | (L2 << 63);
            L2 = (L2 >> 1) | (L3 << 63);
            L3 >>= 1;
        }

        /// <summary>Subtracts modulo 2^256; returns the borrow out of the top limb.</summary>
        public ulong Subtract(in Limbs other)
        {
            ulong br;
            L0 = SubB(L0, other.L0, 0, out br);
            L1 = SubB(L1, other.L1, br, out br);
            L2 = SubB(L2, other.L2, br, out br);
            L3 = SubB(L3, other.L3, br, out br);
            return br;
        }

        /// <summary>x/2 mod p: x is below p &lt; 2^254, so x + p cannot overflow 256 bits.</summary>
        public void HalveModP()
        {
            if (!IsEven) AddModulus();
            ShiftRight();
        }

        public void SubtractModP(in Limbs other)
        {
            if (Subtract(other) != 0) AddModulus();
        }

        /// <summary>Adds p, wrapping modulo 2^256 (which undoes a borrow out of a subtraction).</summary>
        private void AddModulus()
        {
            ulong c;
            L0 = AddC(L0, P0, 0, out c);
            L1 = AddC(L1, P1, c, out c);
            L2 = AddC(L2, P2, c, out c);
            L3 = L3 + P3 + c;
        }
    }
}
