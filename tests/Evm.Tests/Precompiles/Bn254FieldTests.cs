using System.Numerics;
using BeamSync.Evm.Precompiles.Bn254;
using CsCheck;

namespace BeamSync.Evm.Tests.Precompiles;

/// <summary>The limb arithmetic of <see cref="Fp"/> against a slow BigInteger reference.</summary>
public class Bn254FieldTests
{
    private static readonly BigInteger P = Fp.Modulus;

    internal static readonly Gen<BigInteger> FieldValue =
        Gen.Byte.Array[32].Select(bytes => new BigInteger(bytes, isUnsigned: true) % P);

    [Fact]
    public void Multiplication_matches_reference() =>
        Gen.Select(FieldValue, FieldValue).Sample((a, b) =>
            (Fp.FromBigInteger(a) * Fp.FromBigInteger(b)).ToBigInteger() == a * b % P, iter: 2000);

    [Fact]
    public void Addition_and_subtraction_match_reference() =>
        Gen.Select(FieldValue, FieldValue).Sample((a, b) =>
            (Fp.FromBigInteger(a) + Fp.FromBigInteger(b)).ToBigInteger() == (a + b) % P &&
            (Fp.FromBigInteger(a) - Fp.FromBigInteger(b)).ToBigInteger() == ((a - b) % P + P) % P, iter: 2000);

    [Fact]
    public void Inverse_matches_reference() =>
        FieldValue.Where(a => !a.IsZero).Sample(a =>
            Fp.FromBigInteger(a).Inverse().ToBigInteger() == BigInteger.ModPow(a, P - 2, P), iter: 200);

    [Fact]
    public void Edge_values_reduce()
    {
        Fp minusOne = Fp.FromBigInteger(P - 1);
        Assert.Equal(BigInteger.One, (minusOne * minusOne).ToBigInteger());
        Assert.True((minusOne + Fp.One).IsZero);
        Assert.Equal(P - 1, (Fp.Zero - Fp.One).ToBigInteger());
        Assert.True(Fp.Zero.Inverse().IsZero);
    }

    [Fact]
    public void Read_rejects_values_not_below_p()
    {
        byte[] bytes = P.ToByteArray(isUnsigned: true, isBigEndian: true);
        Assert.False(Fp.TryRead(bytes, out _));
        bytes[^1]--;
        Assert.True(Fp.TryRead(bytes, out Fp value));
        Assert.Equal(P - 1, value.ToBigInteger());
    }

    [Fact]
    public void Tower_inverses_are_inverses()
    {
        Gen.Select(FieldValue, FieldValue, FieldValue, FieldValue).Sample((a, b, c, d) =>
        {
            var x = new Fp2(Fp.FromBigInteger(a), Fp.FromBigInteger(b));
            var y = new Fp2(Fp.FromBigInteger(c), Fp.FromBigInteger(d));
            var six = new Fp6(x, y, x * y);
            var twelve = new Fp12(six, new Fp6(y, x, x + y));
            return (x * x.Inverse()) == Fp2.One && (six * six.Inverse()) == Fp6.One && (twelve * twelve.Inverse()).IsOne
                && x.Square() == x * x && six.Square() == six * six && twelve.Square() == twelve * twelve;
        }, iter: 50);
    }
}
