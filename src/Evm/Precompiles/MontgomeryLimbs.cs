using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;

namespace BeamSync.Evm.Precompiles;

/// <summary>
/// Word-level carry arithmetic shared by the Montgomery base fields of the curve precompiles (bn254, BLS12-381).
/// Every helper is meant to inline into a fully unrolled caller whose limbs are locals, so the JIT keeps them in
/// registers. Stateless; thread-safe.
/// </summary>
internal static class MontgomeryLimbs
{
    /// <summary>a·b + c + carry as (high, low); the sum is below 2^128, so the high word cannot overflow.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong MulAdd(ulong a, ulong b, ulong c, ulong carry, out ulong low)
    {
        ulong high = MulHigh(a, b, out ulong lo);
        lo += c;
        high += lo < c ? 1UL : 0UL;
        lo += carry;
        high += lo < carry ? 1UL : 0UL;
        low = lo;
        return high;
    }

    /// <summary>
    /// The 128-bit product a·b. <see cref="Math.BigMul(ulong, ulong, out ulong)"/> writes its low word through a
    /// pointer, which pins that word to the stack (a store and a reload per product, ~5x slower field multiplication);
    /// mulx for the high word plus imul for the low one keeps both in registers.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong MulHigh(ulong a, ulong b, out ulong low)
    {
        if (Bmi2.X64.IsSupported)
        {
            low = a * b;
            return Bmi2.X64.MultiplyNoFlags(a, b);
        }
        return Math.BigMul(a, b, out low);
    }

    /// <summary>a + b + carryIn, with the carry out (0 or 1).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong AddC(ulong a, ulong b, ulong carryIn, out ulong carryOut)
    {
        ulong sum = a + b;
        ulong c1 = sum < a ? 1UL : 0UL;
        ulong result = sum + carryIn;
        carryOut = c1 | (result < sum ? 1UL : 0UL);
        return result;
    }

    /// <summary>a − b − borrowIn, with the borrow out (0 or 1).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static ulong SubB(ulong a, ulong b, ulong borrowIn, out ulong borrowOut)
    {
        ulong diff = a - b;
        ulong b1 = a < b ? 1UL : 0UL;
        ulong result = diff - borrowIn;
        borrowOut = b1 | (diff < borrowIn ? 1UL : 0UL);
        return result;
    }
}
