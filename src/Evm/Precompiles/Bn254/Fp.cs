using System.Numerics;
using System.Runtime.CompilerServices;
using static BeamSync.Evm.Precompiles.MontgomeryLimbs;

namespace BeamSync.Evm.Precompiles.Bn254;

/// <summary>
/// An element of the bn254 base field, p = 0x30644e72e131a029b85045b68181585d97816a916871ca8d3c208c16d87cfd47,
/// held in Montgomery form (x·2^256 mod p) on four little-endian 64-bit limbs, always fully reduced (below p).
/// Arithmetic uses no heap and no BigInteger. Immutable; thread-safe.
/// </summary>
[SkipLocalsInit]
public readonly partial struct Fp : IFieldElement<Fp>, IEquatable<Fp>
{
    // p's limbs, least significant first.
    internal const ulong P0 = 0x3c208c16d87cfd47, P1 = 0x97816a916871ca8d, P2 = 0xb85045b68181585d, P3 = 0x30644e72e131a029;

    /// <summary>-p^-1 mod 2^64, the Montgomery reduction factor.</summary>
    private const ulong PInvNeg = 0x87d20782e4866389;

    public static readonly BigInteger Modulus = BigInteger.Parse("21888242871839275222246405745257275088696311157297823662689037894645226208583");

    /// <summary>2^256 mod p (one in Montgomery form) and 2^512 mod p (converts a canonical value into Montgomery form).</summary>
    private static readonly Fp R = FromLimbsUnchecked(BigInteger.ModPow(2, 256, Modulus));
    private static readonly Fp R2 = FromLimbsUnchecked(BigInteger.ModPow(2, 512, Modulus));

    /// <summary>2^768 mod p as raw limbs: one Montgomery product turns the integer inverse of aR into a⁻¹R (kept here so
    /// it initialises after <see cref="Modulus"/>; initialisation order across partial files is unspecified).</summary>
    private static readonly Fp R3 = FromLimbsUnchecked(BigInteger.ModPow(2, 768, Modulus));

    internal readonly ulong U0, U1, U2, U3;

    internal Fp(ulong u0, ulong u1, ulong u2, ulong u3) { U0 = u0; U1 = u1; U2 = u2; U3 = u3; }

    public static Fp Zero => default;
    public static Fp One => R;

    public bool IsZero => (U0 | U1 | U2 | U3) == 0;

    public static Fp operator +(in Fp a, in Fp b)
    {
        // a, b < p < 2^254, so the sum cannot carry out of 256 bits.
        ulong c;
        ulong r0 = AddC(a.U0, b.U0, 0, out c);
        ulong r1 = AddC(a.U1, b.U1, c, out c);
        ulong r2 = AddC(a.U2, b.U2, c, out c);
        ulong r3 = a.U3 + b.U3 + c;
        return ReduceOnce(r0, r1, r2, r3);
    }

    public static Fp operator -(in Fp a, in Fp b)
    {
        ulong br;
        ulong r0 = SubB(a.U0, b.U0, 0, out br);
        ulong r1 = SubB(a.U1, b.U1, br, out br);
        ulong r2 = SubB(a.U2, b.U2, br, out br);
        ulong r3 = SubB(a.U3, b.U3, br, out br);
        if (br != 0)
        {
            ulong c;
            r0 = AddC(r0, P0, 0, out c);
            r1 = AddC(r1, P1, c, out c);
            r2 = AddC(r2, P2, c, out c);
            r3 = r3 + P3 + c;
        }
        return new Fp(r0, r1, r2, r3);
    }

    public Fp Double() => this + this;

    public Fp Negate() => IsZero ? this : default(Fp) - this;

    public Fp Square() => this * this;

    /// <summary>Montgomery product a·b·2^-256 mod p (CIOS; p's top limb is below 2^62, so no fifth word is needed).</summary>
    public static Fp operator *(in Fp a, in Fp b)
    {
        ulong t0 = 0, t1 = 0, t2 = 0, t3 = 0;
        MulRow(a, b.U0, ref t0, ref t1, ref t2, ref t3);
        MulRow(a, b.U1, ref t0, ref t1, ref t2, ref t3);
        MulRow(a, b.U2, ref t0, ref t1, ref t2, ref t3);
        MulRow(a, b.U3, ref t0, ref t1, ref t2, ref t3);
        return ReduceOnce(t0, t1, t2, t3);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void MulRow(in Fp a, ulong bi, ref ulong t0, ref ulong t1, ref ulong t2, ref ulong t3)
    {
        ulong A = MulAdd(a.U0, bi, t0, 0, out t0);
        ulong m = t0 * PInvNeg;
        ulong C = MulAdd(m, P0, t0, 0, out _);
        A = MulAdd(a.U1, bi, t1, A, out t1);
        C = MulAdd(m, P1, t1, C, out t0);
        A = MulAdd(a.U2, bi, t2, A, out t2);
        C = MulAdd(m, P2, t2, C, out t1);
        A = MulAdd(a.U3, bi, t3, A, out t3);
        C = MulAdd(m, P3, t3, C, out t2);
        t3 = C + A;
    }

    /// <summary>The multiplicative inverse (zero maps to zero); see <c>Fp.Inversion.cs</c>.</summary>
    public Fp Inverse() => IsZero ? this : BinaryInverse(this);

    public static bool operator ==(in Fp a, in Fp b) => a.U0 == b.U0 && a.U1 == b.U1 && a.U2 == b.U2 && a.U3 == b.U3;
    public static bool operator !=(in Fp a, in Fp b) => !(a == b);
    public bool Equals(Fp other) => this == other;
    public override bool Equals(object? obj) => obj is Fp f && this == f;
    public override int GetHashCode() => HashCode.Combine(U0, U1, U2, U3);
    public override string ToString() => ToBigInteger().ToString();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Fp ReduceOnce(ulong r0, ulong r1, ulong r2, ulong r3)
    {
        ulong br;
        ulong s0 = SubB(r0, P0, 0, out br);
        ulong s1 = SubB(r1, P1, br, out br);
        ulong s2 = SubB(r2, P2, br, out br);
        ulong s3 = SubB(r3, P3, br, out br);
        return br != 0 ? new Fp(r0, r1, r2, r3) : new Fp(s0, s1, s2, s3);
    }
}
