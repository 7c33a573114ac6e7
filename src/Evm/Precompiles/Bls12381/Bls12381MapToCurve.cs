namespace BeamSync.Evm.Precompiles.Bls12381;

/// <summary>
/// EIP-2537 MAP_FP_TO_G1 and MAP_FP2_TO_G2: RFC 9380's simplified SWU onto an isogenous curve, the isogeny map
/// (11-isogeny for G1, 3-isogeny for G2) and cofactor clearing by h_eff. No hashing: the field element is the input.
/// Variable time (inputs are public). Stateless; thread-safe.
/// </summary>
public static class Bls12381MapToCurve
{
    /// <summary>h_eff for G1: 1 − x.</summary>
    private static readonly ulong[] G1CofactorEff = [0xd201000000010001];

    public static JacobianPoint<Fp> MapToG1(in Fp u)
    {
        SimplifiedSwu(u, Bls12381Isogeny.G1SwuA, Bls12381Isogeny.G1SwuB, Bls12381Isogeny.G1SwuZ, out Fp x, out Fp y);
        if (!Bls12381Isogeny.TryMap(x, y, Bls12381Isogeny.G1XNum, Bls12381Isogeny.G1XDen, Bls12381Isogeny.G1YNum, Bls12381Isogeny.G1YDen, out Fp mx, out Fp my))
            return JacobianPoint<Fp>.Infinity;
        return JacobianPoint<Fp>.FromAffine(mx, my).Multiply(G1CofactorEff);
    }

    public static JacobianPoint<Fp2> MapToG2(in Fp2 u)
    {
        SimplifiedSwu(u, Bls12381Isogeny.G2SwuA, Bls12381Isogeny.G2SwuB, Bls12381Isogeny.G2SwuZ, out Fp2 x, out Fp2 y);
        if (!Bls12381Isogeny.TryMap(x, y, Bls12381Isogeny.G2XNum, Bls12381Isogeny.G2XDen, Bls12381Isogeny.G2YNum, Bls12381Isogeny.G2YDen, out Fp2 mx, out Fp2 my))
            return JacobianPoint<Fp2>.Infinity;
        return Bls12381Endomorphisms.ClearG2Cofactor(JacobianPoint<Fp2>.FromAffine(mx, my));
    }

    /// <summary>RFC 9380 section 6.6.2, the straightforward (non-constant-time) form, then the sign fix-up sgn0(y) = sgn0(u).</summary>
    private static void SimplifiedSwu<T>(in T u, in T a, in T b, in T z, out T x, out T y)
        where T : unmanaged, IBlsField<T>
    {
        T zu2 = z * u.Square();
        T denominator = zu2.Square() + zu2;
        T tv1 = denominator.IsZero ? T.Zero : denominator.Inverse();
        T x1 = tv1.IsZero
            ? b * (z * a).Inverse()
            : (b.Negate() * a.Inverse()) * (T.One + tv1);
        T gx1 = (x1.Square() + a) * x1 + b;
        if (gx1.TrySqrt(out y))
        {
            x = x1;
        }
        else
        {
            x = zu2 * x1;
            T gx2 = (x.Square() + a) * x + b;
            gx2.TrySqrt(out y); // RFC 9380: exactly one of gx1, gx2 is square, so this succeeds.
        }
        if (y.Sgn0 != u.Sgn0) y = y.Negate();
    }
}
