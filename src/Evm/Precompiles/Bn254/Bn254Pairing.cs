using System.Buffers;
using System.Numerics;

namespace BeamSync.Evm.Precompiles.Bn254;

/// <summary>
/// The optimal ate pairing on bn254: a shared Miller loop over all pairs (loop count 6u + 2 in non-adjacent form,
/// G2 in homogeneous projective coordinates so no inversion happens inside the loop) followed by one final
/// exponentiation. Stateless; thread-safe.
/// </summary>
public static partial class Bn254Pairing
{
    /// <summary>6u + 2 in non-adjacent form, least significant digit first.</summary>
    private static readonly sbyte[] LoopNaf = ToNaf(6 * new BigInteger(Bn254Curve.U) + 2);

    private static readonly Fp TwoInverse = Fp.FromUInt64(2).Inverse();

    /// <summary>One G1/G2 pair; an infinity on either side makes the pair contribute 1, and such pairs are left out.</summary>
    public readonly record struct Pair(Fp Px, Fp Py, Fp2 Qx, Fp2 Qy);

    /// <summary>Whether e(P₁, Q₁)·…·e(Pₖ, Qₖ) = 1; true for no pairs.</summary>
    public static bool ProductIsOne(ReadOnlySpan<Pair> pairs)
    {
        if (pairs.IsEmpty) return true;
        return FinalExponentiation(MillerLoop(pairs)).IsOne;
    }

    /// <summary>The reduced pairing e(P, Q) itself (for tests of bilinearity).</summary>
    public static Fp12 Pair1(in Pair pair) => FinalExponentiation(MillerLoop([pair]));

    public static Fp12 MillerLoop(ReadOnlySpan<Pair> pairs)
    {
        G2Projective[] rented = ArrayPool<G2Projective>.Shared.Rent(pairs.Length);
        try
        {
            Span<G2Projective> r = rented.AsSpan(0, pairs.Length);
            for (int k = 0; k < pairs.Length; k++) r[k] = new G2Projective(pairs[k].Qx, pairs[k].Qy, Fp2.One);

            Fp12 f = Fp12.One;
            for (int i = LoopNaf.Length - 2; i >= 0; i--)
            {
                if (i != LoopNaf.Length - 2) f = f.Square();
                for (int k = 0; k < pairs.Length; k++) f = Evaluate(f, DoublingStep(ref r[k]), pairs[k]);
                sbyte digit = LoopNaf[i];
                if (digit == 0) continue;
                for (int k = 0; k < pairs.Length; k++)
                {
                    Fp2 qy = digit > 0 ? pairs[k].Qy : pairs[k].Qy.Negate();
                    f = Evaluate(f, AdditionStep(ref r[k], pairs[k].Qx, qy), pairs[k]);
                }
            }

            // Two more lines, through π(Q) and −π²(Q): the "optimal" part of the optimal ate pairing.
            for (int k = 0; k < pairs.Length; k++)
            {
                FrobeniusTwist(pairs[k].Qx, pairs[k].Qy, out Fp2 q1x, out Fp2 q1y);
                FrobeniusTwist(q1x, q1y, out Fp2 q2x, out Fp2 q2y);
                f = Evaluate(f, AdditionStep(ref r[k], q1x, q1y), pairs[k]);
                f = Evaluate(f, AdditionStep(ref r[k], q2x, q2y.Negate()), pairs[k]);
            }
            return f;
        }
        finally
        {
            ArrayPool<G2Projective>.Shared.Return(rented);
        }
    }

    private struct G2Projective(Fp2 x, Fp2 y, Fp2 z)
    {
        public Fp2 X = x, Y = y, Z = z;
    }

    private readonly record struct Line(Fp2 C0, Fp2 C1, Fp2 C2);

    /// <summary>Doubles R in place and returns the tangent line's coefficients (Costello-Lange-Naehrig, homogeneous coordinates).</summary>
    private static Line DoublingStep(ref G2Projective r)
    {
        Fp2 a = (r.X * r.Y).MulByFp(TwoInverse);
        Fp2 b = r.Y.Square();
        Fp2 c = r.Z.Square();
        Fp2 e = Bn254Curve.G2B * (c.Double() + c);
        Fp2 f = e.Double() + e;
        Fp2 g = (b + f).MulByFp(TwoInverse);
        Fp2 h = (r.Y + r.Z).Square() - (b + c);
        Fp2 i = e - b;
        Fp2 j = r.X.Square();
        Fp2 eSquare = e.Square();
        r.X = a * (b - f);
        r.Y = g.Square() - (eSquare.Double() + eSquare);
        r.Z = b * h;
        return new Line(h.Negate(), j.Double() + j, i);
    }

    /// <summary>Sets R to R + Q for an affine Q and returns the chord's coefficients.</summary>
    private static Line AdditionStep(ref G2Projective r, in Fp2 qx, in Fp2 qy)
    {
        Fp2 theta = r.Y - qy * r.Z;
        Fp2 lambda = r.X - qx * r.Z;
        Fp2 c = theta.Square();
        Fp2 d = lambda.Square();
        Fp2 e = lambda * d;
        Fp2 f = r.Z * c;
        Fp2 g = r.X * d;
        Fp2 h = e + f - g.Double();
        r.X = lambda * h;
        r.Y = theta * (g - h) - e * r.Y;
        r.Z *= e;
        Fp2 j = theta * qx - lambda * qy;
        return new Line(lambda, theta.Negate(), j);
    }

    /// <summary>Multiplies f by the line evaluated at P: a sparse product in coefficients 0, 3 and 4.</summary>
    private static Fp12 Evaluate(in Fp12 f, in Line line, in Pair p) =>
        f.MulBy034(line.C0.MulByFp(p.Py), line.C1.MulByFp(p.Px), line.C2);

    /// <summary>The untwist-Frobenius-twist endomorphism ψ on G2: (x, y) ↦ (x̄·ξ^((p−1)/3), ȳ·ξ^((p−1)/2)).</summary>
    private static void FrobeniusTwist(in Fp2 x, in Fp2 y, out Fp2 rx, out Fp2 ry)
    {
        rx = x.Conjugate() * Fp12.Gamma(2);
        ry = y.Conjugate() * Fp12.Gamma(3);
    }

    private static sbyte[] ToNaf(BigInteger n)
    {
        var digits = new List<sbyte>();
        while (n > 0)
        {
            sbyte digit = 0;
            if (!n.IsEven)
            {
                digit = (sbyte)(2 - (int)(n % 4));
                n -= digit;
            }
            digits.Add(digit);
            n >>= 1;
        }
        return digits.ToArray();
    }
}
