using System.Numerics;
using BeamSync.Evm.Precompiles.Bls12381;
using CsCheck;

namespace BeamSync.Evm.Tests.Precompiles;

/// <summary>Group laws, subgroup membership and pairing bilinearity on BLS12-381.</summary>
public class BlsCurveTests
{
    private static readonly Gen<BigInteger> Scalar =
        Gen.Byte.Array[32].Select(bytes => new BigInteger(bytes, isUnsigned: true) % Bls12381Curve.Order);

    private static byte[] ScalarBytes(BigInteger k)
    {
        var bytes = new byte[32];
        k.TryWriteBytes(bytes, out _, isUnsigned: true, isBigEndian: true);
        byte[] padded = new byte[32];
        int len = k.GetByteCount(isUnsigned: true);
        k.TryWriteBytes(padded.AsSpan(32 - len), out _, isUnsigned: true, isBigEndian: true);
        return padded;
    }

    private static Bls12381Pairing.Pair PairOf(JacobianPoint<Fp> p, JacobianPoint<Fp2> q)
    {
        p.ToAffine(out Fp px, out Fp py);
        q.ToAffine(out Fp2 qx, out Fp2 qy);
        return new Bls12381Pairing.Pair(px, py, qx, qy);
    }

    [Fact]
    public void Generators_are_on_their_curves_and_of_order_r()
    {
        Bls12381Curve.G1Generator.ToAffine(out Fp x1, out Fp y1);
        Bls12381Curve.G2Generator.ToAffine(out Fp2 x2, out Fp2 y2);
        Assert.True(Bls12381Curve.IsOnG1Curve(x1, y1));
        Assert.True(Bls12381Curve.IsOnG2Curve(x2, y2));
        Assert.True(Bls12381Curve.IsInG1Subgroup(Bls12381Curve.G1Generator));
        Assert.True(Bls12381Curve.IsInG2Subgroup(Bls12381Curve.G2Generator));
    }

    [Fact]
    public void Scalar_multiplication_distributes() =>
        Gen.Select(Scalar, Scalar).Sample((a, b) =>
        {
            var g = Bls12381Curve.G1Generator;
            var h = Bls12381Curve.G2Generator;
            bool g1 = (g.MultiplyBigEndian(ScalarBytes(a)) + g.MultiplyBigEndian(ScalarBytes(b)))
                .IsSamePoint(g.MultiplyBigEndian(ScalarBytes((a + b) % Bls12381Curve.Order)));
            bool g2 = (h.MultiplyBigEndian(ScalarBytes(a)) + h.MultiplyBigEndian(ScalarBytes(b)))
                .IsSamePoint(h.MultiplyBigEndian(ScalarBytes((a + b) % Bls12381Curve.Order)));
            return g1 && g2;
        }, iter: 20);

    /// <summary>The affine sum the add precompiles use, against the Jacobian formulas: distinct points, doubling, inverses and infinity.</summary>
    [Fact]
    public void Affine_addition_matches_the_Jacobian_path() =>
        Gen.Select(Scalar, Scalar).Sample((a, b) =>
        {
            bool g1 = AffineSumsMatch(Bls12381Curve.G1Generator.MultiplyBigEndian(ScalarBytes(a)), Bls12381Curve.G1Generator.MultiplyBigEndian(ScalarBytes(b)));
            bool g2 = AffineSumsMatch(Bls12381Curve.G2Generator.MultiplyBigEndian(ScalarBytes(a)), Bls12381Curve.G2Generator.MultiplyBigEndian(ScalarBytes(b)));
            return g1 && g2;
        }, iter: 20);

    private static bool AffineSumsMatch<T>(JacobianPoint<T> p, JacobianPoint<T> q) where T : unmanaged, IBlsField<T>
    {
        AffinePoint<T> ap = ToAffinePoint(p), aq = ToAffinePoint(q);
        var infinity = AffinePoint<T>.Infinity;
        return SameAffine(ap + aq, p + q)
            && SameAffine(ap + ap, p.Double())
            && SameAffine(ap + ToAffinePoint(p.Negate()), JacobianPoint<T>.Infinity)
            && SameAffine(ap + infinity, p)
            && SameAffine(infinity + aq, q)
            && (infinity + infinity).IsInfinity;
    }

    private static AffinePoint<T> ToAffinePoint<T>(JacobianPoint<T> p) where T : unmanaged, IBlsField<T>
    {
        if (p.IsInfinity) return AffinePoint<T>.Infinity;
        p.ToAffine(out T x, out T y);
        return new AffinePoint<T>(x, y);
    }

    private static bool SameAffine<T>(AffinePoint<T> affine, JacobianPoint<T> expected) where T : unmanaged, IBlsField<T> =>
        affine.IsInfinity ? expected.IsInfinity : expected.IsSamePoint(affine.ToJacobian());

    [Fact]
    public void Pairing_is_bilinear_and_non_degenerate() =>
        Gen.Select(Scalar, Scalar).Where((a, b) => !a.IsZero && !b.IsZero).Sample((a, b) =>
        {
            var g = Bls12381Curve.G1Generator;
            var h = Bls12381Curve.G2Generator;
            Fp12 e = Bls12381Pairing.Pair1(PairOf(g, h));
            Fp12 eab = Bls12381Pairing.Pair1(PairOf(g.MultiplyBigEndian(ScalarBytes(a)), h.MultiplyBigEndian(ScalarBytes(b))));
            Fp12 expected = Fp12.One;
            Fp12 power = e;
            for (BigInteger k = a * b % Bls12381Curve.Order; !k.IsZero; k >>= 1)
            {
                if (!k.IsEven) expected *= power;
                power = power.Square();
            }
            return !e.IsOne && eab == expected;
        }, iter: 3);

    [Fact]
    public void Product_check_accepts_balanced_pairs_and_rejects_others()
    {
        var g = Bls12381Curve.G1Generator;
        var h = Bls12381Curve.G2Generator;
        var g6 = g.MultiplyBigEndian(ScalarBytes(6));
        var g2 = g.MultiplyBigEndian(ScalarBytes(2));
        var h3 = h.MultiplyBigEndian(ScalarBytes(3));
        Assert.True(Bls12381Pairing.ProductIsOne([PairOf(g2, h3), PairOf(g6.Negate(), h)]));
        Assert.False(Bls12381Pairing.ProductIsOne([PairOf(g2, h3), PairOf(g6, h)]));
    }

    /// <summary>Prepared G2 lines, plain and in unit form (the KZG path: Q fixed, lines computed once), decide like the on-the-fly Miller loop.</summary>
    [Fact]
    public void Prepared_lines_check_the_same_products_as_pairs()
    {
        var g = Bls12381Curve.G1Generator;
        var h = Bls12381Curve.G2Generator;
        JacobianPoint<Fp> g2 = g.MultiplyBigEndian(ScalarBytes(2)), g6 = g.MultiplyBigEndian(ScalarBytes(6)).Negate(), g5 = g.MultiplyBigEndian(ScalarBytes(5)).Negate();
        Assert.False(g2.Z == Fp.One || g6.Z == Fp.One || g5.Z == Fp.One);
        Bls12381Pairing.Pair[] balanced = [PairOf(g2, h.MultiplyBigEndian(ScalarBytes(3))), PairOf(g6, h)];
        Bls12381Pairing.Pair[] unbalanced = [balanced[0], PairOf(g5, h)];
        foreach ((Bls12381Pairing.Pair[] pairs, bool expected, JacobianPoint<Fp> second) in new[] { (balanced, true, g6), (unbalanced, false, g5) })
        {
            Bls12381Pairing.Line[] lines = [.. pairs.SelectMany(pair => Bls12381Pairing.PrepareLines(pair.Qx, pair.Qy))];
            Fp[] px = [.. pairs.Select(pair => pair.Px)], py = [.. pairs.Select(pair => pair.Py)];
            Assert.Equal(expected, Bls12381Pairing.ProductIsOne(pairs));
            Assert.Equal(expected, Bls12381Pairing.ProductIsOne(px, py, lines));
            Bls12381Pairing.Line[] unitLines = [.. pairs.SelectMany(pair => Bls12381Pairing.PrepareUnitLines(pair.Qx, pair.Qy))];
            Assert.All(unitLines, line => Assert.Equal(Fp2.One, line.YFactor));
            Assert.Equal(expected, Bls12381Pairing.ProductIsOneWithUnitLines(px, py, unitLines));
            // Jacobian inputs (Z ≠ 1): xP/yP and 1/yP from one shared inversion.
            Assert.Equal(expected, Bls12381Pairing.ProductIsOneWithUnitLines(g2, second, unitLines));
        }
    }

    private static readonly Gen<BigInteger> FieldValue =
        Gen.Byte.Array[48].Select(bytes => new BigInteger(bytes, isUnsigned: true) % Fp.Modulus);

    /// <summary>Points of E and E' found from random x (mostly outside the subgroups: the cofactors are large).</summary>
    private static JacobianPoint<Fp>? G1CurvePoint(BigInteger x)
    {
        Fp fx = Fp.FromBigInteger(x);
        return (fx.Square() * fx + Bls12381Curve.B1).TrySqrt(out Fp y) ? JacobianPoint<Fp>.FromAffine(fx, y) : null;
    }

    private static JacobianPoint<Fp2>? G2CurvePoint(BigInteger x0, BigInteger x1)
    {
        Fp2 fx = Fp2.FromBigIntegers(x0, x1);
        return (fx.Square() * fx + Bls12381Curve.B2).TrySqrt(out Fp2 y) ? JacobianPoint<Fp2>.FromAffine(fx, y) : null;
    }

    [Fact]
    public void Fast_subgroup_checks_agree_with_multiplication_by_r()
    {
        Gen.Select(FieldValue, FieldValue, FieldValue, Scalar).Sample((a, b, c, k) =>
        {
            byte[] kb = ScalarBytes(k);
            bool ok = true;
            if (G1CurvePoint(a) is { } p)
            {
                ok &= Bls12381Curve.IsInG1Subgroup(p) == Bls12381Curve.IsTorsionOfOrderR(p);
                var inGroup = Bls12381Curve.G1Generator.MultiplyBigEndian(kb);
                ok &= Bls12381Curve.IsInG1Subgroup(inGroup);
            }
            if (G2CurvePoint(b, c) is { } q)
            {
                ok &= Bls12381Curve.IsInG2Subgroup(q) == Bls12381Curve.IsTorsionOfOrderR(q);
                ok &= Bls12381Curve.IsInG2Subgroup(Bls12381Curve.G2Generator.MultiplyBigEndian(kb));
            }
            return ok;
        }, iter: 20);
    }

    /// <summary>Multiply takes mixed additions for an affine point: the result must match the same point with Z ≠ 1.</summary>
    [Fact]
    public void Multiplying_an_affine_point_matches_its_projective_copy() =>
        Gen.Select(FieldValue, Gen.ULong, Gen.ULong).Sample((a, low, high) =>
        {
            if (G1CurvePoint(a) is not { } p) return true;
            Fp z = Fp.FromUInt64(low | 2);
            Fp zz = z.Square();
            var projective = new JacobianPoint<Fp>(p.X * zz, p.Y * zz * z, z);
            ulong[] scalar = [low, high, 0, 1];
            return p.Multiply(scalar).IsSamePoint(projective.Multiply(scalar))
                && p.Multiply([3UL]).IsSamePoint(p.Double() + p);
        }, iter: 20);

    private static readonly Lazy<FixedBaseTable<Fp>> GeneratorTable = new(() => new FixedBaseTable<Fp>(Bls12381Curve.G1Generator));

    /// <summary>
    /// The fixed-base table's signed windows against plain multiplication, for random 256-bit scalars (not reduced)
    /// and for byte patterns at the digit boundaries (0x80 stays positive, 0x81 and 0xff carry into the next window).
    /// </summary>
    [Fact]
    public void Fixed_base_multiplication_matches_double_and_add()
    {
        var edges = new List<byte[]> { new byte[32], Enumerable.Repeat((byte)0xff, 32).ToArray(),
            Enumerable.Repeat((byte)0x80, 32).ToArray(), Enumerable.Repeat((byte)0x81, 32).ToArray(), ScalarBytes(1), ScalarBytes(128), ScalarBytes(129) };
        foreach (byte[] k in edges)
            Assert.True(GeneratorTable.Value.Multiply(k).IsSamePoint(Bls12381Curve.G1Generator.MultiplyBigEndian(k)));
        Gen.Byte.Array[32].Sample(k => GeneratorTable.Value.Multiply(k).IsSamePoint(Bls12381Curve.G1Generator.MultiplyBigEndian(k)), iter: 50);
    }

    [Fact]
    public void G2_cofactor_clearing_equals_multiplication_by_h_eff()
    {
        ulong[] hEff = Fp.LimbsOf(BigInteger.Parse(
            "0bc69f08f2ee75b3584c6a0ea91b352888e2a8e9145ad7689986ff031508ffe1329c2f178731db956d82bf015d1212b02ec0ec69d7477c1ae954cbc06689f6a359894c0adebbf6b4e8020005aaa95551",
            System.Globalization.NumberStyles.HexNumber));
        Gen.Select(FieldValue, FieldValue).Sample((b, c) =>
        {
            if (G2CurvePoint(b, c) is not { } q) return true;
            var cleared = Bls12381Endomorphisms.ClearG2Cofactor(q);
            return cleared.IsSamePoint(q.Multiply(hEff)) && Bls12381Curve.IsTorsionOfOrderR(cleared);
        }, iter: 10);
    }
}
