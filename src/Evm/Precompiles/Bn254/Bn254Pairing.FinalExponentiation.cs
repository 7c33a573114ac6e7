namespace BeamSync.Evm.Precompiles.Bn254;

public static partial class Bn254Pairing
{
    /// <summary>
    /// f^((p¹² − 1)/r). Easy part f^((p⁶ − 1)(p² + 1)); hard part (p⁴ − p² + 1)/r written in base p as
    /// λ₀ + λ₁p + λ₂p² + p³ with λ₂ = 6u² + 1, λ₁ = −36u³ − 18u² − 12u + 1, λ₀ = −36u³ − 30u² − 18u − 2
    /// (checked against the integer in the tests), so it needs only three exponentiations by u and Frobenius maps.
    /// After the easy part f lies in the cyclotomic subgroup, where the inverse is the conjugate.
    /// </summary>
    public static Fp12 FinalExponentiation(in Fp12 f)
    {
        Fp12 t = f.Conjugate() * f.Inverse();
        t = t.Frobenius().Frobenius() * t;

        Fp12 a = t.Pow(Bn254Curve.U);
        Fp12 b = a.Pow(Bn254Curve.U);
        Fp12 c = b.Pow(Bn254Curve.U);

        Fp12 a2 = a.Square(), a4 = a2.Square(), a8 = a4.Square();
        Fp12 a12 = a8 * a4, a6 = a4 * a2;
        Fp12 a18 = a12 * a6;
        Fp12 b2 = b.Square(), b4 = b2.Square(), b8 = b4.Square(), b16 = b8.Square();
        Fp12 b6 = b4 * b2, b12 = b8 * b4, b18 = b16 * b2;
        Fp12 b30 = b18 * b12;
        Fp12 c4 = c.Square().Square();
        Fp12 c36 = c4.Square().Square().Square() * c4;

        // p³ and p² terms.
        Fp12 result = t.Frobenius().Frobenius().Frobenius();
        result *= (b6 * t).Frobenius().Frobenius();
        // p term: t^(−36u³ − 18u² − 12u + 1).
        result *= ((c36 * b18 * a12).Conjugate() * t).Frobenius();
        // constant term: t^(−36u³ − 30u² − 18u − 2).
        result *= (c36 * b30 * a18 * t.Square()).Conjugate();
        return result;
    }
}
