using System.Runtime.CompilerServices;

namespace BeamSync.Core;

// DIV and MOD. Division by zero gives zero, as the EVM's does. Operands that fit 64 bits, and dividends
// smaller than the divisor, are answered without entering the long-division loop.
public readonly partial struct UInt256
{
    /// <summary>a / b (floor); zero when b is zero.</summary>
    public static void Divide(in UInt256 a, in UInt256 b, out UInt256 result)
    {
        if (b.IsZero || a < b)
        {
            result = Zero;
            return;
        }
        if (a.IsUInt64)
        {
            // b <= a < 2^64.
            result = new UInt256(a.U0 / b.U0);
            return;
        }
        if (b.IsUInt64)
        {
            DivideByLimb(a, b.U0, out result);
            return;
        }
        DivideLong(a, b, out result, out _);
    }

    /// <summary>a mod b; zero when b is zero.</summary>
    public static void Mod(in UInt256 a, in UInt256 b, out UInt256 result)
    {
        if (b.IsZero)
        {
            result = Zero;
            return;
        }
        if (a < b)
        {
            result = a;
            return;
        }
        if (a.IsUInt64)
        {
            result = new UInt256(a.U0 % b.U0);
            return;
        }
        if (b.IsUInt64)
        {
            result = new UInt256(DivideByLimb(a, b.U0, out _));
            return;
        }
        DivideLong(a, b, out _, out result);
    }

    /// <summary>Quotient and remainder of a / b in one pass; both zero when b is zero.</summary>
    public static void DivideRemainder(in UInt256 a, in UInt256 b, out UInt256 quotient, out UInt256 remainder)
    {
        if (b.IsUInt64)
        {
            if (b.U0 == 0)
            {
                quotient = Zero;
                remainder = Zero;
                return;
            }
            remainder = new UInt256(DivideByLimb(a, b.U0, out quotient));
            return;
        }
        DivideLong(a, b, out quotient, out remainder);
    }

    /// <summary>Algorithm D for a divisor of two or more limbs.</summary>
    private static void DivideLong(in UInt256 a, in UInt256 b, out UInt256 quotient, out UInt256 remainder)
    {
        int divisorLimbs = SignificantLimbs(AsLimbs(b));
        Limbs4 q = default, r = default;
        DivideLimbs(AsLimbs(a), AsLimbs(b)[..divisorLimbs], q, r);
        quotient = FromLimbs(q);
        remainder = FromLimbs(r);
    }

    public static UInt256 operator /(in UInt256 a, in UInt256 b)
    {
        Divide(a, b, out UInt256 r);
        return r;
    }

    public static UInt256 operator %(in UInt256 a, in UInt256 b)
    {
        Mod(a, b, out UInt256 r);
        return r;
    }
}
