using System.Runtime.CompilerServices;

namespace BeamSync.Evm.Precompiles.Bls12381;

/// <summary>
/// Fp12 = Fp6[w]/(w² − v), an element c0 + c1·w; the pairing's target group. Written as Σ a_j·w^j (j = 0…5,
/// a_j ∈ Fp2) the coefficients are (c0.c0, c1.c0, c0.c1, c1.c1, c0.c2, c1.c2). Immutable; thread-safe.
/// </summary>
[SkipLocalsInit]
public readonly partial struct Fp12 : IEquatable<Fp12>
{
    public readonly Fp6 C0, C1;

    public Fp12(in Fp6 c0, in Fp6 c1) { C0 = c0; C1 = c1; }

    public static Fp12 One => new(Fp6.One, Fp6.Zero);

    public bool IsOne => this == One;

    public static Fp12 operator *(in Fp12 a, in Fp12 b)
    {
        Fp6 aa = a.C0 * b.C0;
        Fp6 bb = a.C1 * b.C1;
        Fp6 c1 = (a.C0 + a.C1) * (b.C0 + b.C1) - aa - bb;
        return new Fp12(aa + bb.MulByV(), c1);
    }

    /// <summary>Complex squaring: (a + bw)² = (a + b)(a + vb) − ab − v·ab + 2ab·w.</summary>
    public Fp12 Square()
    {
        Fp6 ab = C0 * C1;
        Fp6 c0 = (C0 + C1) * (C0 + C1.MulByV()) - ab - ab.MulByV();
        return new Fp12(c0, ab + ab);
    }

    /// <summary>Product with a Miller-loop line (a0 + a1·v) + (b1·v)·w, the only non-zero coefficients a line has.</summary>
    public Fp12 MulByLine(in Fp2 a0, in Fp2 a1, in Fp2 b1)
    {
        Fp6 aa = C0.MulBy01(a0, a1);
        Fp6 bb = C1.MulBy1(b1);
        Fp6 c1 = (C0 + C1).MulBy01(a0, a1 + b1) - aa - bb;
        return new Fp12(aa + bb.MulByV(), c1);
    }

    /// <summary>
    /// Product with a line whose vw coefficient is one, A + v·w with A = a0 + a1·v: (c0·A + c1·v²) + (c1·A + c0·v)·w,
    /// two sparse products (ten Fp2 products, as Karatsuba's) and multiplications by v, which only move coefficients,
    /// where Karatsuba's middle term would need three more Fp6 sums.
    /// </summary>
    public Fp12 MulByUnitLine(in Fp2 a0, in Fp2 a1) =>
        new(C0.MulBy01(a0, a1) + C1.MulByV().MulByV(), C1.MulBy01(a0, a1) + C0.MulByV());

    /// <summary>x^(p^6): negates the w part. On the cyclotomic subgroup this is the inverse.</summary>
    public Fp12 Conjugate() => new(C0, C1.Negate());

    public Fp12 Inverse()
    {
        Fp6 t = (C0.Square() - C1.Square().MulByV()).Inverse();
        return new Fp12(C0 * t, (C1 * t).Negate());
    }

    /// <summary>x^p: conjugate each coefficient a_j of w^j and multiply it by γ_j = ξ^(j(p−1)/6).</summary>
    public Fp12 Frobenius()
    {
        ReadOnlySpan<Fp2> g = Gamma;
        return new Fp12(
            new Fp6(C0.C0.Conjugate(), C0.C1.Conjugate() * g[2], C0.C2.Conjugate() * g[4]),
            new Fp6(C1.C0.Conjugate() * g[1], C1.C1.Conjugate() * g[3], C1.C2.Conjugate() * g[5]));
    }

    /// <summary>γ_j = ξ^(j(p−1)/6) for j = 0…5.</summary>
    private static readonly Fp2[] Gamma = ComputeGamma();

    private static Fp2[] ComputeGamma()
    {
        var gamma = new Fp2[6];
        Fp2 xi = new(Fp.One, Fp.One);
        Fp2 step = xi.Pow(Fp.LimbsOf((Fp.Modulus - 1) / 6));
        gamma[0] = Fp2.One;
        for (int j = 1; j < 6; j++) gamma[j] = gamma[j - 1] * step;
        return gamma;
    }

    public static bool operator ==(in Fp12 a, in Fp12 b) => a.C0 == b.C0 && a.C1 == b.C1;
    public static bool operator !=(in Fp12 a, in Fp12 b) => !(a == b);
    public bool Equals(Fp12 other) => this == other;
    public override bool Equals(object? obj) => obj is Fp12 f && this == f;
    public override int GetHashCode() => HashCode.Combine(C0, C1);
}
