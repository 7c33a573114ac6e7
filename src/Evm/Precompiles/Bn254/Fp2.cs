using System.Runtime.CompilerServices;

namespace BeamSync.Evm.Precompiles.Bn254;

/// <summary>
/// An element A + B·u of Fp2 = Fp[u]/(u² + 1), the field of G2's coordinates. Immutable; thread-safe.
/// EIP-197 encodes it imaginary part first: (B, A).
/// </summary>
[SkipLocalsInit]
public readonly struct Fp2 : IFieldElement<Fp2>, IEquatable<Fp2>
{
    public readonly Fp A, B;

    public Fp2(in Fp a, in Fp b) { A = a; B = b; }

    public static Fp2 Zero => default;
    public static Fp2 One => new(Fp.One, Fp.Zero);

    public bool IsZero => A.IsZero && B.IsZero;

    public static Fp2 operator +(in Fp2 x, in Fp2 y) => new(x.A + y.A, x.B + y.B);
    public static Fp2 operator -(in Fp2 x, in Fp2 y) => new(x.A - y.A, x.B - y.B);

    /// <summary>Karatsuba: three base-field products.</summary>
    public static Fp2 operator *(in Fp2 x, in Fp2 y)
    {
        Fp aa = x.A * y.A;
        Fp bb = x.B * y.B;
        Fp cross = (x.A + x.B) * (y.A + y.B);
        return new(aa - bb, cross - aa - bb);
    }

    public Fp2 MulByFp(in Fp k) => new(A * k, B * k);

    /// <summary>(A + Bu)² = (A + B)(A − B) + 2AB·u: two products.</summary>
    public Fp2 Square()
    {
        Fp ab = A * B;
        return new((A + B) * (A - B), ab.Double());
    }

    public Fp2 Double() => new(A.Double(), B.Double());
    public Fp2 Negate() => new(A.Negate(), B.Negate());
    public Fp2 Conjugate() => new(A, B.Negate());

    /// <summary>Multiplies by the tower's non-residue ξ = 9 + u: (9A − B) + (A + 9B)u, by additions only.</summary>
    public Fp2 MulByXi()
    {
        Fp a8 = A.Double().Double().Double();
        Fp b8 = B.Double().Double().Double();
        return new(a8 + A - B, A + b8 + B);
    }

    public Fp2 Inverse()
    {
        Fp norm = (A.Square() + B.Square()).Inverse();
        return new(A * norm, (B * norm).Negate());
    }

    public static bool operator ==(in Fp2 x, in Fp2 y) => x.A == y.A && x.B == y.B;
    public static bool operator !=(in Fp2 x, in Fp2 y) => !(x == y);
    public bool Equals(Fp2 other) => this == other;
    public override bool Equals(object? obj) => obj is Fp2 f && this == f;
    public override int GetHashCode() => HashCode.Combine(A, B);
    public override string ToString() => $"({A} + {B}u)";
}
