using System.Runtime.CompilerServices;

namespace BeamSync.Core;

// Addition, subtraction and negation modulo 2^256. Every method reads all of its inputs before writing the
// result, so callers may pass the same variable as input and output.
public readonly partial struct UInt256
{
    /// <summary>a + b; returns true on carry out of bit 255.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool AddOverflow(in UInt256 a, in UInt256 b, out UInt256 result)
    {
        ulong carry = 0;
        ulong r0 = AddWithCarry(a.U0, b.U0, ref carry);
        ulong r1 = AddWithCarry(a.U1, b.U1, ref carry);
        ulong r2 = AddWithCarry(a.U2, b.U2, ref carry);
        ulong r3 = AddWithCarry(a.U3, b.U3, ref carry);
        result = new UInt256(r0, r1, r2, r3);
        return carry != 0;
    }

    /// <summary>a - b; returns true on borrow (a &lt; b).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool SubtractUnderflow(in UInt256 a, in UInt256 b, out UInt256 result)
    {
        ulong borrow = 0;
        ulong r0 = SubtractWithBorrow(a.U0, b.U0, ref borrow);
        ulong r1 = SubtractWithBorrow(a.U1, b.U1, ref borrow);
        ulong r2 = SubtractWithBorrow(a.U2, b.U2, ref borrow);
        ulong r3 = SubtractWithBorrow(a.U3, b.U3, ref borrow);
        result = new UInt256(r0, r1, r2, r3);
        return borrow != 0;
    }

    /// <summary>a + b modulo 2^256.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Add(in UInt256 a, in UInt256 b, out UInt256 result) => AddOverflow(a, b, out result);

    /// <summary>a - b modulo 2^256.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Subtract(in UInt256 a, in UInt256 b, out UInt256 result) => SubtractUnderflow(a, b, out result);

    /// <summary>Two's complement negation.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Negate(in UInt256 a, out UInt256 result) => SubtractUnderflow(Zero, a, out result);

    public static UInt256 operator +(in UInt256 a, in UInt256 b)
    {
        AddOverflow(a, b, out UInt256 r);
        return r;
    }

    public static UInt256 operator -(in UInt256 a, in UInt256 b)
    {
        SubtractUnderflow(a, b, out UInt256 r);
        return r;
    }
}
