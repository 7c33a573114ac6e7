using System.Numerics;
using BeamSync.Evm.Precompiles.Bn254;
using CsCheck;

namespace BeamSync.Evm.Tests.Precompiles;

/// <summary>Group laws and bilinearity of the bn254 implementation, checked against integer identities.</summary>
public class Bn254PairingTests
{
    private static readonly BigInteger R = Bn254Curve.Order;

    internal static readonly Fp2 G2X = new(
        Fp.FromBigInteger(BigInteger.Parse("10857046999023057135944570762232829481370756359578518086990519993285655852781")),
        Fp.FromBigInteger(BigInteger.Parse("11559732032986387107991004021392285783925812861821192530917403151452391805634")));
    internal static readonly Fp2 G2Y = new(
        Fp.FromBigInteger(BigInteger.Parse("8495653923123431417604973247489272438418190587263600148770280649306958101930")),
        Fp.FromBigInteger(BigInteger.Parse("4082367875863433681332203403145435568316851327593401208105741076214120093531")));

    private static readonly Gen<BigInteger> Scalar = Gen.Byte.Array[32].Select(b => new BigInteger(b, isUnsigned: true) % R);

    internal static byte[] Bytes(BigInteger scalar)
    {
        var bytes = new byte[32];
        int length = scalar.GetByteCount(isUnsigned: true);
        scalar.TryWriteBytes(bytes.AsSpan(32 - length), out _, isUnsigned: true, isBigEndian: true);
        return bytes;
    }

    private static (Fp x, Fp y) G1Mul(BigInteger k)
    {
        JacobianPoint<Fp>.Multiply(Fp.One, Fp.FromUInt64(2), Bytes(k)).ToAffine(out Fp x, out Fp y);
        return (x, y);
    }

    private static (Fp2 x, Fp2 y) G2Mul(BigInteger k)
    {
        JacobianPoint<Fp2>.Multiply(G2X, G2Y, Bytes(k)).ToAffine(out Fp2 x, out Fp2 y);
        return (x, y);
    }

    [Fact]
    public void Generators_are_on_their_curves_and_of_order_r()
    {
        Assert.True(JacobianPoint<Fp>.IsOnCurve(Fp.One, Fp.FromUInt64(2), Bn254Curve.G1B));
        Assert.True(JacobianPoint<Fp2>.IsOnCurve(G2X, G2Y, Bn254Curve.G2B));
        Assert.True(JacobianPoint<Fp>.Multiply(Fp.One, Fp.FromUInt64(2), Bytes(R)).IsInfinity);
        Assert.True(JacobianPoint<Fp2>.Multiply(G2X, G2Y, Bytes(R)).IsInfinity);
    }

    [Fact]
    public void Scalar_multiplication_distributes_over_addition() =>
        Gen.Select(Scalar, Scalar).Sample((a, b) =>
        {
            var g = JacobianPoint<Fp>.FromAffine(Fp.One, Fp.FromUInt64(2));
            JacobianPoint<Fp> sum = JacobianPoint<Fp>.Multiply(Fp.One, Fp.FromUInt64(2), Bytes(a))
                .Add(JacobianPoint<Fp>.Multiply(Fp.One, Fp.FromUInt64(2), Bytes(b)));
            sum.ToAffine(out Fp sx, out Fp sy);
            var expected = G1Mul((a + b) % R);
            JacobianPoint<Fp> doubled = g.Double().Add(g);
            doubled.ToAffine(out Fp dx, out _);
            return sx == expected.x && sy == expected.y && dx == G1Mul(3).x;
        }, iter: 20);

    [Fact]
    public void Hard_part_decomposition_equals_the_exponent()
    {
        BigInteger u = Bn254Curve.U, p = Fp.Modulus;
        BigInteger l2 = 6 * u * u + 1, l1 = -36 * u * u * u - 18 * u * u - 12 * u + 1, l0 = -36 * u * u * u - 30 * u * u - 18 * u - 2;
        Assert.Equal((BigInteger.Pow(p, 4) - p * p + 1) / R, l0 + l1 * p + l2 * p * p + p * p * p);
    }

    [Fact]
    public void Final_exponentiation_matches_plain_exponentiation()
    {
        Fp12 f = Bn254Pairing.MillerLoop([new Bn254Pairing.Pair(Fp.One, Fp.FromUInt64(2), G2X, G2Y)]);
        BigInteger p = Fp.Modulus;
        Fp12 slow = f.Pow((BigInteger.Pow(p, 12) - 1) / R);
        Assert.Equal(slow, Bn254Pairing.FinalExponentiation(f));
        Assert.False(slow.IsOne);
        Assert.True(slow.Pow(R).IsOne);
    }

    [Fact]
    public void Pairing_is_bilinear() =>
        Gen.Select(Scalar, Scalar).Sample((a, b) =>
        {
            var (px, py) = G1Mul(a);
            var (qx, qy) = G2Mul(b);
            Fp12 lhs = Bn254Pairing.Pair1(new Bn254Pairing.Pair(px, py, qx, qy));
            Fp12 rhs = Bn254Pairing.Pair1(new Bn254Pairing.Pair(Fp.One, Fp.FromUInt64(2), G2X, G2Y)).Pow(a * b % R);
            return lhs == rhs;
        }, iter: 3);

    [Fact]
    public void Product_of_inverse_pairs_is_one()
    {
        var (px, py) = G1Mul(12345);
        var (qx, qy) = G2Mul(678);
        var (nx, ny) = G1Mul(R - 12345);
        Assert.True(Bn254Pairing.ProductIsOne([new(px, py, qx, qy), new(nx, ny, qx, qy)]));
        Assert.False(Bn254Pairing.ProductIsOne([new(px, py, qx, qy), new(px, py, qx, qy)]));
    }
}
