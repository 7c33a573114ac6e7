using System.Runtime.CompilerServices;

namespace BeamSync.Core;

// Two's complement views: SDIV, SMOD, SLT/SGT and SIGNEXTEND.
public readonly partial struct UInt256
{
    /// <summary>Bit 255 set: negative as two's complement.</summary>
    public bool IsNegative
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => (long)U3 < 0;
    }

    /// <summary>
    /// Signed a / b truncated toward zero; zero when b is zero. -2^255 / -1 overflows back to -2^255, as the
    /// EVM specifies (the magnitude 2^255 read as two's complement is -2^255 again).
    /// </summary>
    public static void SignedDivide(in UInt256 a, in UInt256 b, out UInt256 result)
    {
        bool negativeA = a.IsNegative, negativeB = b.IsNegative;
        Absolute(a, out UInt256 magnitudeA);
        Absolute(b, out UInt256 magnitudeB);
        Divide(magnitudeA, magnitudeB, out UInt256 quotient);
        if (negativeA != negativeB) Negate(quotient, out quotient);
        result = quotient;
    }

    /// <summary>Signed a mod b; the result takes the dividend's sign; zero when b is zero.</summary>
    public static void SignedMod(in UInt256 a, in UInt256 b, out UInt256 result)
    {
        bool negativeA = a.IsNegative;
        Absolute(a, out UInt256 magnitudeA);
        Absolute(b, out UInt256 magnitudeB);
        Mod(magnitudeA, magnitudeB, out UInt256 remainder);
        if (negativeA) Negate(remainder, out remainder);
        result = remainder;
    }

    /// <summary>|a| read as two's complement (2^255 for -2^255, which has no positive counterpart).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Absolute(in UInt256 a, out UInt256 result)
    {
        if (a.IsNegative) Negate(a, out result);
        else result = a;
    }

    /// <summary>Signed comparison of two's complement values: negative, zero or positive.</summary>
    public static int SignedCompare(in UInt256 a, in UInt256 b)
    {
        if (a.U3 != b.U3) return ((long)a.U3).CompareTo((long)b.U3);
        if (a.U2 != b.U2) return a.U2.CompareTo(b.U2);
        if (a.U1 != b.U1) return a.U1.CompareTo(b.U1);
        return a.U0.CompareTo(b.U0);
    }

    /// <summary>EVM SIGNEXTEND: extends the sign of byte <paramref name="byteIndex"/> (0 = least significant); unchanged when byteIndex &gt;= 31.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void SignExtend(in UInt256 byteIndex, in UInt256 value, out UInt256 result)
    {
        if (!byteIndex.IsUInt64 || byteIndex.U0 >= 31)
        {
            result = value;
            return;
        }
        int signBit = (int)byteIndex.U0 * 8 + 7;
        int bitInLimb = signBit & 63;
        // Bits 0..bitInLimb of the sign limb are kept; everything above the sign bit becomes the sign. Limb by limb
        // in registers, without copying the value to a buffer.
        ulong keepMask = bitInLimb == 63 ? ulong.MaxValue : (2UL << bitInLimb) - 1;
        switch (signBit >> 6)
        {
            case 0:
            {
                ulong fill = (ulong)((long)(value.U0 << (63 - bitInLimb)) >> 63);
                result = new UInt256((value.U0 & keepMask) | (fill & ~keepMask), fill, fill, fill);
                return;
            }
            case 1:
            {
                ulong fill = (ulong)((long)(value.U1 << (63 - bitInLimb)) >> 63);
                result = new UInt256(value.U0, (value.U1 & keepMask) | (fill & ~keepMask), fill, fill);
                return;
            }
            case 2:
            {
                ulong fill = (ulong)((long)(value.U2 << (63 - bitInLimb)) >> 63);
                result = new UInt256(value.U0, value.U1, (value.U2 & keepMask) | (fill & ~keepMask), fill);
                return;
            }
            default:
            {
                ulong fill = (ulong)((long)(value.U3 << (63 - bitInLimb)) >> 63);
                result = new UInt256(value.U0, value.U1, value.U2, (value.U3 & keepMask) | (fill & ~keepMask));
                return;
            }
        }
    }
}
