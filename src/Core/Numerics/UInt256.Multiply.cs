using System.Runtime.CompilerServices;

namespace BeamSync.Core;

// Multiplication: the truncated 256-bit product (MUL), the full 512-bit product (overflow checks, MULMOD)
// and exponentiation by squaring (EXP).
public readonly partial struct UInt256
{
    /// <summary>a * b modulo 2^256.</summary>
    public static void Multiply(in UInt256 a, in UInt256 b, out UInt256 result)
    {
        ulong a0 = a.U0, a1 = a.U1, a2 = a.U2, a3 = a.U3;
        ulong b0 = b.U0, b1 = b.U1, b2 = b.U2, b3 = b.U3;
        if ((a1 | a2 | a3 | b1 | b2 | b3) == 0)
        {
            // Both operands fit 64 bits (most EVM multiplications): one hardware multiply.
            ulong high = Math.BigMul(a0, b0, out ulong low);
            result = new UInt256(low, high);
            return;
        }

        // Schoolbook, keeping only the columns below 2^256: six full products and four low halves.
        ulong carry = 0;
        ulong r0 = MultiplyAdd(a0, b0, 0, ref carry);
        ulong r1 = MultiplyAdd(a0, b1, 0, ref carry);
        ulong r2 = MultiplyAdd(a0, b2, 0, ref carry);
        ulong r3 = a0 * b3 + carry;

        carry = 0;
        r1 = MultiplyAdd(a1, b0, r1, ref carry);
        r2 = MultiplyAdd(a1, b1, r2, ref carry);
        r3 += a1 * b2 + carry;

        carry = 0;
        r2 = MultiplyAdd(a2, b0, r2, ref carry);
        r3 += a2 * b1 + carry;

        r3 += a3 * b0;
        result = new UInt256(r0, r1, r2, r3);
    }

    /// <summary>
    /// a * a modulo 2^256. The cross products a_i*a_j (i != j) appear twice, so they are computed once and
    /// doubled: four full and two low-half multiplications instead of six and four.
    /// </summary>
    public static void Square(in UInt256 a, out UInt256 result)
    {
        ulong a0 = a.U0, a1 = a.U1, a2 = a.U2, a3 = a.U3;

        // Cross terms a0a1*B + a0a2*B^2 + (a0a3 + a1a2)*B^3, held as t1 + t2*B + t3*B^2 from B upward.
        ulong c01High = Math.BigMul(a0, a1, out ulong t1);
        ulong c02High = Math.BigMul(a0, a2, out ulong c02Low);
        ulong carry = 0;
        ulong t2 = AddWithCarry(c01High, c02Low, ref carry);
        ulong t3 = c02High + carry + a0 * a3 + a1 * a2;

        // Double them.
        t3 = (t3 << 1) | (t2 >> 63);
        t2 = (t2 << 1) | (t1 >> 63);
        t1 <<= 1;

        // Add the squares on the diagonal: a0^2 + a1^2*B^2 (a2^2 and a3^2 lie above 2^256).
        ulong s0High = Math.BigMul(a0, a0, out ulong r0);
        ulong s1High = Math.BigMul(a1, a1, out ulong s1Low);
        carry = 0;
        ulong r1 = AddWithCarry(s0High, t1, ref carry);
        ulong r2 = AddWithCarry(s1Low, t2, ref carry);
        ulong r3 = s1High + t3 + carry;
        result = new UInt256(r0, r1, r2, r3);
    }

    /// <summary>a * b; returns true when the full product does not fit 256 bits.</summary>
    public static bool MultiplyOverflow(in UInt256 a, in UInt256 b, out UInt256 result)
    {
        Limbs8 product = default;
        MultiplyFull(a, b, product);
        result = FromLimbs(product);
        return (product[4] | product[5] | product[6] | product[7]) != 0;
    }

    /// <summary>The full 512-bit product a * b into <paramref name="product"/> (eight limbs, least significant first).</summary>
    internal static void MultiplyFull(in UInt256 a, in UInt256 b, Span<ulong> product)
    {
        ReadOnlySpan<ulong> x = AsLimbs(a), y = AsLimbs(b);
        product[..8].Clear();
        for (int i = 0; i < 4; i++)
        {
            ulong xi = x[i];
            if (xi == 0) continue;
            ulong carry = 0;
            for (int j = 0; j < 4; j++)
                product[i + j] = MultiplyAdd(xi, y[j], product[i + j], ref carry);
            product[i + 4] = carry;
        }
    }

    /// <summary>b^e mod 2^256.</summary>
    public static void Exp(in UInt256 b, in UInt256 e, out UInt256 result)
    {
        UInt256 power = b;
        UInt256 exponent = e;
        if (power.IsUInt64 && power.U0 == 2)
        {
            // 2^e is a single bit (EXP with base 2 is common in contract code computing masks).
            result = exponent.IsUInt64 && exponent.U0 < 256 ? One << (int)exponent.U0 : Zero;
            return;
        }

        // Right-to-left square-and-multiply over the exponent's bits.
        UInt256 accumulator = One;
        int bits = exponent.BitLength;
        ReadOnlySpan<ulong> exponentLimbs = AsLimbs(exponent);
        for (int i = 0; i < bits; i++)
        {
            if (((exponentLimbs[i >> 6] >> (i & 63)) & 1) != 0) Multiply(accumulator, power, out accumulator);
            if (i + 1 < bits) Square(power, out power);
        }
        result = accumulator;
    }

    public static UInt256 operator *(in UInt256 a, in UInt256 b)
    {
        Multiply(a, b, out UInt256 r);
        return r;
    }
}
