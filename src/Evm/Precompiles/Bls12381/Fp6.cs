using System.Runtime.CompilerServices;

namespace BeamSync.Evm.Precompiles.Bls12381;

/// <summary>Fp6 = Fp2[v]/(v³ − ξ), ξ = 1 + u; an element c0 + c1·v + c2·v². Immutable; thread-safe.</summary>
[SkipLocalsInit]
public readonly struct Fp6 : IEquatable<Fp6>
{
    public readonly Fp2 C0, C1, C2;

    public Fp6(in Fp2 c0, in Fp2 c1, in Fp2 c2) { C0 = c0; C1 = c1; C2 = c2; }

    public static Fp6 Zero => default;
    public static Fp6 One => new(Fp2.One, Fp2.Zero, Fp2.Zero);

    public bool IsZero => C0.IsZero && C1.IsZero && C2.IsZero;

    public static Fp6 operator +(in Fp6 a, in Fp6 b) => new(a.C0 + b.C0, a.C1 + b.C1, a.C2 + b.C2);
    public static Fp6 operator -(in Fp6 a, in Fp6 b) => new(a.C0 - b.C0, a.C1 - b.C1, a.C2 - b.C2);
    public Fp6 Negate() => new(C0.Negate(), C1.Negate(), C2.Negate());

    /// <summary>
    /// Karatsuba over three coefficients: six Fp2 products, combined unreduced (<see cref="Fp2Wide"/>) so each of the
    /// six Fp coefficients is reduced once, six Montgomery reductions instead of twelve.
    /// </summary>
    public static Fp6 operator *(in Fp6 a, in Fp6 b)
    {
        Fp2Wide t0 = Fp2Wide.Multiply(a.C0, b.C0);
        Fp2Wide t1 = Fp2Wide.Multiply(a.C1, b.C1);
        Fp2Wide t2 = Fp2Wide.Multiply(a.C2, b.C2);
        Fp2Wide c0 = (Fp2Wide.Multiply(a.C1 + a.C2, b.C1 + b.C2) - t1 - t2).MulByNonResidue() + t0;
        Fp2Wide c1 = Fp2Wide.Multiply(a.C0 + a.C1, b.C0 + b.C1) - t0 - t1 + t2.MulByNonResidue();
        Fp2Wide c2 = Fp2Wide.Multiply(a.C0 + a.C2, b.C0 + b.C2) - t0 - t2 + t1;
        return new Fp6(c0.Reduce(), c1.Reduce(), c2.Reduce());
    }

    public Fp6 Square() => this * this;

    /// <summary>Multiplication by v: (c0, c1, c2) ↦ (ξ·c2, c0, c1).</summary>
    public Fp6 MulByV() => new(C2.MulByNonResidue(), C0, C1);

    /// <summary>Product with b0 + b1·v (a sparse line coefficient): five Fp2 products, reduced lazily as in the full product.</summary>
    public Fp6 MulBy01(in Fp2 b0, in Fp2 b1)
    {
        Fp2Wide t0 = Fp2Wide.Multiply(C0, b0);
        Fp2Wide t1 = Fp2Wide.Multiply(C1, b1);
        Fp2Wide c0 = (Fp2Wide.Multiply(C1 + C2, b1) - t1).MulByNonResidue() + t0;
        Fp2Wide c1 = Fp2Wide.Multiply(C0 + C1, b0 + b1) - t0 - t1;
        Fp2Wide c2 = Fp2Wide.Multiply(C0 + C2, b0) - t0 + t1;
        return new Fp6(c0.Reduce(), c1.Reduce(), c2.Reduce());
    }

    /// <summary>Product with b1·v.</summary>
    public Fp6 MulBy1(in Fp2 b1) => new((C2 * b1).MulByNonResidue(), C0 * b1, C1 * b1);

    public Fp6 Inverse()
    {
        Fp2 t0 = C0.Square() - (C1 * C2).MulByNonResidue();
        Fp2 t1 = C2.Square().MulByNonResidue() - C0 * C1;
        Fp2 t2 = C1.Square() - C0 * C2;
        Fp2 norm = C0 * t0 + (C2 * t1).MulByNonResidue() + (C1 * t2).MulByNonResidue();
        Fp2 inv = norm.Inverse();
        return new Fp6(t0 * inv, t1 * inv, t2 * inv);
    }

    public static bool operator ==(in Fp6 a, in Fp6 b) => a.C0 == b.C0 && a.C1 == b.C1 && a.C2 == b.C2;
    public static bool operator !=(in Fp6 a, in Fp6 b) => !(a == b);
    public bool Equals(Fp6 other) => this == other;
    public override bool Equals(object? obj) => obj is Fp6 f && this == f;
    public override int GetHashCode() => HashCode.Combine(C0, C1, C2);
}
