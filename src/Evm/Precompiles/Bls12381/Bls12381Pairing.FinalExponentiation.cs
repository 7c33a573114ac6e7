namespace BeamSync.Evm.Precompiles.Bls12381;

public static partial class Bls12381Pairing
{
    /// <summary>
    /// f^(3(p¹² − 1)/r). The easy part (p⁶ − 1)(p² + 1) moves f into the cyclotomic subgroup, where inversion is
    /// conjugation; the hard part uses 3Φ₁₂(p)/r = (x − 1)²(x + p)(x² + p² − 1) + 3 (Hayashida–Hayasaka–Teruya), a
    /// cube of the usual pairing. Cubing is a bijection on the order-r target group, so "is one" and bilinearity hold.
    /// </summary>
    public static Fp12 FinalExponentiation(in Fp12 f)
    {
        Fp12 t = f.Conjugate() * f.Inverse();
        Fp12 g = t.Frobenius().Frobenius() * t;

        Fp12 a = ExpByX(g) * g.Conjugate();
        a = ExpByX(a) * a.Conjugate();
        Fp12 b = ExpByX(a) * a.Frobenius();
        Fp12 c = ExpByX(ExpByX(b)) * b.Frobenius().Frobenius() * b.Conjugate();
        return c * g.CyclotomicSquare() * g;
    }

    /// <summary>g^x for x = −|x|, valid in the cyclotomic subgroup (where g^-1 is the conjugate).</summary>
    private static Fp12 ExpByX(in Fp12 g) => g.CyclotomicPow(Bls12381Curve.AbsX).Conjugate();
}
