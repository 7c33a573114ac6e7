using System.Numerics;
using BeamSync.Core;
using static BeamSync.Core.Tests.UInt256Samples;

namespace BeamSync.Core.Tests;

/// <summary>Every UInt256 operation checked against System.Numerics.BigInteger on edge-weighted random operands.</summary>
public class UInt256ArithmeticTests
{
    private const int Iterations = 20_000;

    private static void ForPairs(int seed, Action<UInt256, UInt256, BigInteger, BigInteger> check)
    {
        var samples = new UInt256Samples(seed);
        for (int i = 0; i < Iterations; i++)
        {
            UInt256 a = samples.Next(), b = samples.Next();
            check(a, b, Big(a), Big(b));
        }
    }

    private static void Expect(BigInteger expected, in UInt256 actual, string operation, in UInt256 a, in UInt256 b)
    {
        if (Wrap(expected) != Big(actual))
            Assert.Fail($"{operation}({a.ToHexString()}, {b.ToHexString()}) = {actual.ToHexString()}, expected 0x{Wrap(expected):x}");
    }

    [Fact]
    public void AddAndSubtractMatchBigInteger() => ForPairs(1, (a, b, x, y) =>
    {
        bool carry = UInt256.AddOverflow(a, b, out var sum);
        Expect(x + y, sum, "add", a, b);
        Assert.Equal(x + y > Mask, carry);
        Expect(x + y, a + b, "operator+", a, b);

        bool borrow = UInt256.SubtractUnderflow(a, b, out var difference);
        Expect(x - y, difference, "sub", a, b);
        Assert.Equal(x < y, borrow);
        Expect(x - y, a - b, "operator-", a, b);

        UInt256.Negate(a, out var negated);
        Expect(-x, negated, "negate", a, b);
    });

    [Fact]
    public void MultiplyMatchesBigInteger() => ForPairs(2, (a, b, x, y) =>
    {
        UInt256.Multiply(a, b, out var product);
        Expect(x * y, product, "mul", a, b);
        Expect(x * y, a * b, "operator*", a, b);
        UInt256.Square(a, out var square);
        Expect(x * x, square, "square", a, a);
        bool overflow = UInt256.MultiplyOverflow(a, b, out var checkedProduct);
        Expect(x * y, checkedProduct, "mulOverflow", a, b);
        Assert.Equal(x * y > Mask, overflow);
    });

    [Fact]
    public void DivideAndModMatchBigInteger() => ForPairs(3, (a, b, x, y) =>
    {
        UInt256.Divide(a, b, out var quotient);
        UInt256.Mod(a, b, out var remainder);
        Expect(y.IsZero ? 0 : x / y, quotient, "div", a, b);
        Expect(y.IsZero ? 0 : x % y, remainder, "mod", a, b);
        Expect(y.IsZero ? 0 : x / y, a / b, "operator/", a, b);
        Expect(y.IsZero ? 0 : x % y, a % b, "operator%", a, b);
        UInt256.DivideRemainder(a, b, out var q, out var r);
        Expect(y.IsZero ? 0 : x / y, q, "divrem.q", a, b);
        Expect(y.IsZero ? 0 : x % y, r, "divrem.r", a, b);
    });

    [Fact]
    public void DivisionRecombinesForConstructedDividends()
    {
        // a = q*b + r with r < b, built so that quotient digits sit near the estimate's error bounds.
        var samples = new UInt256Samples(4);
        for (int i = 0; i < Iterations; i++)
        {
            BigInteger b = samples.NextBig();
            if (b.IsZero) continue;
            BigInteger q = samples.NextBig() % ((Mask / b) + 1);
            BigInteger r = samples.NextBig() % b;
            if (q * b + r > Mask) continue;
            var a = UInt256.FromBigInteger(q * b + r);
            var divisor = UInt256.FromBigInteger(b);
            UInt256.DivideRemainder(a, divisor, out var quotient, out var remainder);
            Assert.Equal(q, Big(quotient));
            Assert.Equal(r, Big(remainder));
        }
    }

    [Fact]
    public void SignedDivideAndModMatchBigInteger() => ForPairs(5, (a, b, x, y) =>
    {
        BigInteger sx = ToSigned(x), sy = ToSigned(y);
        UInt256.SignedDivide(a, b, out var quotient);
        UInt256.SignedMod(a, b, out var remainder);
        // BigInteger division truncates toward zero and its remainder takes the dividend's sign, as the EVM's.
        Expect(sy.IsZero ? 0 : BigInteger.Divide(sx, sy), quotient, "sdiv", a, b);
        Expect(sy.IsZero ? 0 : BigInteger.Remainder(sx, sy), remainder, "smod", a, b);
        Assert.Equal(sx.CompareTo(sy), Math.Sign(UInt256.SignedCompare(a, b)));
        Assert.Equal(x.CompareTo(y), Math.Sign(a.CompareTo(b)));
        Assert.Equal(sx.Sign < 0, a.IsNegative);
    });

    [Fact]
    public void AddModAndMultiplyModMatchBigInteger()
    {
        var samples = new UInt256Samples(6);
        for (int i = 0; i < Iterations; i++)
        {
            UInt256 a = samples.Next(), b = samples.Next(), m = samples.Next();
            BigInteger x = Big(a), y = Big(b), n = Big(m);
            UInt256.AddMod(a, b, m, out var sum);
            UInt256.MultiplyMod(a, b, m, out var product);
            Expect(n.IsZero ? 0 : (x + y) % n, sum, $"addmod[m={m.ToHexString()}]", a, b);
            Expect(n.IsZero ? 0 : x * y % n, product, $"mulmod[m={m.ToHexString()}]", a, b);
        }
    }

    [Fact]
    public void ExpMatchesBigInteger()
    {
        var samples = new UInt256Samples(7);
        var random = new Random(7);
        for (int i = 0; i < Iterations / 4; i++)
        {
            UInt256 b = samples.Next();
            // Exponents both small (exact powers) and full-width (wrapping powers).
            UInt256 e = random.Next(2) == 0 ? new UInt256((ulong)random.Next(300)) : samples.Next();
            UInt256.Exp(b, e, out var power);
            Expect(BigInteger.ModPow(Big(b), Big(e), Modulus), power, "exp", b, e);
        }
    }

    [Fact]
    public void BitwiseMatchesBigInteger() => ForPairs(8, (a, b, x, y) =>
    {
        Expect(x & y, a & b, "and", a, b);
        Expect(x | y, a | b, "or", a, b);
        Expect(x ^ y, a ^ b, "xor", a, b);
        Expect(Mask ^ x, ~a, "not", a, b);
    });

    [Fact]
    public void ShiftsMatchBigInteger()
    {
        var samples = new UInt256Samples(9);
        var random = new Random(9);
        for (int i = 0; i < Iterations; i++)
        {
            UInt256 a = samples.Next();
            BigInteger x = Big(a);
            int shift = random.Next(10) == 0 ? random.Next(256, 1000) : random.Next(256);
            UInt256 shiftValue = new((ulong)shift);
            Expect(shift >= 256 ? 0 : x << shift, a << shift, "shl", a, shiftValue);
            Expect(shift >= 256 ? 0 : x >> shift, a >> shift, "shr", a, shiftValue);
            UInt256.ArithmeticShiftRight(a, shift, out var sar);
            Expect(ToSigned(x) >> Math.Min(shift, 256), sar, "sar", a, shiftValue);
        }
    }

    [Fact]
    public void NegativeShiftCountsShiftEverythingOut()
    {
        Assert.Equal(UInt256.Zero, UInt256.MaxValue << -1);
        Assert.Equal(UInt256.Zero, UInt256.MaxValue >> int.MinValue);
        UInt256.ArithmeticShiftRight(UInt256.MaxValue, -5, out var sar);
        Assert.Equal(UInt256.MaxValue, sar);
    }

    [Fact]
    public void SignExtendMatchesReference()
    {
        var samples = new UInt256Samples(10);
        var random = new Random(10);
        for (int i = 0; i < Iterations; i++)
        {
            UInt256 value = samples.Next();
            UInt256 index = random.Next(8) == 0 ? samples.Next() : new UInt256((ulong)random.Next(40));
            BigInteger x = Big(value), k = Big(index);
            BigInteger expected = x;
            if (k < 31)
            {
                int bits = 8 * (int)k + 8;
                BigInteger low = x & ((BigInteger.One << bits) - 1);
                expected = (low >> (bits - 1)).IsOne ? low - (BigInteger.One << bits) : low;
            }
            UInt256.SignExtend(index, value, out var extended);
            Expect(expected, extended, "signextend", index, value);
        }
    }

    [Fact]
    public void ByteLeadingZerosAndSaturationMatchReference()
    {
        var samples = new UInt256Samples(11);
        for (int i = 0; i < Iterations; i++)
        {
            UInt256 a = samples.Next();
            BigInteger x = Big(a);
            for (int index = -1; index <= 33; index++)
            {
                int expected = index is < 0 or >= 32 ? 0 : (int)((x >> (8 * (31 - index))) & 0xff);
                Assert.Equal(expected, a.GetByteFromMostSignificant(index));
            }
            Assert.Equal(256 - (int)x.GetBitLength(), a.LeadingZeroCount);
            Assert.Equal(x > ulong.MaxValue ? ulong.MaxValue : (ulong)x, a.ToUInt64Saturating());
        }
    }

    [Fact]
    public void YellowPaperEdgeCases()
    {
        UInt256 minSigned = UInt256.One << 255;
        UInt256 minusOne = UInt256.MaxValue;

        UInt256.SignedDivide(minSigned, minusOne, out var overflowQuotient);
        Assert.Equal(minSigned, overflowQuotient);
        UInt256.SignedMod(minSigned, minusOne, out var overflowRemainder);
        Assert.Equal(UInt256.Zero, overflowRemainder);

        // SMOD takes the dividend's sign: -8 smod 3 = -2, 8 smod -3 = 2.
        UInt256.Negate(new UInt256(8), out var minusEight);
        UInt256.Negate(new UInt256(3), out var minusThree);
        UInt256.SignedMod(minusEight, new UInt256(3), out var r1);
        UInt256.Negate(new UInt256(2), out var minusTwo);
        Assert.Equal(minusTwo, r1);
        UInt256.SignedMod(new UInt256(8), minusThree, out var r2);
        Assert.Equal(new UInt256(2), r2);

        Assert.Equal(UInt256.Zero, UInt256.MaxValue / UInt256.Zero);
        Assert.Equal(UInt256.Zero, UInt256.MaxValue % UInt256.Zero);
        UInt256.SignedDivide(minusOne, UInt256.Zero, out var sdivZero);
        Assert.Equal(UInt256.Zero, sdivZero);
        UInt256.AddMod(UInt256.MaxValue, UInt256.MaxValue, UInt256.Zero, out var addModZero);
        Assert.Equal(UInt256.Zero, addModZero);
        UInt256.MultiplyMod(UInt256.MaxValue, UInt256.MaxValue, UInt256.Zero, out var mulModZero);
        Assert.Equal(UInt256.Zero, mulModZero);

        // ADDMOD and MULMOD do not wrap before reducing: (2^256-1 + 2^256-1) mod (2^256-1) = 0, and mod 12 = 6.
        UInt256.AddMod(UInt256.MaxValue, UInt256.MaxValue, UInt256.MaxValue, out var fullSum);
        Assert.Equal(UInt256.Zero, fullSum);
        UInt256.AddMod(UInt256.MaxValue, new UInt256(1), new UInt256(12), out var sumMod12);
        Assert.Equal(new UInt256((ulong)(Modulus % 12)), sumMod12);
        UInt256.MultiplyMod(UInt256.MaxValue, UInt256.MaxValue, new UInt256(12), out var productMod12);
        Assert.Equal(new UInt256((ulong)(Mask * Mask % 12)), productMod12);

        // SIGNEXTEND: 0xff at byte 0 becomes -1; index 31 and beyond leave the value alone.
        UInt256.SignExtend(UInt256.Zero, new UInt256(0xff), out var extended);
        Assert.Equal(minusOne, extended);
        UInt256.SignExtend(UInt256.Zero, new UInt256(0x7f), out var positive);
        Assert.Equal(new UInt256(0x7f), positive);
        UInt256.SignExtend(new UInt256(31), new UInt256(0xff), out var unchanged);
        Assert.Equal(new UInt256(0xff), unchanged);
        UInt256.SignExtend(UInt256.MaxValue, new UInt256(0x80), out var unchangedHuge);
        Assert.Equal(new UInt256(0x80), unchangedHuge);

        UInt256.Exp(new UInt256(2), new UInt256(255), out var twoTo255);
        Assert.Equal(minSigned, twoTo255);
        UInt256.Exp(new UInt256(2), new UInt256(256), out var twoTo256);
        Assert.Equal(UInt256.Zero, twoTo256);
        UInt256.Exp(UInt256.Zero, UInt256.Zero, out var zeroToZero);
        Assert.Equal(UInt256.One, zeroToZero);

        Assert.Equal(256, UInt256.Zero.LeadingZeroCount);
        Assert.Equal(0, minSigned.LeadingZeroCount);
    }

    [Fact]
    public void OutputMayAliasInputs()
    {
        var samples = new UInt256Samples(12);
        for (int i = 0; i < 2_000; i++)
        {
            UInt256 a = samples.Next(), b = samples.Next(), m = samples.Next();
            UInt256 x;
            x = a; UInt256.Add(x, b, out x); Assert.Equal(a + b, x);
            x = a; UInt256.Subtract(b, x, out x); Assert.Equal(b - a, x);
            x = a; UInt256.Multiply(x, x, out x); Assert.Equal(a * a, x);
            x = a; UInt256.Square(x, out x); Assert.Equal(a * a, x);
            x = a; UInt256.Divide(x, b, out x); Assert.Equal(a / b, x);
            x = b; UInt256.Mod(a, x, out x); Assert.Equal(a % b, x);
            UInt256.MultiplyMod(a, b, m, out var expectedMulMod);
            x = m; UInt256.MultiplyMod(a, b, x, out x); Assert.Equal(expectedMulMod, x);
            UInt256.AddMod(a, b, m, out var expectedAddMod);
            x = a; UInt256.AddMod(x, b, m, out x); Assert.Equal(expectedAddMod, x);
            UInt256.Exp(a, b, out var expectedExp);
            x = b; UInt256.Exp(a, x, out x); Assert.Equal(expectedExp, x);
            UInt256.SignedDivide(a, b, out var expectedSdiv);
            x = a; UInt256.SignedDivide(x, b, out x); Assert.Equal(expectedSdiv, x);
            UInt256.SignExtend(new UInt256(3), a, out var expectedSignExtend);
            x = a; UInt256.SignExtend(new UInt256(3), x, out x); Assert.Equal(expectedSignExtend, x);
            x = a; UInt256.ShiftLeft(x, 70, out x); Assert.Equal(a << 70, x);
            x = a; UInt256.Negate(x, out x); Assert.Equal(UInt256.Zero - a, x);
        }
    }
}
