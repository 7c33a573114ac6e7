using System.Numerics;
using System.Runtime.CompilerServices;

namespace BeamSync.Evm.Precompiles.Bls12381;

/// <summary>Fp2 = Fp[u]/(u² + 1), an element c0 + c1·u. Immutable; thread-safe.</summary>
[SkipLocalsInit]
public readonly struct Fp2 : IBlsField<Fp2>, IEquatable<Fp2>
{
    public readonly Fp C0, C1;

    public Fp2(in Fp c0, in Fp c1) { C0 = c0; C1 = c1; }

    public static Fp2 Zero => default;
    public static Fp2 One => new(Fp.One, Fp.Zero);

    public bool IsZero => C0.IsZero && C1.IsZero;

    public static Fp2 operator +(in Fp2 a, in Fp2 b) => new(a.C0 + b.C0, a.C1 + b.C1);
    public static Fp2 operator -(in Fp2 a, in Fp2 b) => new(a.C0 - b.C0, a.C1 - b.C1);

    /// <summary>
    /// Karatsuba with lazy reduction, as <see cref="Fp2Wide.Multiply"/> then one Montgomery reduction per coefficient
    /// (two instead of three); the machine-code kernel where it runs (<see cref="FpNativeKernels"/>). Written out rather than through Fp2Wide: returning the 192-byte wide value by copy made
    /// this product ~20% slower.
    /// </summary>
    public static Fp2 operator *(in Fp2 a, in Fp2 b) =>
        FpNativeKernels.IsAvailable ? FpNativeKernels.Fp2Multiply(a, b) : MultiplyManaged(a, b);

    internal static Fp2 MultiplyManaged(in Fp2 a, in Fp2 b)
    {
        FpWide aa = FpWide.Multiply(a.C0, b.C0);
        FpWide bb = FpWide.Multiply(a.C1, b.C1);
        FpWide cross = FpWide.Multiply(Fp.AddUnreduced(a.C0, a.C1), Fp.AddUnreduced(b.C0, b.C1));
        return new Fp2(FpWide.SubtractModPR(aa, bb).Reduce(), (cross - aa - bb).Reduce());
    }

    public static Fp2 operator *(in Fp2 a, in Fp b) => new(a.C0 * b, a.C1 * b);

    /// <summary>(a + bu)² = (a + b)(a − b) + 2ab·u: two products.</summary>
    public Fp2 Square() => FpNativeKernels.IsAvailable ? FpNativeKernels.Fp2Square(this) : SquareManaged();

    internal Fp2 SquareManaged()
    {
        Fp ab = C0 * C1;
        return new Fp2((C0 + C1) * (C0 - C1), ab + ab);
    }

    public Fp2 Double() => new(C0.Double(), C1.Double());
    public Fp2 Negate() => new(C0.Negate(), C1.Negate());
    public Fp2 Conjugate() => new(C0, C1.Negate());

    /// <summary>Multiplication by the sextic non-residue ξ = 1 + u: (a + bu)(1 + u) = (a − b) + (a + b)u.</summary>
    public Fp2 MulByNonResidue() => new(C0 - C1, C0 + C1);

    /// <summary>(a − bu)/(a² + b²); zero maps to zero.</summary>
    public Fp2 Inverse()
    {
        Fp t = (C0.Square() + C1.Square()).Inverse();
        return new Fp2(C0 * t, (C1 * t).Negate());
    }

    /// <summary>The Frobenius map x ↦ x^p, which on Fp2 is conjugation.</summary>
    public Fp2 Frobenius() => Conjugate();

    /// <summary>RFC 9380 sgn0 for m = 2: sign of c0, or of c1 when c0 is zero.</summary>
    public bool Sgn0 => C0.Sgn0 || (C0.IsZero && C1.Sgn0);

    /// <summary>The zcash flag for G2: c1 lexicographically largest, or c0 when c1 is zero.</summary>
    public bool IsLexicographicallyLargest() => C1.IsZero ? C0.IsLexicographicallyLargest() : C1.IsLexicographicallyLargest();

    /// <summary>x^e for an exponent given as little-endian limbs.</summary>
    public Fp2 Pow(ReadOnlySpan<ulong> exponent)
    {
        Fp2 result = One;
        for (int limb = exponent.Length - 1; limb >= 0; limb--)
            for (int bit = 63; bit >= 0; bit--)
            {
                result = result.Square();
                if (((exponent[limb] >> bit) & 1) != 0) result *= this;
            }
        return result;
    }

    /// <summary>
    /// A square root when one exists, through the norm (p ≡ 3 mod 4): with γ = √(c0² + c1²), x0 = √((c0 ± γ)/2) and
    /// x1 = c1/(2·x0). Three base-field roots instead of two Fp2 powers; the result is checked by squaring, so false
    /// means a non-residue.
    /// </summary>
    public bool TrySqrt(out Fp2 root)
    {
        root = default;
        if (C1.IsZero)
        {
            // c0 or −c0 is a square in Fp (−1 is not), giving √c0 or √(−c0)·u.
            if (C0.TrySqrt(out Fp r0)) { root = new Fp2(r0, Fp.Zero); return true; }
            if (C0.Negate().TrySqrt(out Fp r1)) { root = new Fp2(Fp.Zero, r1); return true; }
            return false;
        }
        if (!(C0.Square() + C1.Square()).TrySqrt(out Fp gamma)) return false;
        Fp delta = (C0 + gamma) * InverseOfTwo;
        if (!delta.TrySqrt(out Fp x0))
        {
            delta = (C0 - gamma) * InverseOfTwo;
            if (!delta.TrySqrt(out x0)) return false;
        }
        root = new Fp2(x0, C1 * x0.Double().Inverse());
        return root.Square() == this;
    }

    private static readonly Fp InverseOfTwo = Fp.FromUInt64(2).Inverse();

    public static Fp2 FromBigIntegers(BigInteger c0, BigInteger c1) => new(Fp.FromBigInteger(c0), Fp.FromBigInteger(c1));
    public static Fp2 FromHex(string c0, string c1) => new(Fp.FromHex(c0), Fp.FromHex(c1));

    public static bool operator ==(in Fp2 a, in Fp2 b) => a.C0 == b.C0 && a.C1 == b.C1;
    public static bool operator !=(in Fp2 a, in Fp2 b) => !(a == b);
    public bool Equals(Fp2 other) => this == other;
    public override bool Equals(object? obj) => obj is Fp2 f && this == f;
    public override int GetHashCode() => HashCode.Combine(C0, C1);
    public override string ToString() => $"({C0}, {C1})";
}
