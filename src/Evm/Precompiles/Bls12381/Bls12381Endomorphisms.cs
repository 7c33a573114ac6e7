namespace BeamSync.Evm.Precompiles.Bls12381;

/// <summary>
/// The endomorphisms behind fast subgroup checks and cofactor clearing: φ(x, y) = (βx, y) on E with β a cube root of
/// unity, acting on G1 as [−x²]; ψ = twist⁻¹ ∘ Frobenius ∘ twist on E', acting on G2 as [x]. Membership then costs
/// one multiplication by a 64- or 128-bit number instead of by r (Bowe 2019; Scott 2021). Constants; thread-safe.
/// </summary>
public static class Bls12381Endomorphisms
{
    private static readonly ulong[] AbsXLimbs = [Bls12381Curve.AbsX];

    /// <summary>ψ's coefficients: 1/ξ^((p−1)/3) for x and 1/ξ^((p−1)/2) for y.</summary>
    private static readonly Fp2 PsiX = new Fp2(Fp.One, Fp.One).Pow(Fp.LimbsOf((Fp.Modulus - 1) / 3)).Inverse();
    private static readonly Fp2 PsiY = new Fp2(Fp.One, Fp.One).Pow(Fp.LimbsOf((Fp.Modulus - 1) / 2)).Inverse();

    /// <summary>The cube root of unity for which φ(P) = [−x²]P on G1, chosen against the generator at start-up.</summary>
    private static readonly Fp Beta = ChooseBeta();

    public static JacobianPoint<Fp> Phi(in JacobianPoint<Fp> p) => new(p.X * Beta, p.Y, p.Z);

    public static JacobianPoint<Fp2> Psi(in JacobianPoint<Fp2> q) =>
        new(q.X.Conjugate() * PsiX, q.Y.Conjugate() * PsiY, q.Z.Conjugate());

    /// <summary>[x]Q for the (negative) curve parameter x.</summary>
    public static JacobianPoint<T> MultiplyByX<T>(in JacobianPoint<T> p) where T : unmanaged, IBlsField<T> =>
        p.Multiply(AbsXLimbs).Negate();

    /// <summary>
    /// P ∈ G1 ⇔ φ(P) = [−x²]P, for P on E. [x²]P is taken as [|x|]([|x|]P): |x| has six set bits where x² has
    /// seventeen, so the same doublings come with ten additions instead of seventeen.
    /// </summary>
    public static bool IsInG1Subgroup(in JacobianPoint<Fp> p) => IsInG1Subgroup(p, out _);

    /// <summary>As <see cref="IsInG1Subgroup(in JacobianPoint{Fp})"/>, also giving [|x|]P, which the test computes on the way.</summary>
    public static bool IsInG1Subgroup(in JacobianPoint<Fp> p, out JacobianPoint<Fp> timesAbsX)
    {
        timesAbsX = p.IsInfinity ? p : p.Multiply(AbsXLimbs);
        return p.IsInfinity || Phi(p).IsSamePoint(timesAbsX.Multiply(AbsXLimbs).Negate());
    }

    /// <summary>Q ∈ G2 ⇔ ψ(Q) = [x]Q, for Q on E'.</summary>
    public static bool IsInG2Subgroup(in JacobianPoint<Fp2> q) =>
        q.IsInfinity || Psi(q).IsSamePoint(MultiplyByX(q));

    /// <summary>
    /// [h_eff]Q = [x² − x − 1]Q + [x − 1]ψ(Q) + ψ²(2Q) (Budroni–Pintore; RFC 9380 appendix G.3), about two
    /// 64-bit multiplications instead of one by the 636-bit h_eff.
    /// </summary>
    public static JacobianPoint<Fp2> ClearG2Cofactor(in JacobianPoint<Fp2> q)
    {
        JacobianPoint<Fp2> t1 = MultiplyByX(q);
        JacobianPoint<Fp2> t2 = Psi(q);
        JacobianPoint<Fp2> t3 = Psi(Psi(q.Double())) - t2;
        t2 = MultiplyByX(t1 + t2);
        t3 = t3 + t2 - t1;
        return t3 - q;
    }

    private static ulong[] SquareOfAbsX()
    {
        ulong high = Math.BigMul(Bls12381Curve.AbsX, Bls12381Curve.AbsX, out ulong low);
        return [low, high];
    }

    private static Fp ChooseBeta()
    {
        Fp omega = Fp.FromUInt64(2).Pow(Fp.LimbsOf((Fp.Modulus - 1) / 3));
        JacobianPoint<Fp> g = Bls12381Curve.G1Generator;
        JacobianPoint<Fp> target = g.Multiply(SquareOfAbsX()).Negate();
        foreach (Fp candidate in new[] { omega, omega.Square() })
            if (new JacobianPoint<Fp>(g.X * candidate, g.Y, g.Z).IsSamePoint(target)) return candidate;
        throw new InvalidOperationException("no cube root of unity acts as [-x^2] on G1");
    }
}
