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

    private static readonly SwuCurve<Fp> G1Swu = new(Bls12381Isogeny.G1SwuA, Bls12381Isogeny.G1SwuB, Bls12381Isogeny.G1SwuZ);
    private static readonly SwuCurve<Fp2> G2Swu = new(Bls12381Isogeny.G2SwuA, Bls12381Isogeny.G2SwuB, Bls12381Isogeny.G2SwuZ);

    /// <summary>Z·√(−Z) for G1's Z = 11 (−Z is a square because Z and −1 are not).</summary>
    private static readonly Fp G1ZRootOfMinusZ = RootOfMinusZ();

    public static JacobianPoint<Fp> MapToG1(in Fp u)
    {
        Fp x1 = G1Swu.X1(u, out Fp zu2);
        Fp gx1 = G1Swu.Evaluate(x1);
        Fp x, y;
        if (gx1.TrySqrt(out Fp root)) { x = x1; y = root; }
        else
        {
            // p ≡ 3 (mod 4), so the failed root is √(−gx1); with x2 = Z·u²·x1, g(x2) = Z³u⁶·g(x1) and
            // √g(x2) = Z·√(−Z)·u³·√(−gx1): the second square root comes without a second exponentiation.
            x = zu2 * x1;
            y = root * u * u.Square() * G1ZRootOfMinusZ;
        }
        if (y.Sgn0 != u.Sgn0) y = y.Negate();
        return Bls12381Isogeny.Map(x, y, Bls12381Isogeny.G1XNum, Bls12381Isogeny.G1XDen, Bls12381Isogeny.G1YNum, Bls12381Isogeny.G1YDen)
            .Multiply(G1CofactorEff);
    }

    public static JacobianPoint<Fp2> MapToG2(in Fp2 u)
    {
        Fp2 x = G2Swu.X1(u, out Fp2 zu2);
        if (!G2Swu.Evaluate(x).TrySqrt(out Fp2 y))
        {
            x = zu2 * x;
            G2Swu.Evaluate(x).TrySqrt(out y); // RFC 9380: exactly one of g(x1), g(x2) is square, so this succeeds.
        }
        if (y.Sgn0 != u.Sgn0) y = y.Negate();
        return Bls12381Endomorphisms.ClearG2Cofactor(
            Bls12381Isogeny.Map(x, y, Bls12381Isogeny.G2XNum, Bls12381Isogeny.G2XDen, Bls12381Isogeny.G2YNum, Bls12381Isogeny.G2YDen));
    }

    private static Fp RootOfMinusZ()
    {
        if (!Bls12381Isogeny.G1SwuZ.Negate().TrySqrt(out Fp root)) throw new InvalidOperationException("-Z is not a square");
        return Bls12381Isogeny.G1SwuZ * root;
    }

    /// <summary>The SWU curve y² = x³ + A·x + B with its non-square Z, and the two constants x1 needs.</summary>
    private sealed class SwuCurve<T>(T a, T b, T z) where T : unmanaged, IBlsField<T>
    {
        private readonly T _minusBOverA = (b * a.Inverse()).Negate();
        private readonly T _bOverZA = b * (z * a).Inverse();

        /// <summary>RFC 9380 section 6.6.2's x1 = −B/A·(1 + 1/(Z²u⁴ + Zu²)), or B/(ZA) where that denominator is zero; also Z·u².</summary>
        public T X1(in T u, out T zu2)
        {
            zu2 = z * u.Square();
            T denominator = zu2.Square() + zu2;
            return denominator.IsZero ? _bOverZA : _minusBOverA * (T.One + denominator.Inverse());
        }

        /// <summary>x³ + A·x + B.</summary>
        public T Evaluate(in T x) => (x.Square() + a) * x + b;
    }
}
