using System.Runtime.CompilerServices;

namespace BeamSync.Evm.Precompiles.Bn254;

/// <summary>An element C0 + C1·v + C2·v² of Fp6 = Fp2[v]/(v³ − ξ), ξ = 9 + u. Immutable; thread-safe.</summary>
[SkipLocalsInit]
public readonly struct Fp6 : IEquatable<Fp6>
{
    public readonly Fp2 C0, C1, C2;

    public Fp6(in Fp2 c0, in Fp2 c1, in Fp2 c2) { C0 = c0; C1 = c1; C2 = c2; }

    public static Fp6 Zero => default;
    public static Fp6 One => new(Fp2.One, Fp2.Zero, Fp2.Zero);

    public bool IsZero => C0.IsZero && C1.IsZero && C2.IsZero;

    public static Fp6 operator +(in Fp6 x, in Fp6 y) => new(x.C0 + y.C0, x.C1 + y.C1, x.C2 + y.C2);
    public static Fp6 operator -(in Fp6 x, in Fp6 y) => new(x.C0 - y.C0, x.C1 - y.C1, x.C2 - y.C2);
    public Fp6 Negate() => new(C0.Negate(), C1.Negate(), C2.Negate());

    /// <summary>Karatsuba-style product: six Fp2 multiplications.</summary>
    public static Fp6 operator *(in Fp6 x, in Fp6 y)
    {
        Fp2 t0 = x.C0 * y.C0;
        Fp2 t1 = x.C1 * y.C1;
        Fp2 t2 = x.C2 * y.C2;
        Fp2 c0 = ((x.C1 + x.C2) * (y.C1 + y.C2) - t1 - t2).MulByXi() + t0;
        Fp2 c1 = (x.C0 + x.C1) * (y.C0 + y.C1) - t0 - t1 + t2.MulByXi();
        Fp2 c2 = (x.C0 + x.C2) * (y.C0 + y.C2) - t0 - t2 + t1;
        return new(c0, c1, c2);
    }

    public Fp6 Square()
    {
        // CH-SQR2 (Chung-Hasan): two squarings and three products fewer than a general product would need.
        Fp2 s0 = C0.Square();
        Fp2 ab = C0 * C1;
        Fp2 s1 = ab.Double();
        Fp2 s2 = (C0 - C1 + C2).Square();
        Fp2 bc = C1 * C2;
        Fp2 s3 = bc.Double();
        Fp2 s4 = C2.Square();
        return new(s0 + s3.MulByXi(), s1 + s4.MulByXi(), s1 + s2 + s3 - s0 - s4);
    }

    public Fp6 MulByFp2(in Fp2 k) => new(C0 * k, C1 * k, C2 * k);

    /// <summary>Multiplies by v: (C0, C1, C2)·v = (ξ·C2, C0, C1).</summary>
    public Fp6 MulByV() => new(C2.MulByXi(), C0, C1);

    /// <summary>Product with the sparse element b0 + b1·v (five Fp2 multiplications), used by the Miller loop's line evaluation.</summary>
    public Fp6 MulBy01(in Fp2 b0, in Fp2 b1)
    {
        Fp2 t0 = C0 * b0;
        Fp2 t1 = C1 * b1;
        Fp2 c0 = ((C1 + C2) * b1 - t1).MulByXi() + t0;
        Fp2 c1 = (C0 + C1) * (b0 + b1) - t0 - t1;
        Fp2 c2 = (C0 + C2) * b0 - t0 + t1;
        return new(c0, c1, c2);
    }

    public Fp6 Inverse()
    {
        Fp2 a = C0.Square() - (C1 * C2).MulByXi();
        Fp2 b = C2.Square().MulByXi() - C0 * C1;
        Fp2 c = C1.Square() - C0 * C2;
        Fp2 norm = (C0 * a + ((C2 * b) + (C1 * c)).MulByXi()).Inverse();
        return new(a * norm, b * norm, c * norm);
    }

    public static bool operator ==(in Fp6 x, in Fp6 y) => x.C0 == y.C0 && x.C1 == y.C1 && x.C2 == y.C2;
    public static bool operator !=(in Fp6 x, in Fp6 y) => !(x == y);
    public bool Equals(Fp6 other) => this == other;
    public override bool Equals(object? obj) => obj is Fp6 f && this == f;
    public override int GetHashCode() => HashCode.Combine(C0, C1, C2);
}
