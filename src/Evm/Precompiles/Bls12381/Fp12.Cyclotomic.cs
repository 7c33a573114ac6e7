namespace BeamSync.Evm.Precompiles.Bls12381;

public readonly partial struct Fp12
{
    /// <summary>
    /// Squaring for elements of the cyclotomic subgroup (norm 1, as after the final exponentiation's easy part):
    /// Granger–Scott. Seen as A + B·w + C·w² over Fp4 = Fp2[t]/(t² − ξ), t = w³, the square is
    /// (3A² − 2Ā) + (3t·C² + 2B̄)·w + (3B² − 2C̄)·w², three Fp4 squarings instead of a full Fp12 squaring.
    /// Wrong for elements outside that subgroup.
    /// </summary>
    public Fp12 CyclotomicSquare()
    {
        Fp2 z0 = C0.C0, z1 = C1.C0, z2 = C0.C1, z3 = C1.C1, z4 = C0.C2, z5 = C1.C2;
        SquareFp4(z0, z3, out Fp2 a0, out Fp2 a1);
        SquareFp4(z1, z4, out Fp2 b0, out Fp2 b1);
        SquareFp4(z2, z5, out Fp2 c0, out Fp2 c1);
        Fp2 tc = c1.MulByNonResidue();

        z0 = (a0 - z0).Double() + a0;
        z3 = (a1 + z3).Double() + a1;
        z1 = (tc + z1).Double() + tc;
        z4 = (c0 - z4).Double() + c0;
        z2 = (b0 - z2).Double() + b0;
        z5 = (b1 + z5).Double() + b1;
        return new Fp12(new Fp6(z0, z2, z4), new Fp6(z1, z3, z5));
    }

    /// <summary>(x + y·t)² = (x² + ξy²) + 2xy·t.</summary>
    private static void SquareFp4(in Fp2 x, in Fp2 y, out Fp2 c0, out Fp2 c1)
    {
        Fp2 x2 = x.Square();
        Fp2 y2 = y.Square();
        c0 = y2.MulByNonResidue() + x2;
        c1 = (x + y).Square() - x2 - y2;
    }
}
