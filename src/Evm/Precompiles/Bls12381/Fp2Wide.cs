using System.Runtime.CompilerServices;

namespace BeamSync.Evm.Precompiles.Bls12381;

/// <summary>
/// An unreduced Fp2 value: each coefficient a double-width <see cref="FpWide"/> kept below p·2^384 (sums and
/// differences taken modulo p·2^384), so products in Fp6 combine before their one Montgomery reduction per
/// coefficient instead of after each Fp2 product.
/// </summary>
[SkipLocalsInit]
internal readonly struct Fp2Wide
{
    internal readonly FpWide C0, C1;

    internal Fp2Wide(in FpWide c0, in FpWide c1) { C0 = c0; C1 = c1; }

    /// <summary>
    /// Karatsuba: three double-width products (the cross one of unreduced sums, below 4p²). a0·b0 − a1·b1 may be
    /// negative, so p·2^384 is added there; a0·b1 + a1·b0 is below 2p², inside the bound as it is.
    /// </summary>
    public static Fp2Wide Multiply(in Fp2 a, in Fp2 b) =>
        FpNativeKernels.IsAvailable ? FpNativeKernels.Fp2WideMultiply(a, b) : MultiplyManaged(a, b);

    internal static Fp2Wide MultiplyManaged(in Fp2 a, in Fp2 b)
    {
        FpWide aa = FpWide.Multiply(a.C0, b.C0);
        FpWide bb = FpWide.Multiply(a.C1, b.C1);
        FpWide cross = FpWide.Multiply(Fp.AddUnreduced(a.C0, a.C1), Fp.AddUnreduced(b.C0, b.C1));
        return new Fp2Wide(FpWide.SubtractModPR(aa, bb), cross - aa - bb);
    }

    public static Fp2Wide operator +(in Fp2Wide a, in Fp2Wide b) =>
        new(FpWide.AddModPR(a.C0, b.C0), FpWide.AddModPR(a.C1, b.C1));

    public static Fp2Wide operator -(in Fp2Wide a, in Fp2Wide b) =>
        new(FpWide.SubtractModPR(a.C0, b.C0), FpWide.SubtractModPR(a.C1, b.C1));

    /// <summary>Multiplication by ξ = 1 + u, as <see cref="Fp2.MulByNonResidue"/>.</summary>
    public Fp2Wide MulByNonResidue() => new(FpWide.SubtractModPR(C0, C1), FpWide.AddModPR(C0, C1));

    public Fp2 Reduce() => new(C0.Reduce(), C1.Reduce());
}
