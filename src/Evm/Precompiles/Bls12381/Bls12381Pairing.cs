using System.Runtime.CompilerServices;

namespace BeamSync.Evm.Precompiles.Bls12381;

/// <summary>
/// The optimal ate pairing on BLS12-381 as a product check: ∏ e(P_i, Q_i) = 1. One Miller loop over |x| shares its
/// squarings between all pairs; T runs in Jacobian coordinates and each line is scaled by a factor in Fp2 (which the
/// final exponentiation removes) so no inversion is needed. Stateless; thread-safe.
/// </summary>
[SkipLocalsInit]
public static partial class Bls12381Pairing
{
    /// <summary>An affine pair (P in G1, Q in G2); neither may be infinity (such pairs contribute 1 and are dropped).</summary>
    public readonly record struct Pair(Fp Px, Fp Py, Fp2 Qx, Fp2 Qy);

    /// <summary>Whether the product of the pairings is the identity of the target group.</summary>
    public static bool ProductIsOne(ReadOnlySpan<Pair> pairs)
    {
        if (pairs.IsEmpty) return true;
        return FinalExponentiation(MillerLoop(pairs)).IsOne;
    }

    /// <summary>The full pairing e(P, Q) (reduced); for tests and bilinearity checks.</summary>
    public static Fp12 Pair1(in Pair pair) => FinalExponentiation(MillerLoop([pair]));

    public static Fp12 MillerLoop(ReadOnlySpan<Pair> pairs)
    {
        Span<JacobianPoint<Fp2>> t = pairs.Length <= 8 ? stackalloc JacobianPoint<Fp2>[pairs.Length] : new JacobianPoint<Fp2>[pairs.Length];
        for (int i = 0; i < pairs.Length; i++) t[i] = JacobianPoint<Fp2>.FromAffine(pairs[i].Qx, pairs[i].Qy);

        Fp12 f = Fp12.One;
        for (int bit = 62; bit >= 0; bit--)
        {
            if (bit != 62) f = f.Square();
            for (int i = 0; i < pairs.Length; i++) f = DoublingStep(ref t[i], pairs[i], f);
            if (((Bls12381Curve.AbsX >> bit) & 1) != 0)
                for (int i = 0; i < pairs.Length; i++) f = AdditionStep(ref t[i], pairs[i], f);
        }
        // x is negative: f_{x} = 1/f_{|x|}, and after the final exponentiation the inverse is the conjugate.
        return f.Conjugate();
    }

    /// <summary>
    /// T ← 2T, and f times the tangent at T evaluated at P. With λ = 3X²/(2YZ) the line, multiplied by w³·2YZ³, is
    /// (3X³ − 2Y²) − 3X²Z²·xP·v + 2YZ·Z²·yP·vw.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Fp12 DoublingStep(ref JacobianPoint<Fp2> t, in Pair pair, in Fp12 f)
    {
        Fp2 x = t.X, y = t.Y, z = t.Z;
        Fp2 a = x.Square();
        Fp2 b = y.Square();
        Fp2 c = b.Square();
        Fp2 d = ((x + b).Square() - a - c).Double();
        Fp2 e = a.Double() + a;
        Fp2 zz = z.Square();
        Fp2 x3 = e.Square() - d.Double();
        Fp2 y3 = e * (d - x3) - c.Double().Double().Double();
        Fp2 z3 = (y * z).Double();
        t = new JacobianPoint<Fp2>(x3, y3, z3);

        Fp2 l0 = e * x - b.Double();
        Fp2 l1 = (e * zz * pair.Px).Negate();
        Fp2 l2 = z3 * zz * pair.Py;
        return f.MulByLine(l0, l1, l2);
    }

    /// <summary>
    /// T ← T + Q, and f times the line through T and Q evaluated at P. With H = xQ·Z² − X, R = yQ·Z³ − Y the line,
    /// multiplied by w³·HZ, is (R·xQ − yQ·HZ) − R·xP·v + HZ·yP·vw.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Fp12 AdditionStep(ref JacobianPoint<Fp2> t, in Pair pair, in Fp12 f)
    {
        Fp2 zz = t.Z.Square();
        Fp2 h = pair.Qx * zz - t.X;
        Fp2 r = pair.Qy * t.Z * zz - t.Y;
        Fp2 hh = h.Square();
        Fp2 hhh = h * hh;
        Fp2 v = t.X * hh;
        Fp2 x3 = r.Square() - hhh - v.Double();
        Fp2 y3 = r * (v - x3) - t.Y * hhh;
        Fp2 z3 = t.Z * h;
        t = new JacobianPoint<Fp2>(x3, y3, z3);

        Fp2 l0 = r * pair.Qx - pair.Qy * z3;
        Fp2 l1 = (r * pair.Px).Negate();
        Fp2 l2 = z3 * pair.Py;
        return f.MulByLine(l0, l1, l2);
    }
}
