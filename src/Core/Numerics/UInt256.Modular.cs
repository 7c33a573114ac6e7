namespace BeamSync.Core;

// ADDMOD and MULMOD: reductions of the full 257-bit sum and the full 512-bit product, so no intermediate
// result wraps. A zero modulus gives zero, as the EVM's does.
public readonly partial struct UInt256
{
    /// <summary>(a + b) mod m over the full 257-bit sum; zero when m is zero.</summary>
    public static void AddMod(in UInt256 a, in UInt256 b, in UInt256 m, out UInt256 result)
    {
        int modulusLimbs = SignificantLimbs(AsLimbs(m));
        if (modulusLimbs == 0)
        {
            result = Zero;
            return;
        }
        if (a < m && b < m)
        {
            // Both reduced already: the sum is below 2m, so at most one subtraction of m (wrapping past the carry).
            bool carry = AddOverflow(a, b, out UInt256 sum);
            if (carry || sum >= m) Subtract(sum, m, out sum);
            result = sum;
            return;
        }

        Limbs8 wide = default;
        bool carryOut = AddOverflow(a, b, out UInt256 low);
        AsLimbs(low).CopyTo(wide);
        wide[4] = carryOut ? 1UL : 0UL;
        Limbs8 quotient = default;
        Limbs4 remainder = default;
        DivideLimbs(((ReadOnlySpan<ulong>)wide)[..5], AsLimbs(m)[..modulusLimbs], quotient, remainder);
        result = FromLimbs(remainder);
    }

    /// <summary>(a * b) mod m over the full 512-bit product; zero when m is zero.</summary>
    public static void MultiplyMod(in UInt256 a, in UInt256 b, in UInt256 m, out UInt256 result)
    {
        int modulusLimbs = SignificantLimbs(AsLimbs(m));
        if (modulusLimbs == 0)
        {
            result = Zero;
            return;
        }
        Limbs8 product = default;
        MultiplyFull(a, b, product);
        Limbs8 quotient = default;
        Limbs4 remainder = default;
        DivideLimbs(product, AsLimbs(m)[..modulusLimbs], quotient, remainder);
        result = FromLimbs(remainder);
    }
}
