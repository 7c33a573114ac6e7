using System.Numerics;
using BeamSync.Evm.Precompiles.Bls12381;
using CsCheck;

namespace BeamSync.Evm.Tests.Precompiles;

/// <summary>The six-limb Montgomery field against a slow BigInteger reference, and the tower's laws.</summary>
public class BlsFieldTests
{
    private static readonly BigInteger P = Fp.Modulus;

    private static readonly Gen<BigInteger> FieldValue =
        Gen.Byte.Array[48].Select(bytes => new BigInteger(bytes, isUnsigned: true) % P);

    private static readonly Gen<Fp2> Fp2Value = Gen.Select(FieldValue, FieldValue).Select((a, b) => Fp2.FromBigIntegers(a, b));

    [Fact]
    public void Modulus_is_the_BLS12_381_prime()
    {
        BigInteger x = -BigInteger.Parse("0d201000000010000", System.Globalization.NumberStyles.HexNumber);
        Assert.Equal((x - 1) * (x - 1) * (BigInteger.Pow(x, 4) - x * x + 1) / 3 + x, P);
        Assert.Equal(BigInteger.Pow(x, 4) - x * x + 1, Bls12381Curve.Order);
    }

    [Fact]
    public void Add_sub_mul_match_BigInteger() =>
        Gen.Select(FieldValue, FieldValue).Sample((a, b) =>
        {
            Fp fa = Fp.FromBigInteger(a), fb = Fp.FromBigInteger(b);
            return (fa + fb).ToBigInteger() == (a + b) % P
                && (fa - fb).ToBigInteger() == ((a - b) % P + P) % P
                && (fa * fb).ToBigInteger() == a * b % P
                && fa.Square().ToBigInteger() == a * a % P;
        });

    [Fact]
    public void Edge_values_multiply_correctly()
    {
        BigInteger[] edges = [0, 1, 2, P - 1, P - 2, (P - 1) / 2, BigInteger.Pow(2, 380), BigInteger.Pow(2, 64) - 1];
        foreach (BigInteger a in edges)
            foreach (BigInteger b in edges)
                Assert.Equal(a * b % P, (Fp.FromBigInteger(a) * Fp.FromBigInteger(b)).ToBigInteger());
    }

    /// <summary>
    /// The squaring has its own double-width kernel (cross products once, doubled by a shift, then the diagonal) and
    /// the reductions skip the low word of t + m·p0: both are checked at Montgomery limbs with every top bit and carry
    /// pattern the shift and the skipped word can meet (all-ones limbs, p − 1, powers of two), and at random values.
    /// </summary>
    [Fact]
    public void Squares_match_BigInteger_at_edge_limbs()
    {
        BigInteger rInverse = BigInteger.ModPow(BigInteger.Pow(2, 384), P - 2, P);
        var limbValues = new List<BigInteger> { 0, 1, 2, 3, P - 1, P - 2, (P - 1) / 2, (P + 1) / 2 };
        for (int bits = 63; bits <= 381; bits += 64) limbValues.Add(BigInteger.Pow(2, bits));
        for (int limbs = 1; limbs <= 5; limbs++) limbValues.Add(BigInteger.Pow(2, 64 * limbs) - 1);
        limbValues.Add(P - BigInteger.Pow(2, 64));
        foreach (BigInteger montgomery in limbValues)
        {
            BigInteger canonical = montgomery * rInverse % P;
            Fp x = Fp.FromBigInteger(canonical);
            Assert.Equal(canonical * canonical % P, x.Square().ToBigInteger());
            Assert.Equal(x * x, x.Square());
        }
        FieldValue.Sample(a =>
        {
            Fp x = Fp.FromBigInteger(a);
            return x.Square().ToBigInteger() == a * a % P && x.Square() == x * x;
        });
    }

    /// <summary>
    /// The Fp2 product reduces lazily (double-width products, one reduction per coefficient), so its bounds are
    /// tested where they are tightest: Montgomery limbs at and near p − 1, as well as random values.
    /// </summary>
    [Fact]
    public void Fp2_products_match_BigInteger_at_edge_limbs()
    {
        BigInteger rInverse = BigInteger.ModPow(BigInteger.Pow(2, 384), P - 2, P);
        BigInteger[] limbValues = [0, 1, 2, P - 1, P - 2, (P - 1) / 2, BigInteger.Pow(2, 380), BigInteger.Pow(2, 64) - 1];
        BigInteger[] canonical = limbValues.Select(v => v * rInverse % P).ToArray();
        foreach (BigInteger a0 in canonical)
            foreach (BigInteger a1 in canonical)
                foreach (BigInteger b0 in canonical)
                    foreach (BigInteger b1 in canonical)
                        AssertProduct(a0, a1, b0, b1);
        Gen.Select(FieldValue, FieldValue, FieldValue, FieldValue).Sample((a0, a1, b0, b1) => AssertProduct(a0, a1, b0, b1));
    }

    private static void AssertProduct(BigInteger a0, BigInteger a1, BigInteger b0, BigInteger b1)
    {
        Fp2 product = Fp2.FromBigIntegers(a0, a1) * Fp2.FromBigIntegers(b0, b1);
        Assert.Equal(((a0 * b0 - a1 * b1) % P + P) % P, product.C0.ToBigInteger());
        Assert.Equal((a0 * b1 + a1 * b0) % P, product.C1.ToBigInteger());
    }

    [Fact]
    public void Inverse_and_sqrt_agree_with_the_reference() =>
        FieldValue.Where(a => !a.IsZero).Sample(a =>
        {
            Fp fa = Fp.FromBigInteger(a);
            bool isSquare = BigInteger.ModPow(a, (P - 1) / 2, P).IsOne;
            bool rooted = fa.TrySqrt(out Fp root);
            return fa.Inverse().ToBigInteger() == BigInteger.ModPow(a, P - 2, P)
                && rooted == isSquare && fa.IsSquare() == isSquare
                && (!rooted || root.Square() == fa);
        });

    /// <summary>
    /// The binary-GCD inversion works on the raw Montgomery limbs and approximates them by their low and top bits, so
    /// it is tested where those shortcuts are tightest: raw limbs that are short (the exact one-word path), powers of
    /// two (long runs of halvings), near p, and random values of every length.
    /// </summary>
    [Fact]
    public void Inverse_matches_BigInteger_for_edge_and_short_raw_limbs()
    {
        BigInteger rInverse = BigInteger.ModPow(BigInteger.Pow(2, 384), P - 2, P);
        var rawValues = new List<BigInteger> { 1, 2, 3, P - 1, P - 2, (P - 1) / 2, (P + 1) / 2, BigInteger.Pow(2, 64) - 1, BigInteger.Pow(2, 64), BigInteger.Pow(2, 64) + 1 };
        for (int bits = 1; bits < 381; bits += 7)
        {
            rawValues.Add(BigInteger.Pow(2, bits));
            rawValues.Add(BigInteger.Pow(2, bits) - 1);
            rawValues.Add(P - BigInteger.Pow(2, bits));
        }
        foreach (BigInteger raw in rawValues)
        {
            BigInteger a = raw % P * rInverse % P;
            Assert.Equal(BigInteger.ModPow(a, P - 2, P), Fp.FromBigInteger(a).Inverse().ToBigInteger());
        }
        Gen.Select(FieldValue, Gen.Int[1, 381]).Where((raw, bits) => !(raw % BigInteger.Pow(2, bits)).IsZero).Sample((raw, bits) =>
        {
            BigInteger a = raw % BigInteger.Pow(2, bits) * rInverse % P;
            return Fp.FromBigInteger(a).Inverse().ToBigInteger() == BigInteger.ModPow(a, P - 2, P);
        });
        Assert.True(Fp.Zero.Inverse().IsZero);
    }

    [Fact]
    public void Encoding_round_trips_and_rejects_values_not_below_p()
    {
        FieldValue.Sample(a =>
        {
            Span<byte> bytes = stackalloc byte[48];
            Fp.FromBigInteger(a).Write(bytes);
            return Fp.TryRead(bytes, out Fp back) && back.ToBigInteger() == a
                && new BigInteger(bytes, isUnsigned: true, isBigEndian: true) == a;
        });
        byte[] pBytes = P.ToByteArray(isUnsigned: true, isBigEndian: true);
        Assert.False(Fp.TryRead(pBytes, out _));
    }

    [Fact]
    public void Fp2_sqrt_and_inverse_hold() =>
        Fp2Value.Where(a => !a.IsZero).Sample(a =>
        {
            bool inverseOk = a * a.Inverse() == Fp2.One;
            Fp2 square = a.Square();
            return inverseOk && square.TrySqrt(out Fp2 root) && root.Square() == square;
        });

    /// <summary>
    /// The Fp6 products reduce lazily (sums of double-width Fp2 products kept modulo p·2^384),
    /// so they are checked against the schoolbook product over the BigInteger-tested Fp2 arithmetic, with Montgomery
    /// limbs at and near p − 1 (the largest double-width values) as well as random ones.
    /// </summary>
    [Fact]
    public void Lazy_Fp6_products_match_the_schoolbook_product()
    {
        BigInteger rInverse = BigInteger.ModPow(BigInteger.Pow(2, 384), P - 2, P);
        Fp[] edges = new BigInteger[] { 0, 1, P - 1, P - 2, (P - 1) / 2 }.Select(v => Fp.FromBigInteger(v * rInverse % P)).ToArray();
        var edgeFp2 = (from x in edges from y in edges select new Fp2(x, y)).ToArray();
        for (int i = 0; i < edgeFp2.Length; i++)
            for (int j = 0; j < edgeFp2.Length; j++)
            {
                Fp2 a = edgeFp2[i], b = edgeFp2[j], c = edgeFp2[(i + j) % edgeFp2.Length];
                AssertFp6Products(new Fp6(a, b, c), new Fp6(c, a, b), b, c);
                AssertFp6Products(new Fp6(a, a, a), new Fp6(b, b, b), a, b);
            }
        Gen.Select(Gen.Select(Fp2Value, Fp2Value, Fp2Value), Gen.Select(Fp2Value, Fp2Value, Fp2Value)).Sample((x, y) =>
            AssertFp6Products(new Fp6(x.Item1, x.Item2, x.Item3), new Fp6(y.Item1, y.Item2, y.Item3), y.Item1, y.Item2));
    }

    private static void AssertFp6Products(in Fp6 a, in Fp6 b, in Fp2 b0, in Fp2 b1)
    {
        Assert.Equal(SchoolbookFp6(a, b), a * b);
        Assert.Equal(SchoolbookFp6(a, new Fp6(b0, b1, Fp2.Zero)), a.MulBy01(b0, b1));
    }

    /// <summary>(a0 + a1v + a2v²)(b0 + b1v + b2v²) with v³ = ξ, nine Fp2 products.</summary>
    private static Fp6 SchoolbookFp6(in Fp6 a, in Fp6 b) => new(
        a.C0 * b.C0 + (a.C1 * b.C2 + a.C2 * b.C1).MulByNonResidue(),
        a.C0 * b.C1 + a.C1 * b.C0 + (a.C2 * b.C2).MulByNonResidue(),
        a.C0 * b.C2 + a.C1 * b.C1 + a.C2 * b.C0);

    [Fact]
    public void Tower_multiplication_is_associative_and_commutative() =>
        Gen.Select(Fp2Value, Fp2Value, Fp2Value, Fp2Value, Fp2Value, Fp2Value).Sample((a, b, c, d, e, f) =>
        {
            var x = new Fp12(new Fp6(a, b, c), new Fp6(d, e, f));
            var y = new Fp12(new Fp6(f, a, d), new Fp6(c, b, e));
            var z = new Fp12(new Fp6(b, c, a), new Fp6(e, f, d));
            return x * y == y * x && (x * y) * z == x * (y * z) && x.Square() == x * x
                && x * x.Inverse() == Fp12.One && new Fp6(a, b, c) * new Fp6(a, b, c).Inverse() == Fp6.One;
        }, iter: 50);

    [Fact]
    public void Frobenius_is_the_pth_power() =>
        Gen.Select(Fp2Value, Fp2Value, Fp2Value).Sample((a, b, c) =>
        {
            var x = new Fp12(new Fp6(a, b, c), new Fp6(c, a, b));
            Fp12 power = Fp12.One;
            Fp12 baseValue = x;
            foreach (bool bit in BitsLittleEndian(P)) { if (bit) power *= baseValue; baseValue = baseValue.Square(); }
            return x.Frobenius() == power;
        }, iter: 3);

    [Fact]
    public void Sparse_line_product_matches_the_full_product() =>
        Gen.Select(Fp2Value, Fp2Value, Fp2Value, Fp2Value, Fp2Value).Sample((a, b, c, d, e) =>
        {
            var f = new Fp12(new Fp6(a, b, c), new Fp6(d, e, a));
            var line = new Fp12(new Fp6(c, d, Fp2.Zero), new Fp6(Fp2.Zero, e, Fp2.Zero));
            return f.MulByLine(c, d, e) == f * line;
        }, iter: 50);

    [Fact]
    public void Unit_line_product_matches_the_full_product() =>
        Gen.Select(Fp2Value, Fp2Value, Fp2Value, Fp2Value, Fp2Value).Sample((a, b, c, d, e) =>
        {
            var f = new Fp12(new Fp6(a, b, c), new Fp6(d, e, a));
            var line = new Fp12(new Fp6(c, d, Fp2.Zero), new Fp6(Fp2.Zero, Fp2.One, Fp2.Zero));
            return f.MulByUnitLine(c, d) == f * line;
        }, iter: 50);

    [Fact]
    public void Doubling_matches_addition_at_edge_values()
    {
        BigInteger[] edges = [0, 1, (P - 1) / 2, (P + 1) / 2, P - 1, P - 2, BigInteger.Pow(2, 380), BigInteger.Pow(2, 64) - 1, BigInteger.Pow(2, 63)];
        foreach (BigInteger a in edges)
            Assert.Equal(2 * a % P, Fp.FromBigInteger(a).Double().ToBigInteger());
        FieldValue.Sample(a => Fp.FromBigInteger(a).Double().ToBigInteger() == 2 * a % P);
    }

    [Fact]
    public void Cyclotomic_squaring_matches_squaring_in_the_cyclotomic_subgroup() =>
        Gen.Select(Fp2Value, Fp2Value, Fp2Value, Fp2Value).Sample((a, b, c, d) =>
        {
            var x = new Fp12(new Fp6(a, b, c), new Fp6(d, a, b));
            Fp12 t = x.Conjugate() * x.Inverse();
            Fp12 g = t.Frobenius().Frobenius() * t; // the final exponentiation's easy part lands here
            return g.CyclotomicSquare() == g.Square() && g.CyclotomicSquare().CyclotomicSquare() == g.Square().Square();
        }, iter: 30);

    /// <summary>Karabina's compressed squarings with batched decompression, against plain square-and-multiply.</summary>
    [Fact]
    public void Compressed_cyclotomic_power_matches_square_and_multiply()
    {
        Gen.Select(Fp2Value, Fp2Value, Fp2Value, Fp2Value, Gen.ULong).Sample((a, b, c, d, random) =>
        {
            var x = new Fp12(new Fp6(a, b, c), new Fp6(d, a, b));
            Fp12 t = x.Conjugate() * x.Inverse();
            Fp12 g = t.Frobenius().Frobenius() * t;
            foreach (ulong exponent in new[] { Bls12381Curve.AbsX, random, 0UL, 1UL, 2UL, 3UL, ulong.MaxValue, 1UL << 63 })
                if (g.CyclotomicPow(exponent) != PowBySquaring(g, exponent)) return false;
            return true;
        }, iter: 10);
        // One compresses to all zeros, whose decompression would divide by zero: it must still come out as one.
        Assert.Equal(Fp12.One, Fp12.One.CyclotomicPow(Bls12381Curve.AbsX));
    }

    private static Fp12 PowBySquaring(Fp12 g, ulong exponent)
    {
        Fp12 result = Fp12.One;
        for (; exponent != 0; exponent >>= 1, g = g.Square())
            if ((exponent & 1) != 0) result *= g;
        return result;
    }

    private static IEnumerable<bool> BitsLittleEndian(BigInteger value)
    {
        for (; !value.IsZero; value >>= 1) yield return !value.IsEven;
    }
}
