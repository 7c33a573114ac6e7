using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;
using BeamSync.Evm.Precompiles.Bls12381;

namespace BeamSync.Evm.Tests.Precompiles;

/// <summary>
/// The base field's word-product kernels, machine code (<see cref="FpNativeKernels"/>) and managed, each against
/// BigInteger at raw Montgomery limbs: the carry patterns (all-ones limbs, values next to p and p·2^384, powers of
/// two) and random values over each kernel's whole input range.
/// </summary>
public class BlsFieldKernelTests
{
    private static readonly BigInteger P = Fp.Modulus;
    private static readonly BigInteger RInverse = BigInteger.ModPow(BigInteger.Pow(2, 384), P - 2, P);

    [Fact]
    public void Machine_code_kernels_are_used_on_a_linux_x64_cpu_with_bmi2_and_adx()
    {
        bool expected = OperatingSystem.IsLinux() && RuntimeInformation.ProcessArchitecture == Architecture.X64
            && X86Base.IsSupported && (X86Base.CpuId(7, 0).Ebx & ((1 << 8) | (1 << 19))) == ((1 << 8) | (1 << 19))
            && Environment.GetEnvironmentVariable("BEAMSYNC_BLS_MANAGED_FIELD") != "1";
        Assert.Equal(expected, FpNativeKernels.IsAvailable);
    }

    [Fact]
    public void Montgomery_products_match_BigInteger()
    {
        foreach (var (a, b) in Pairs(EdgesBelow(P), P))
        {
            BigInteger expected = a * b * RInverse % P;
            Fp fa = Raw(a), fb = Raw(b);
            Assert.Equal(expected, Value(Fp.MultiplyManaged(fa, fb)));
            if (FpNativeKernels.IsAvailable) Assert.Equal(expected, Value(FpNativeKernels.Multiply(fa, fb)));
        }
    }

    /// <summary>Inputs up to 2p: the lazy Fp2 products multiply unreduced sums.</summary>
    [Fact]
    public void Wide_products_match_BigInteger()
    {
        foreach (var (a, b) in Pairs(EdgesBelow(2 * P), 2 * P))
        {
            BigInteger expected = a * b;
            Fp fa = Raw(a), fb = Raw(b);
            Assert.Equal(expected, Value(FpWide.MultiplyManaged(fa, fb)));
            Assert.Equal(a * a, Value(FpWide.SquareManaged(fa)));
            if (FpNativeKernels.IsAvailable) Assert.Equal(expected, Value(FpNativeKernels.WideMultiply(fa, fb)));
        }
    }

    [Fact]
    public void Reductions_match_BigInteger_below_p_times_2_to_384()
    {
        BigInteger bound = P << 384;
        var values = new List<BigInteger> { 0, 1, bound - 1, bound - BigInteger.Pow(2, 384), (P - 1) * (P - 1), 4 * P * P - 1 };
        values.AddRange(EdgesBelow(P).Select(e => e << 384));
        values.AddRange(EdgesBelow(P).Select(e => bound - 1 - e));
        for (int limbs = 1; limbs <= 11; limbs++) values.Add(BigInteger.Pow(2, 64 * limbs) - 1);
        var random = new Random(18);
        for (int i = 0; i < 3000; i++) values.Add(RandomBelow(random, bound));
        foreach (BigInteger w in values.Where(v => v < bound))
        {
            BigInteger expected = w * RInverse % P;
            FpWide wide = RawWide(w);
            Assert.Equal(expected, Value(wide.ReduceManaged()));
            if (FpNativeKernels.IsAvailable) Assert.Equal(expected, Value(FpNativeKernels.WideReduce(wide)));
        }
    }

    /// <summary>The Fp2 kernels (u² = −1) on coefficients below p: product, unreduced product, square.</summary>
    [Fact]
    public void Fp2_kernels_match_BigInteger()
    {
        List<BigInteger> edges = EdgesBelow(P);
        var random = new Random(2537);
        var cases = new List<(BigInteger, BigInteger, BigInteger, BigInteger)>();
        foreach (BigInteger x in edges)
            foreach (BigInteger y in edges)
                cases.Add((x, y, y, x));
        for (int i = 0; i < 2000; i++) cases.Add((RandomBelow(random, P), RandomBelow(random, P), RandomBelow(random, P), RandomBelow(random, P)));
        foreach (var (a0, a1, b0, b1) in cases)
        {
            Fp2 a = new(Raw(a0), Raw(a1)), b = new(Raw(b0), Raw(b1));
            BigInteger real = a0 * b0 - a1 * b1, imaginary = a0 * b1 + a1 * b0;
            BigInteger wideReal = real >= 0 ? real : real + (P << 384);
            Fp2 managed = Fp2.MultiplyManaged(a, b), managedSquare = a.SquareManaged();
            Fp2Wide managedWide = Fp2Wide.MultiplyManaged(a, b);
            AssertFp2(Mod(real * RInverse), Mod(imaginary * RInverse), managed);
            AssertFp2(Mod((a0 * a0 - a1 * a1) * RInverse), Mod(2 * a0 * a1 * RInverse), managedSquare);
            Assert.Equal(wideReal, Value(managedWide.C0));
            Assert.Equal(imaginary, Value(managedWide.C1));
            if (!FpNativeKernels.IsAvailable) continue;
            AssertFp2(Mod(real * RInverse), Mod(imaginary * RInverse), FpNativeKernels.Fp2Multiply(a, b));
            AssertFp2(Mod((a0 * a0 - a1 * a1) * RInverse), Mod(2 * a0 * a1 * RInverse), FpNativeKernels.Fp2Square(a));
            Fp2Wide wide = FpNativeKernels.Fp2WideMultiply(a, b);
            Assert.Equal(wideReal, Value(wide.C0));
            Assert.Equal(imaginary, Value(wide.C1));
        }
    }

    /// <summary>
    /// The compressed cyclotomic squaring is a fixed formula in g2…g5 (it needs no subgroup element to be computed),
    /// so the machine code is compared with the managed formula on random and edge coefficients.
    /// </summary>
    [Fact]
    public void Compressed_cyclotomic_square_kernel_matches_the_managed_formula()
    {
        if (!FpNativeKernels.IsAvailable) return;
        List<BigInteger> edges = EdgesBelow(P);
        var random = new Random(12);
        for (int i = 0; i < 1500; i++)
        {
            Fp2 Next() => i < edges.Count * 2 && random.Next(2) == 0
                ? new Fp2(Raw(edges[random.Next(edges.Count)]), Raw(edges[random.Next(edges.Count)]))
                : new Fp2(Raw(RandomBelow(random, P)), Raw(RandomBelow(random, P)));
            var compressed = new Fp12.KarabinaCompressed(Next(), Next(), Next(), Next());
            Fp12.KarabinaCompressed expected = compressed.SquareManaged(), actual = FpNativeKernels.KarabinaSquare(compressed);
            Assert.Equal(expected.G2, actual.G2);
            Assert.Equal(expected.G3, actual.G3);
            Assert.Equal(expected.G4, actual.G4);
            Assert.Equal(expected.G5, actual.G5);
        }
    }

    private static BigInteger Mod(BigInteger value) => (value % P + P) % P;

    private static void AssertFp2(BigInteger c0, BigInteger c1, in Fp2 actual)
    {
        Assert.Equal(c0, Value(actual.C0));
        Assert.Equal(c1, Value(actual.C1));
    }

    /// <summary>Every pair of edge values, then random pairs below the bound.</summary>
    private static IEnumerable<(BigInteger, BigInteger)> Pairs(List<BigInteger> edges, BigInteger bound)
    {
        foreach (BigInteger a in edges)
            foreach (BigInteger b in edges)
                yield return (a, b);
        var random = new Random(4844);
        for (int i = 0; i < 3000; i++) yield return (RandomBelow(random, bound), RandomBelow(random, bound));
    }

    private static List<BigInteger> EdgesBelow(BigInteger bound)
    {
        var values = new List<BigInteger> { 0, 1, 2, 3, P - 1, P - 2, (P - 1) / 2, (P + 1) / 2, P - BigInteger.Pow(2, 64) };
        for (int bits = 63; bits <= 381; bits += 64) values.Add(BigInteger.Pow(2, bits));
        for (int limbs = 1; limbs <= 5; limbs++) values.Add(BigInteger.Pow(2, 64 * limbs) - 1);
        values.Add(bound - 1);
        values.Add(bound - 2);
        return values.Where(v => v < bound).Distinct().ToList();
    }

    private static BigInteger RandomBelow(Random random, BigInteger bound)
    {
        var bytes = new byte[97];
        random.NextBytes(bytes);
        // Half of the values keep their top bits so the carries out of the high limbs are exercised too.
        BigInteger value = new BigInteger(bytes, isUnsigned: true) % bound;
        return random.Next(2) == 0 ? value : bound - 1 - value / 1000;
    }

    private static ulong[] Limbs(BigInteger value, int count)
    {
        var limbs = new ulong[count];
        for (int i = 0; i < count; i++) limbs[i] = (ulong)((value >> (64 * i)) & ulong.MaxValue);
        return limbs;
    }

    private static Fp Raw(BigInteger value)
    {
        ulong[] l = Limbs(value, 6);
        return new Fp(l[0], l[1], l[2], l[3], l[4], l[5]);
    }

    private static FpWide RawWide(BigInteger value)
    {
        ulong[] l = Limbs(value, 12);
        return new FpWide(l[0], l[1], l[2], l[3], l[4], l[5], l[6], l[7], l[8], l[9], l[10], l[11]);
    }

    private static BigInteger Value(in Fp f) => Combine([f.U0, f.U1, f.U2, f.U3, f.U4, f.U5]);

    private static BigInteger Value(in FpWide w) =>
        Combine([w.W0, w.W1, w.W2, w.W3, w.W4, w.W5, w.W6, w.W7, w.W8, w.W9, w.W10, w.W11]);

    private static BigInteger Combine(ulong[] limbs)
    {
        BigInteger value = 0;
        for (int i = limbs.Length - 1; i >= 0; i--) value = (value << 64) | limbs[i];
        return value;
    }
}
