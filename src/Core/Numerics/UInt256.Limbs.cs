using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace BeamSync.Core;

// Limb-level building blocks shared by the arithmetic partials. Carries and borrows are computed with
// comparisons, which the JIT turns into setb/adc-style code rather than branches.
public readonly partial struct UInt256
{
    /// <summary>Four limbs on the stack: a mutable scratch form of a 256-bit value.</summary>
    [InlineArray(4)]
    internal struct Limbs4 { private ulong _element0; }

    /// <summary>Eight limbs on the stack: a full 512-bit product.</summary>
    [InlineArray(8)]
    internal struct Limbs8 { private ulong _element0; }

    /// <summary>The four limbs of <paramref name="value"/> as a read-only span, least significant first, without copying.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static ReadOnlySpan<ulong> AsLimbs(in UInt256 value) =>
        MemoryMarshal.CreateReadOnlySpan(ref Unsafe.AsRef(in value.U0), 4);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static UInt256 FromLimbs(ReadOnlySpan<ulong> limbs) => new(limbs[0], limbs[1], limbs[2], limbs[3]);

    /// <summary>x + y + carry (carry is 0 or 1); carry becomes the carry out.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static ulong AddWithCarry(ulong x, ulong y, ref ulong carry)
    {
        ulong sum = x + y;
        ulong carryOut = sum < x ? 1UL : 0UL;
        ulong result = sum + carry;
        carryOut |= result < sum ? 1UL : 0UL;
        carry = carryOut;
        return result;
    }

    /// <summary>x - y - borrow (borrow is 0 or 1); borrow becomes the borrow out.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static ulong SubtractWithBorrow(ulong x, ulong y, ref ulong borrow)
    {
        ulong difference = x - y;
        ulong borrowOut = x < y ? 1UL : 0UL;
        ulong result = difference - borrow;
        borrowOut |= difference < borrow ? 1UL : 0UL;
        borrow = borrowOut;
        return result;
    }

    /// <summary>x * y + addend + carry as a 128-bit value: the low half is returned, the high half becomes carry. Cannot overflow.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static ulong MultiplyAdd(ulong x, ulong y, ulong addend, ref ulong carry)
    {
        ulong high = Math.BigMul(x, y, out ulong low);
        low += addend;
        high += low < addend ? 1UL : 0UL;
        low += carry;
        high += low < carry ? 1UL : 0UL;
        carry = high;
        return low;
    }

    /// <summary>Number of limbs up to and including the most significant non-zero one (0 for all zeros).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static int SignificantLimbs(ReadOnlySpan<ulong> limbs)
    {
        int n = limbs.Length;
        while (n > 0 && limbs[n - 1] == 0) n--;
        return n;
    }
}
