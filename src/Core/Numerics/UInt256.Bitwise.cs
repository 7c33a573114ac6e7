using System.Runtime.CompilerServices;

namespace BeamSync.Core;

// AND, OR, XOR, NOT, SHL, SHR, SAR, BYTE, CLZ and the saturating narrowing used for gas and size arguments.
// Shift counts outside 0..255 (including negative ones, read as huge unsigned counts) shift everything out.
public readonly partial struct UInt256
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void And(in UInt256 a, in UInt256 b, out UInt256 result) =>
        result = new UInt256(a.U0 & b.U0, a.U1 & b.U1, a.U2 & b.U2, a.U3 & b.U3);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Or(in UInt256 a, in UInt256 b, out UInt256 result) =>
        result = new UInt256(a.U0 | b.U0, a.U1 | b.U1, a.U2 | b.U2, a.U3 | b.U3);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Xor(in UInt256 a, in UInt256 b, out UInt256 result) =>
        result = new UInt256(a.U0 ^ b.U0, a.U1 ^ b.U1, a.U2 ^ b.U2, a.U3 ^ b.U3);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Not(in UInt256 a, out UInt256 result) => result = new UInt256(~a.U0, ~a.U1, ~a.U2, ~a.U3);

    /// <summary>a &lt;&lt; shift; zero when shift &gt;= 256.</summary>
    public static void ShiftLeft(in UInt256 a, int shift, out UInt256 result)
    {
        if ((uint)shift >= 256)
        {
            result = Zero;
            return;
        }
        Limbs4 source = default, shifted = default;
        AsLimbs(a).CopyTo(source);
        int limbShift = shift >> 6, bitShift = shift & 63;
        for (int i = 3; i >= limbShift; i--)
        {
            ulong limb = source[i - limbShift] << bitShift;
            if (bitShift != 0 && i - limbShift - 1 >= 0) limb |= source[i - limbShift - 1] >> (64 - bitShift);
            shifted[i] = limb;
        }
        result = FromLimbs(shifted);
    }

    /// <summary>Logical a &gt;&gt; shift; zero when shift &gt;= 256.</summary>
    public static void ShiftRight(in UInt256 a, int shift, out UInt256 result)
    {
        if ((uint)shift >= 256)
        {
            result = Zero;
            return;
        }
        Limbs4 source = default, shifted = default;
        AsLimbs(a).CopyTo(source);
        int limbShift = shift >> 6, bitShift = shift & 63;
        for (int i = 0; i + limbShift < 4; i++)
        {
            ulong limb = source[i + limbShift] >> bitShift;
            if (bitShift != 0 && i + limbShift + 1 < 4) limb |= source[i + limbShift + 1] << (64 - bitShift);
            shifted[i] = limb;
        }
        result = FromLimbs(shifted);
    }

    /// <summary>Arithmetic a &gt;&gt; shift (sign-filling); all ones or zero when shift &gt;= 256.</summary>
    public static void ArithmeticShiftRight(in UInt256 a, int shift, out UInt256 result)
    {
        if (!a.IsNegative)
        {
            ShiftRight(a, shift, out result);
            return;
        }
        // For negative a, sar(a) = ~shr(~a): the complement's vacated high bits are zeros, which become ones.
        Not(a, out UInt256 complement);
        ShiftRight(complement, shift, out complement);
        Not(complement, out result);
    }

    /// <summary>EVM BYTE: byte <paramref name="index"/> counted from the most significant (0..31); zero beyond.</summary>
    public byte GetByteFromMostSignificant(int index)
    {
        if ((uint)index >= 32) return 0;
        int fromLeast = 31 - index;
        return (byte)(AsLimbs(this)[fromLeast >> 3] >> ((fromLeast & 7) * 8));
    }

    /// <summary>Leading zero bits, 256 for zero (EIP-7939 CLZ).</summary>
    public int LeadingZeroCount => 256 - BitLength;

    /// <summary>The value as ulong, or ulong.MaxValue when it does not fit (gas and size arguments).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public ulong ToUInt64Saturating() => IsUInt64 ? U0 : ulong.MaxValue;

    public static UInt256 operator &(in UInt256 a, in UInt256 b)
    {
        And(a, b, out UInt256 r);
        return r;
    }

    public static UInt256 operator |(in UInt256 a, in UInt256 b)
    {
        Or(a, b, out UInt256 r);
        return r;
    }

    public static UInt256 operator ^(in UInt256 a, in UInt256 b)
    {
        Xor(a, b, out UInt256 r);
        return r;
    }

    public static UInt256 operator ~(in UInt256 a)
    {
        Not(a, out UInt256 r);
        return r;
    }

    public static UInt256 operator <<(in UInt256 a, int shift)
    {
        ShiftLeft(a, shift, out UInt256 r);
        return r;
    }

    public static UInt256 operator >>(in UInt256 a, int shift)
    {
        ShiftRight(a, shift, out UInt256 r);
        return r;
    }
}
