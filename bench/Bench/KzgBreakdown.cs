using System.Text.Json;
using BeamSync.Evm.Precompiles.Bls12381;
using BeamSync.Evm.Precompiles.Kzg;

namespace BeamSync.Bench;

/// <summary>
/// The <c>kzg-breakdown</c> mode: the steps of one point evaluation (the go-ethereum vector's commitment, proof, z and
/// y) timed one by one, with the field operations they are built from, to see where the ~2 ms go. CPU microseconds
/// per call (median of rounds, see <see cref="MedianTimer"/>); a step's figure includes its own conversions only.
/// Run: dotnet run -c Release --project bench/Bench -- kzg-breakdown [step-filter] [--rounds 5] [--min-ms 200]
/// </summary>
internal static class KzgBreakdown
{
    public static int Run(string[] args)
    {
        int rounds = 5;
        double minMs = 200;
        string? filter = null;
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] == "--rounds" && i + 1 < args.Length) rounds = int.Parse(args[++i]);
            else if (args[i] == "--min-ms" && i + 1 < args.Length) minMs = double.Parse(args[++i]);
            else filter = args[i];
        }

        string path = Path.Combine(FixturePaths.Root(), "precompiles", "pointEvaluation.json");
        using var document = JsonDocument.Parse(File.ReadAllBytes(path));
        byte[] input = Convert.FromHexString(document.RootElement[0].GetProperty("Input").GetString()!);
        byte[] z = input[32..64], y = input[64..96], commitment48 = input[96..144], proof48 = input[144..192];

        if (!Bls12381Compressed.TryDecompressG1(commitment48, out JacobianPoint<Fp> commitment)
            || !Bls12381Compressed.TryDecompressG1(proof48, out JacobianPoint<Fp> proof))
            throw new InvalidDataException("the vector's points do not decode");
        Bls12381Endomorphisms.IsInG1Subgroup(proof, out JacobianPoint<Fp> proofTimesAbsX);
        JacobianPoint<Fp> left = commitment - KzgTrustedSetup.G1Table.Multiply(y) + Bls12381Msm.ComputeG1([proof], z);
        proof.ToAffine(out Fp px, out Fp py);
        left.ToAffine(out Fp lx, out Fp ly);
        Fp[] xs = [px, lx], ys = [py, ly];
        Fp12 miller = Bls12381Pairing.MillerLoop([new Bls12381Pairing.Pair(px, py, KzgTrustedSetup.G2.X, KzgTrustedSetup.G2.Y)]);
        Fp12 cyclotomic = miller.Conjugate() * miller.Inverse();
        cyclotomic = cyclotomic.Frobenius().Frobenius() * cyclotomic;
        Fp a = px, b = ly;
        Fp2 a2 = new(px, py), b2 = new(lx, ly);

        (string Name, Action Call)[] steps =
        [
            ("verify (whole)", () => KzgProof.Verify(commitment48, z, y, proof48)),
            ("decompress G1 (one)", () => Bls12381Compressed.TryDecompressG1(commitment48, out _)),
            ("G1 subgroup check (one)", () => Bls12381Curve.IsInG1Subgroup(commitment)),
            ("[y]G1 fixed base", () => KzgTrustedSetup.G1Table.Multiply(y)),
            ("[z]proof (GLV)", () => Bls12381Msm.ComputeG1([proof], z)),
            ("[z]proof from [|x|]proof (base |x|)", () => Bls12381Msm.MultiplyG1(proof, proofTimesAbsX, z)),
            ("to affine (one)", () => left.ToAffine(out _, out _)),
            ("pairing check (Miller + final exp)", () => Bls12381Pairing.ProductIsOneWithUnitLines(xs, ys, KzgTrustedSetup.OpeningCheckLines)),
            ("pairing check from Jacobian points", () => Bls12381Pairing.ProductIsOneWithUnitLines(proof, left, KzgTrustedSetup.OpeningCheckLines)),
            ("final exponentiation", () => Bls12381Pairing.FinalExponentiation(miller)),
            ("Fp12 product", () => _ = miller * cyclotomic),
            ("Fp12 square", () => _ = miller.Square()),
            ("Fp12 cyclotomic square", () => _ = cyclotomic.CyclotomicSquare()),
            ("Fp12 cyclotomic pow |x|", () => _ = cyclotomic.CyclotomicPow(Bls12381Curve.AbsX)),
            ("Fp12 inverse", () => _ = miller.Inverse()),
            ("Fp sqrt", () => a.TrySqrt(out _)),
            ("Fp inverse", () => _ = a.Inverse()),
        ];
        (string Name, Func<int> Chain)[] fieldOps =
        [
            ("Fp product", () => { Fp x = a; for (int i = 0; i < 1000; i++) x *= b; return x.IsZero ? 1 : 0; }),
            ("Fp square", () => { Fp x = a; for (int i = 0; i < 1000; i++) x = x.Square(); return x.IsZero ? 1 : 0; }),
            ("Fp sum", () => { Fp x = a; for (int i = 0; i < 1000; i++) x += b; return x.IsZero ? 1 : 0; }),
            ("Fp2 product", () => { Fp2 x = a2; for (int i = 0; i < 1000; i++) x *= b2; return x.IsZero ? 1 : 0; }),
            ("Fp2 square", () => { Fp2 x = a2; for (int i = 0; i < 1000; i++) x = x.Square(); return x.IsZero ? 1 : 0; }),
            ("Fp2 sum", () => { Fp2 x = a2; for (int i = 0; i < 1000; i++) x += b2; return x.IsZero ? 1 : 0; }),
        ];

        for (int warm = 0; warm < 300; warm++)
        {
            foreach (var (_, call) in steps) call();
            foreach (var (_, chain) in fieldOps) chain();
        }
        Console.WriteLine($"{"step",-40} {"cpu-us",10} {"min",10}");
        foreach (var (name, call) in steps.Where(s => filter is null || s.Name.Contains(filter, StringComparison.Ordinal)))
            Print(name, call, rounds, minMs);
        foreach (var (name, chain) in fieldOps.Where(s => filter is null || s.Name.Contains(filter, StringComparison.Ordinal)))
            Print(name + " (ns)", () => chain(), rounds, minMs);
        return 0;
    }

    /// <summary>Median and least CPU time per call over the rounds: under load the least is the steadier comparison.</summary>
    private static void Print(string name, Action call, int rounds, double minMs)
    {
        var cpu = new double[rounds];
        for (int r = 0; r < rounds; r++) cpu[r] = MedianTimer.Measure(call, 1, minMs).Cpu;
        Array.Sort(cpu);
        Console.WriteLine($"{name,-40} {cpu[rounds / 2],10:F2} {cpu[0],10:F2}");
    }
}
