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

    // The shifts move whole limbs first, then bits. (x >> 1) >> (63 - s) is x >> (64 - s) that also gives 0 for
    // s == 0 (C# masks shift counts to six bits), so the bit step needs no branch.

    /// <summary>a &lt;&lt; shift; zero when shift &gt;= 256.</summary>
    public static void ShiftLeft(in UInt256 a, int shift, out UInt256 result)
    {
        if ((uint)shift >= 256)
        {
            result = Zero;
            return;
        }
        ulong a0 = a.U0, a1 = a.U1, a2 = a.U2, a3 = a.U3;
        switch (shift >> 6)
        {
            case 1: a3 = a2; a2 = a1; a1 = a0; a0 = 0; break;
            case 2: a3 = a1; a2 = a0; a1 = 0; a0 = 0; break;
            case 3: a3 = a0; a2 = 0; a1 = 0; a0 = 0; break;
        }
        int s = shift & 63, back = 63 - s;
        result = new UInt256(
            a0 << s,
            (a1 << s) | ((a0 >> 1) >> back),
            (a2 << s) | ((a1 >> 1) >> back),
            (a3 << s) | ((a2 >> 1) >> back));
    }

    /// <summary>Logical a &gt;&gt; shift; zero when shift &gt;= 256.</summary>
    public static void ShiftRight(in UInt256 a, int shift, out UInt256 result)
    {
        if ((uint)shift >= 256)
        {
            result = Zero;
            return;
        }
        ShiftRightFilling(a, shift, 0, out result);
    }

    /// <summary>Arithmetic a &gt;&gt; shift (sign-filling); all ones or zero when shift &gt;= 256.</summary>
    public static void ArithmeticShiftRight(in UInt256 a, int shift, out UInt256 result)
    {
        ulong fill = (ulong)((long)a.U3 >> 63);
        if ((uint)shift >= 256)
        {
            result = new UInt256(fill, fill, fill, fill);
            return;
        }
        ShiftRightFilling(a, shift, fill, out result);
    }

    /// <summary>a &gt;&gt; shift (0..255) with vacated bits set from <paramref name="fill"/> (all zeros or all ones).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ShiftRightFilling(in UInt256 a, int shift, ulong fill, out UInt256 result)
    {
        ulong a0 = a.U0, a1 = a.U1, a2 = a.U2, a3 = a.U3;
        switch (shift >> 6)
        {
            case 1: a0 = a1; a1 = a2; a2 = a3; a3 = fill; break;
            case 2: a0 = a2; a1 = a3; a2 = fill; a3 = fill; break;
            case 3: a0 = a3; a1 = fill; a2 = fill; a3 = fill; break;
        }
        int s = shift & 63, back = 63 - s;
        result = new UInt256(
            (a0 >> s) | ((a1 << 1) << back),
            (a1 >> s) | ((a2 << 1) << back),
            (a2 >> s) | ((a3 << 1) << back),
            (a3 >> s) | ((fill << 1) << back));
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
