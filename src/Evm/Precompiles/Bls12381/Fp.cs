using System.Numerics;
using System.Runtime.CompilerServices;
using static BeamSync.Evm.Precompiles.MontgomeryLimbs;

namespace BeamSync.Evm.Precompiles.Bls12381;

/// <summary>
/// An element of the BLS12-381 base field, p = 0x1a0111ea…ffffaaab (381 bits), held in Montgomery form
/// (x·2^384 mod p) on six little-endian 64-bit limbs, always fully reduced (below p). Arithmetic uses no heap and
/// no BigInteger (those appear only in constant set-up and tests). Immutable; thread-safe.
/// </summary>
[SkipLocalsInit]
public readonly partial struct Fp : IBlsField<Fp>, IEquatable<Fp>
{
    public static readonly BigInteger Modulus = BigInteger.Parse(
        "4002409555221667393417789825735904156556882819939007885332058136124031650490837864442687629129015664037894272559787");

    /// <summary>2^384 mod p (one in Montgomery form) and 2^768 mod p (converts a canonical value into Montgomery form).</summary>
    private static readonly Fp R = FromLimbsUnchecked(BigInteger.ModPow(2, 384, Modulus));
    private static readonly Fp R2 = FromLimbsUnchecked(BigInteger.ModPow(2, 768, Modulus));

    /// <summary>
    /// 2^(33·k)·R³ mod p as raw limbs for k inversion rounds: each round leaves a factor 2^31 on the remainders and
    /// 2^-64 on the coefficients (see Fp.Inversion.cs). A 381-bit inverse needs about 25 rounds; 40 leaves a margin.
    /// </summary>
    private static readonly Fp[] InverseRoundFactors = Enumerable.Range(0, 41)
        .Select(k => FromLimbsUnchecked(BigInteger.ModPow(2, 33 * k + 384 * 3, Modulus))).ToArray();

    // Static fields of this partial struct live in this file only: initialisation order across partial files is unspecified.

    internal readonly ulong U0, U1, U2, U3, U4, U5;

    internal Fp(ulong u0, ulong u1, ulong u2, ulong u3, ulong u4, ulong u5)
    {
        U0 = u0; U1 = u1; U2 = u2; U3 = u3; U4 = u4; U5 = u5;
    }

    public static Fp Zero => default;
    public static Fp One => R;

    public bool IsZero => (U0 | U1 | U2 | U3 | U4 | U5) == 0;

    /// <summary>2x by a one-bit shift (2x &lt; 2p &lt; 2^382 loses no bit) and one conditional subtraction of p.</summary>
    public Fp Double() =>
        ReduceOnce(U0 << 1, (U1 << 1) | (U0 >> 63), (U2 << 1) | (U1 >> 63), (U3 << 1) | (U2 >> 63), (U4 << 1) | (U3 >> 63), (U5 << 1) | (U4 >> 63));

    public Fp Negate() => IsZero ? this : default(Fp) - this;

    /// <summary>
    /// x². Managed: the double-width square (21 word products instead of 36) and one Montgomery reduction, doublings
    /// on the curve and the square-root chain being mostly squarings; the machine-code product is faster than either.
    /// </summary>
    public Fp Square() => FpNativeKernels.IsAvailable ? FpNativeKernels.Multiply(this, this) : FpWide.Square(this).Reduce();

    /// <summary>
    /// A square root when one exists (p ≡ 3 mod 4, so x^((p+1)/4)); false for a non-residue, whose root is then
    /// √(−x) (−1 is a non-residue), which the G1 map to curve relies on.
    /// </summary>
    public bool TrySqrt(out Fp root)
    {
        root = Pow(PPlus1Over4);
        return root.Square() == this;
    }

    /// <summary>Whether x is a square: the Legendre symbol x^((p-1)/2) is 0 or 1.</summary>
    public bool IsSquare()
    {
        Fp legendre = Pow(PMinus1Over2);
        return legendre.IsZero || legendre == One;
    }

    /// <summary>RFC 9380 sgn0: the parity of the canonical value.</summary>
    public bool Sgn0 => (FromMontgomery().U0 & 1) != 0;

    /// <summary>Whether the canonical value exceeds (p-1)/2 (the zcash "lexicographically largest" flag).</summary>
    public bool IsLexicographicallyLargest()
    {
        Fp c = FromMontgomery();
        ReadOnlySpan<ulong> half = HalfP;
        ReadOnlySpan<ulong> v = [c.U0, c.U1, c.U2, c.U3, c.U4, c.U5];
        for (int i = 5; i >= 0; i--)
            if (v[i] != half[i]) return v[i] > half[i];
        return false;
    }

    /// <summary>
    /// x^e for an exponent given as limbs, least significant first, with a 4-bit fixed window: about a quarter as many
    /// multiplications as square-and-multiply's one per set bit (not constant time).
    /// </summary>
    public Fp Pow(ReadOnlySpan<ulong> exponent)
    {
        Span<Fp> powers = stackalloc Fp[16];
        powers[0] = One;
        powers[1] = this;
        for (int i = 2; i < 16; i++) powers[i] = powers[i - 1] * this;
        Fp result = One;
        bool started = false;
        for (int limb = exponent.Length - 1; limb >= 0; limb--)
        {
            for (int shift = 60; shift >= 0; shift -= 4)
            {
                if (started) result = result.Square().Square().Square().Square();
                int nibble = (int)(exponent[limb] >> shift) & 0xF;
                if (nibble == 0) continue;
                result = started ? result * powers[nibble] : powers[nibble];
                started = true;
            }
        }
        return result;
    }

    private static readonly ulong[] PPlus1Over4 = LimbsOf((Modulus + 1) / 4);
    private static readonly ulong[] PMinus1Over2 = LimbsOf((Modulus - 1) / 2);
    private static readonly ulong[] HalfP = LimbsOf((Modulus - 1) / 2);

    public static bool operator ==(in Fp a, in Fp b) =>
        a.U0 == b.U0 && a.U1 == b.U1 && a.U2 == b.U2 && a.U3 == b.U3 && a.U4 == b.U4 && a.U5 == b.U5;
    public static bool operator !=(in Fp a, in Fp b) => !(a == b);
    public bool Equals(Fp other) => this == other;
    public override bool Equals(object? obj) => obj is Fp f && this == f;
    public override int GetHashCode() => HashCode.Combine(U0, U1, U2, U3, U4, U5);
    public override string ToString() => ToBigInteger().ToString("x");
}
