using System.Numerics;
using System.Runtime.CompilerServices;

namespace BeamSync.Evm.Precompiles.Bn254;

/// <summary>
/// An element C0 + C1·w of Fp12 = Fp6[w]/(w² − v), the pairing's target field. Immutable; thread-safe.
/// Over Fp2 the basis is 1, w, …, w⁵ with w⁶ = ξ; Frobenius constants are derived at start-up, not transcribed.
/// </summary>
[SkipLocalsInit]
public readonly struct Fp12 : IEquatable<Fp12>
{
    public readonly Fp6 C0, C1;

    public Fp12(in Fp6 c0, in Fp6 c1) { C0 = c0; C1 = c1; }

    public static Fp12 One => new(Fp6.One, Fp6.Zero);

    public bool IsOne => this == One;

    /// <summary>γᵢ = ξ^(i·(p−1)/6): the Frobenius map sends wⁱ to γᵢ·wⁱ.</summary>
    private static readonly Fp2[] FrobeniusGamma = ComputeFrobeniusGamma();

    public static Fp12 operator *(in Fp12 x, in Fp12 y)
    {
        Fp6 t0 = x.C0 * y.C0;
        Fp6 t1 = x.C1 * y.C1;
        Fp6 c1 = (x.C0 + x.C1) * (y.C0 + y.C1) - t0 - t1;
        return new(t0 + t1.MulByV(), c1);
    }

    /// <summary>Complex squaring: two Fp6 products.</summary>
    public Fp12 Square()
    {
        Fp6 t = C0 * C1;
        Fp6 c0 = (C0 + C1) * (C0 + C1.MulByV()) - t - t.MulByV();
        return new(c0, t + t);
    }

    /// <summary>The conjugate C0 − C1·w; the inverse for elements of the cyclotomic subgroup (after the easy part of the final exponentiation).</summary>
    public Fp12 Conjugate() => new(C0, C1.Negate());

    public Fp12 Inverse()
    {
        Fp6 norm = (C0.Square() - C1.Square().MulByV()).Inverse();
        return new(C0 * norm, (C1 * norm).Negate());
    }

    /// <summary>
    /// Product with the sparse line value d0 + (d3 + d4·v)·w (coefficients 0, 3 and 4 over Fp2), as the D-type
    /// twist's line evaluation produces it: 13 Fp2 products instead of 18.
    /// </summary>
    public Fp12 MulBy034(in Fp2 d0, in Fp2 d3, in Fp2 d4)
    {
        Fp6 a = C0.MulByFp2(d0);
        Fp6 b = C1.MulBy01(d3, d4);
        Fp6 c1 = (C0 + C1).MulBy01(d0 + d3, d4) - a - b;
        return new(a + b.MulByV(), c1);
    }

    /// <summary>γᵢ = ξ^(i·(p−1)/6); γ₂ and γ₃ also define the twist's Frobenius endomorphism.</summary>
    public static Fp2 Gamma(int i) => FrobeniusGamma[i];

    /// <summary>x^p.</summary>
    public Fp12 Frobenius()
    {
        Fp2[] g = FrobeniusGamma;
        return new(
            new Fp6(C0.C0.Conjugate(), C0.C1.Conjugate() * g[2], C0.C2.Conjugate() * g[4]),
            new Fp6(C1.C0.Conjugate() * g[1], C1.C1.Conjugate() * g[3], C1.C2.Conjugate() * g[5]));
    }

    /// <summary>x^e by square-and-multiply for a public exponent.</summary>
    public Fp12 Pow(ulong exponent)
    {
        Fp12 result = One;
        for (int bit = 63 - BitOperations.LeadingZeroCount(exponent); bit >= 0; bit--)
        {
            result = result.Square();
            if (((exponent >> bit) & 1) != 0) result *= this;
        }
        return result;
    }

    /// <summary>x^e for any non-negative exponent; for constants and tests, not hot paths.</summary>
    public Fp12 Pow(BigInteger exponent)
    {
        Fp12 result = One;
        for (long bit = (long)exponent.GetBitLength() - 1; bit >= 0; bit--)
        {
            result = result.Square();
            if (!(exponent >> (int)bit).IsEven) result *= this;
        }
        return result;
    }

    private static Fp2[] ComputeFrobeniusGamma()
    {
        var xi = new Fp2(Fp.FromUInt64(9), Fp.One);
        BigInteger step = (Fp.Modulus - 1) / 6;
        var gamma = new Fp2[6];
        for (int i = 0; i < 6; i++) gamma[i] = Pow(xi, step * i);
        return gamma;
    }

    internal static Fp2 Pow(Fp2 x, BigInteger exponent)
    {
        Fp2 result = Fp2.One;
        for (long bit = (long)exponent.GetBitLength() - 1; bit >= 0; bit--)
        {
            result = result.Square();
            if (!(exponent >> (int)bit).IsEven) result *= x;
        }
        return result;
    }

    public static bool operator ==(in Fp12 x, in Fp12 y) => x.C0 == y.C0 && x.C1 == y.C1;
    public static bool operator !=(in Fp12 x, in Fp12 y) => !(x == y);
    public bool Equals(Fp12 other) => this == other;
    public override bool Equals(object? obj) => obj is Fp12 f && this == f;
    public override int GetHashCode() => HashCode.Combine(C0, C1);
}
