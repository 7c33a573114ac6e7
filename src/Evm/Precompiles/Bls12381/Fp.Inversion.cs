using System.Numerics;
using System.Runtime.CompilerServices;
using static BeamSync.Evm.Precompiles.MontgomeryLimbs;

namespace BeamSync.Evm.Precompiles.Bls12381;

public readonly partial struct Fp
{
    [InlineArray(6)]
    private struct Limbs
    {
        private ulong _element0;
    }

    /// <summary>Binary-GCD steps per round: the transition factors must stay within ±2^31 so a round's updates fit a word.</summary>
    internal const int InverseStepsPerRound = 31;

    /// <summary>
    /// x⁻¹ by Pornin's optimised binary GCD (variable time: inputs are public). Each round runs 31 binary-GCD steps on
    /// 64-bit approximations of a and b (the low 31 and the top 33 bits), then applies the resulting 2×2 transition to
    /// the full values and, with one word of Montgomery reduction, to the Bézout coefficients: about 25 rounds of
    /// word-by-limb products instead of ~760 full-width halvings and subtractions. Zero maps to zero.
    /// </summary>
    public Fp Inverse()
    {
        if (IsZero) return this;
        Limbs a = default, b = default;
        a[0] = U0; a[1] = U1; a[2] = U2; a[3] = U3; a[4] = U4; a[5] = U5;
        b[0] = P0; b[1] = P1; b[2] = P2; b[3] = P3; b[4] = P4; b[5] = P5;
        // Invariant: a ≡ this·u·c and b ≡ this·v·c (mod p) with c = 2^(33·rounds); b stays odd; gcd(a, b) = 1.
        Fp u = new(1, 0, 0, 0, 0, 0), v = default;
        int rounds = 0;
        while (!IsZeroLimbs(a))
        {
            if (rounds == InverseRoundFactors.Length) throw new InvalidOperationException("Fp inversion did not converge.");
            Approximate(a, b, out ulong aApprox, out ulong bApprox);
            long f0 = 1, g0 = 0, f1 = 0, g1 = 1;
            for (int i = 0; i < InverseStepsPerRound; i++)
            {
                long odd = -(long)(aApprox & 1);
                long swap = odd & -(long)(aApprox < bApprox ? 1 : 0);
                ulong ts = (aApprox ^ bApprox) & (ulong)swap; aApprox ^= ts; bApprox ^= ts;
                long tf = (f0 ^ f1) & swap; f0 ^= tf; f1 ^= tf;
                long tg = (g0 ^ g1) & swap; g0 ^= tg; g1 ^= tg;
                aApprox -= bApprox & (ulong)odd;
                f0 -= f1 & odd;
                g0 -= g1 & odd;
                aApprox >>= 1;
                f1 <<= 1;
                g1 <<= 1;
            }
            Limbs oldA = a;
            if (CombineShifted(oldA, f0, b, g0, ref a)) { f0 = -f0; g0 = -g0; }
            if (CombineShifted(oldA, f1, b, g1, ref b)) { f1 = -f1; g1 = -g1; }
            Fp oldU = u;
            u = CombineModP(oldU, f0, v, g0);
            v = CombineModP(oldU, f1, v, g1);
            rounds++;
        }
        // b = 1 = this·v·2^(33·rounds): this⁻¹ = v·2^(33·rounds); one Montgomery product by 2^(33·rounds)·R³ also
        // turns the raw inverse of x·R into x⁻¹·R.
        return v * InverseRoundFactors[rounds];
    }

    private static bool IsZeroLimbs(in Limbs a) => (a[0] | a[1] | a[2] | a[3] | a[4] | a[5]) == 0;

    /// <summary>
    /// 64-bit stand-ins for a and b: exact when both fit a word, otherwise the low 31 bits joined to the top 33 bits
    /// of the wider one's length, which is enough for the next 31 steps' parity and comparisons (Pornin 2020/972).
    /// </summary>
    private static void Approximate(in Limbs a, in Limbs b, out ulong aApprox, out ulong bApprox)
    {
        int top = 5;
        while (top > 0 && (a[top] | b[top]) == 0) top--;
        if (top == 0) { aApprox = a[0]; bApprox = b[0]; return; }
        int shift = BitOperations.LeadingZeroCount(a[top] | b[top]);
        // The 64 bits below the top set bit, aligned so the wider value's top bit is bit 63 ((x >> 1) >> (63 − s) is x >> (64 − s), also for s = 0).
        ulong aTop = (a[top] << shift) | ((a[top - 1] >> 1) >> (63 - shift));
        ulong bTop = (b[top] << shift) | ((b[top - 1] >> 1) >> (63 - shift));
        const ulong LowMask = (1UL << 31) - 1;
        aApprox = (aTop & ~LowMask) | (a[0] & LowMask);
        bApprox = (bTop & ~LowMask) | (b[0] & LowMask);
    }

    /// <summary>
    /// result ← |x·f + y·g| / 2^31 for signed factors |f|, |g| ≤ 2^31 (the sum is divisible by 2^31 by construction);
    /// returns whether the sum was negative.
    /// </summary>
    private static bool CombineShifted(in Limbs x, long f, in Limbs y, long g, ref Limbs result)
    {
        Span<ulong> sum = stackalloc ulong[7];
        MultiplySigned(x, f, sum);
        Span<ulong> term = stackalloc ulong[7];
        MultiplySigned(y, g, term);
        ulong carry = 0;
        for (int i = 0; i < 7; i++) sum[i] = AddC(sum[i], term[i], carry, out carry);
        bool negative = (long)sum[6] < 0;
        if (negative) NegateInPlace(sum);
        for (int i = 0; i < 6; i++) result[i] = (sum[i] >> InverseStepsPerRound) | (sum[i + 1] << (64 - InverseStepsPerRound));
        return negative;
    }

    /// <summary>x·f as a 448-bit two's-complement value.</summary>
    private static void MultiplySigned(in Limbs x, long f, Span<ulong> product)
    {
        ulong m = (ulong)Math.Abs(f), carry = 0;
        for (int i = 0; i < 6; i++) carry = MulAdd(x[i], m, 0, carry, out product[i]);
        product[6] = carry;
        if (f < 0) NegateInPlace(product);
    }

    private static void NegateInPlace(Span<ulong> value)
    {
        ulong borrow = 0;
        for (int i = 0; i < value.Length; i++) value[i] = SubB(0, value[i], borrow, out borrow);
    }

    /// <summary>(x·f + y·g)·2^-64 mod p for x, y below p and |f|, |g| ≤ 2^31: negative factors use p − x, then one word of Montgomery reduction.</summary>
    private static Fp CombineModP(in Fp x, long f, in Fp y, long g)
    {
        ulong t0 = 0, t1 = 0, t2 = 0, t3 = 0, t4 = 0, t5 = 0;
        ulong t6 = AccumulateScaled(x, f, ref t0, ref t1, ref t2, ref t3, ref t4, ref t5);
        t6 += AccumulateScaled(y, g, ref t0, ref t1, ref t2, ref t3, ref t4, ref t5);
        ulong q = t0 * PInvNeg, carry;
        carry = MulAdd(q, P0, t0, 0, out _);
        carry = MulAdd(q, P1, t1, carry, out t0);
        carry = MulAdd(q, P2, t2, carry, out t1);
        carry = MulAdd(q, P3, t3, carry, out t2);
        carry = MulAdd(q, P4, t4, carry, out t3);
        carry = MulAdd(q, P5, t5, carry, out t4);
        t5 = t6 + carry;
        // Below (2·p·2^31 + 2^64·p)/2^64 < 2p, so one subtraction reduces it.
        return ReduceOnce(t0, t1, t2, t3, t4, t5);
    }

    /// <summary>t += (f &lt; 0 ? p − x : x)·|f| (0 − x mod p is 0 for x = 0), returning the carry out of t5.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong AccumulateScaled(in Fp x, long f, ref ulong t0, ref ulong t1, ref ulong t2, ref ulong t3, ref ulong t4, ref ulong t5)
    {
        Fp xs = f < 0 ? Zero - x : x;
        ulong m = (ulong)Math.Abs(f), c = 0;
        c = MulAdd(xs.U0, m, t0, c, out t0);
        c = MulAdd(xs.U1, m, t1, c, out t1);
        c = MulAdd(xs.U2, m, t2, c, out t2);
        c = MulAdd(xs.U3, m, t3, c, out t3);
        c = MulAdd(xs.U4, m, t4, c, out t4);
        return MulAdd(xs.U5, m, t5, c, out t5);
    }
}
