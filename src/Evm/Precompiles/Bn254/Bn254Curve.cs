using System.Numerics;

namespace BeamSync.Evm.Precompiles.Bn254;

/// <summary>
/// bn254 (alt_bn128) as EIP-196/197 encode it: G1 is y² = x³ + 3 over Fp, G2 is the D-type twist y² = x³ + 3/ξ over Fp2,
/// both of prime order r in the groups used; the point at infinity is encoded as all-zero coordinates.
/// Decoders reject coordinates not below p, points off the curve and (for G2) points outside the order-r subgroup.
/// Stateless; thread-safe.
/// </summary>
public static class Bn254Curve
{
    /// <summary>The BN parameter u (x in some texts): p and r are polynomials in it.</summary>
    public const ulong U = 4965661367192848881;

    public static readonly BigInteger Order = BigInteger.Parse("21888242871839275222246405745257275088548364400416034343698204186575808495617");

    public static readonly Fp G1B = Fp.FromUInt64(3);
    public static readonly Fp2 G2B = new Fp2(G1B, Fp.Zero) * new Fp2(Fp.FromUInt64(9), Fp.One).Inverse();

    private static readonly byte[] OrderBigEndian = Order.ToByteArray(isUnsigned: true, isBigEndian: true);

    /// <summary>Reads a 64-byte G1 point (x ‖ y); all zeros is the point at infinity.</summary>
    public static bool TryReadG1(ReadOnlySpan<byte> input64, out JacobianPoint<Fp> point)
    {
        point = JacobianPoint<Fp>.Infinity;
        if (!Fp.TryRead(input64[..32], out Fp x) || !Fp.TryRead(input64[32..64], out Fp y)) return false;
        if (x.IsZero && y.IsZero) return true;
        if (!JacobianPoint<Fp>.IsOnCurve(x, y, G1B)) return false;
        point = JacobianPoint<Fp>.FromAffine(x, y);
        return true;
    }

    /// <summary>
    /// Reads a 128-byte G2 point, each Fp2 coordinate imaginary part first (x.B ‖ x.A ‖ y.B ‖ y.A); all zeros is
    /// the point at infinity. The twist has points outside the order-r group, so membership is checked as r·Q = O.
    /// </summary>
    public static bool TryReadG2(ReadOnlySpan<byte> input128, out Fp2 x, out Fp2 y, out bool isInfinity)
    {
        x = default; y = default; isInfinity = false;
        if (!Fp.TryRead(input128[..32], out Fp xb) || !Fp.TryRead(input128[32..64], out Fp xa) ||
            !Fp.TryRead(input128[64..96], out Fp yb) || !Fp.TryRead(input128[96..128], out Fp ya)) return false;
        x = new Fp2(xa, xb);
        y = new Fp2(ya, yb);
        if (x.IsZero && y.IsZero) { isInfinity = true; return true; }
        if (!JacobianPoint<Fp2>.IsOnCurve(x, y, G2B)) return false;
        return JacobianPoint<Fp2>.Multiply(x, y, OrderBigEndian).IsInfinity;
    }

    /// <summary>Writes a G1 point as 64 bytes, (0, 0) for infinity.</summary>
    public static void WriteG1(in JacobianPoint<Fp> point, Span<byte> output64)
    {
        point.ToAffine(out Fp x, out Fp y);
        x.Write(output64[..32]);
        y.Write(output64[32..64]);
    }
}
