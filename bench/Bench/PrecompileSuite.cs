using System.Diagnostics;
using System.Text.Json;
using BeamSync.Core.Specs;
using BeamSync.Evm.Precompiles;

namespace BeamSync.Bench;

/// <summary>
/// The one-shot <c>precompiles</c> mode: for each curve precompile (and ecrecover beside them), every valid case of
/// its go-ethereum vector files in shared/fixtures/precompiles runs once and must return the fixture's output; a
/// short screening pass then times each case, and the few slowest per gas (under the EIP's price at
/// <see cref="PricingFork"/>) are timed properly: each round repeats the call until <c>--min-ms</c> passed, the
/// median round gives the time per call. The slowest per gas of those is the precompile's worst case and its
/// Mgas/s the figure that matters: a block full of calls to it takes that long per gas. Times are wall clock and
/// process CPU (steadier on a loaded machine; equal on a quiet one); Mgas/s is from the CPU time.
/// Output columns: precompile, case, gas, wall and CPU microseconds per call, Mgas/s.
/// Run: dotnet run -c Release --project bench/Bench -- precompiles [name-filter] [--rounds 5] [--min-ms 200]
/// </summary>
internal static class PrecompileSuite
{
    private const Fork PricingFork = Fork.Osaka;

    /// <summary>How many of the slowest screened cases get the full measurement (screening under load is noisy).</summary>
    private const int Finalists = 3;

    private const double ScreenMilliseconds = 3;

    /// <summary>The precompiles measured and the vector files that hold their cases (blsG1Mul/G2Mul are one-pair MSMs).</summary>
    private static readonly (string Name, ushort Number, string[] Files)[] Precompiles =
    [
        ("ecrecover", 0x01, ["ecRecover.json"]),
        ("bn254-add", 0x06, ["bn256Add.json"]),
        ("bn254-mul", 0x07, ["bn256ScalarMul.json"]),
        ("bn254-pairing", 0x08, ["bn256Pairing.json"]),
        ("kzg-point-evaluation", 0x0a, ["pointEvaluation.json"]),
        ("bls-g1add", 0x0b, ["blsG1Add.json"]),
        ("bls-g1msm", 0x0c, ["blsG1Mul.json", "blsG1MultiExp.json"]),
        ("bls-g2add", 0x0d, ["blsG2Add.json"]),
        ("bls-g2msm", 0x0e, ["blsG2Mul.json", "blsG2MultiExp.json"]),
        ("bls-pairing", 0x0f, ["blsPairing.json"]),
        ("bls-map-fp-to-g1", 0x10, ["blsMapG1.json"]),
        ("bls-map-fp2-to-g2", 0x11, ["blsMapG2.json"]),
        ("p256verify", 0x100, ["p256Verify.json"]),
    ];

    private sealed record Case(string Name, byte[] Input, long Gas);

    public static int Run(string[] args)
    {
        string? filter = null;
        int rounds = 5;
        double minMs = 200;
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] == "--rounds" && i + 1 < args.Length) rounds = int.Parse(args[++i]);
            else if (args[i] == "--min-ms" && i + 1 < args.Length) minMs = double.Parse(args[++i]);
            else filter = args[i];
        }

        string folder = Path.Combine(FixturePaths.Root(), "precompiles");
        Console.WriteLine($"{"precompile",-22} {"worst case per gas",-60} {"gas",8} {"us/call",10} {"cpu-us",10} {"Mgas/s",8}");
        int failures = 0;
        foreach (var (name, number, files) in Precompiles)
        {
            if (filter is not null && !name.Contains(filter, StringComparison.Ordinal)) continue;
            IPrecompile precompile = PrecompileSet.Get(PrecompileAddress.Of(number), PricingFork)!;
            var cases = new List<Case>();
            foreach (string file in files)
                failures += LoadChecked(precompile, Path.Combine(folder, file), cases);
            if (cases.Count == 0) continue;

            WarmUp(precompile, cases);
            var finalists = cases.OrderByDescending(c => Time(precompile, c, 1, ScreenMilliseconds).Cpu / c.Gas).Take(Finalists);
            var (worst, (wall, cpu)) = finalists
                .Select(c => (Case: c, Time: Time(precompile, c, rounds, minMs)))
                .MaxBy(m => m.Time.Cpu / m.Case.Gas);
            Console.WriteLine($"{name,-22} {Truncate(worst.Name, 60),-60} {worst.Gas,8} {wall,10:F1} {cpu,10:F1} {worst.Gas / cpu,8:F1}");
        }
        return failures == 0 ? 0 : 1;
    }

    /// <summary>Adds the file's cases, each run once and checked against the fixture's output; returns the failures.</summary>
    private static int LoadChecked(IPrecompile precompile, string path, List<Case> cases)
    {
        int failures = 0;
        using var document = JsonDocument.Parse(File.ReadAllBytes(path));
        foreach (JsonElement element in document.RootElement.EnumerateArray())
        {
            string name = element.GetProperty("Name").GetString()!;
            byte[] input = Convert.FromHexString(element.GetProperty("Input").GetString()!);
            byte[] expected = Convert.FromHexString(element.GetProperty("Expected").GetString()!);
            long gas = precompile.GasCost(input, PricingFork);
            if (!precompile.TryRun(input, PricingFork, out byte[] output) || !output.AsSpan().SequenceEqual(expected))
            {
                Console.WriteLine($"{Path.GetFileName(path)} {name}: FAILED, output {Convert.ToHexString(output ?? [])}");
                failures++;
            }
            else if (gas > 0) cases.Add(new Case(name, input, gas));
        }
        return failures;
    }

    /// <summary>
    /// Calls every case in turn until the tiered JIT has optimized the code: it needs 30 calls of a method, then a
    /// quiet spell and a background compile, and on a loaded machine that thread waits for a core, so the first
    /// few hundred calls of a long precompile (KZG) run at up to three times the steady-state time.
    /// </summary>
    private static void WarmUp(IPrecompile precompile, List<Case> cases)
    {
        var watch = Stopwatch.StartNew();
        int calls = 0;
        for (int pass = 0; pass < 3 || calls < WarmUpCalls || watch.ElapsedMilliseconds < WarmUpMilliseconds; pass++)
        {
            foreach (Case c in cases)
                precompile.TryRun(c.Input, PricingFork, out _);
            calls += cases.Count;
        }
    }

    private const int WarmUpCalls = 300;
    private const int WarmUpMilliseconds = 2_000;

    private static (double Wall, double Cpu) Time(IPrecompile precompile, Case c, int rounds, double minMs) =>
        MedianTimer.Measure(() => precompile.TryRun(c.Input, PricingFork, out _), rounds, minMs);

    private static string Truncate(string text, int length) => text.Length <= length ? text : text[..(length - 1)] + "…";
}
