using System.Text.Json;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using BeamSync.Core.Specs;
using BeamSync.Evm.Precompiles;

namespace BeamSync.Bench;

/// <summary>
/// EIP-2537 precompiles on go-ethereum's vectors: gas, Mgas/s at the measured mean (compare with plain execution,
/// ~300-500 Mgas/s) and calls/s (for the pairing check, checks/s).
/// Run: dotnet run -c Release --project bench/Bench -- --filter '*BlsBenchmarks*' --job short --inProcess
/// </summary>
[Config(typeof(NewPrecompileCases.Columns))]
public class BlsBenchmarks
{
    public static IEnumerable<string> CaseNames => NewPrecompileCases.Names("bls");

    [ParamsSource(nameof(CaseNames))]
    public string Case { get; set; } = "";

    private NewPrecompileCases.Prepared _prepared = null!;

    [GlobalSetup]
    public void Setup() => _prepared = NewPrecompileCases.Prepare(Case);

    [Benchmark]
    public byte[] Run() => _prepared.Run();
}

/// <summary>The vector behind each benchmark case of the Prague/Osaka/Cancun precompiles, and their gas columns.</summary>
internal static class NewPrecompileCases
{
    private static readonly Dictionary<string, (string File, string Vector, ushort Number, Fork Fork)> Cases = new()
    {
        ["bls-g1add"] = ("blsG1Add.json", "bls_g1add_(2*g1+3*g1=5*g1)", 0x0b, Fork.Prague),
        ["bls-g1msm-1"] = ("blsG1Mul.json", "bls_g1mul_(p1+p1=2*p1)", 0x0c, Fork.Prague),
        ["bls-g1msm-10"] = ("blsG1MultiExp.json", "g1msm-10-jwasinger", 0x0c, Fork.Prague),
        ["bls-g2add"] = ("blsG2Add.json", "bls_g2add_(2*g2+3*g2=5*g2)", 0x0d, Fork.Prague),
        ["bls-g2msm-1"] = ("blsG2Mul.json", "bls_g2mul_(p2+p2=2*p2)", 0x0e, Fork.Prague),
        ["bls-g2msm-4"] = ("blsG2MultiExp.json", "g2msm-4-jwasinger", 0x0e, Fork.Prague),
        ["bls-pairing-2"] = ("blsPairing.json", "bls_pairing_e(2*G1,3*G2)=e(6*G1,G2)", 0x0f, Fork.Prague),
        ["bls-pairing-10"] = ("blsPairing.json", "bls_pairing_10paircheckstrue", 0x0f, Fork.Prague),
        ["bls-map-g1"] = ("blsMapG1.json", "matter_fp_to_g1_0", 0x10, Fork.Prague),
        ["bls-map-g2"] = ("blsMapG2.json", "matter_fp2_to_g2_0", 0x11, Fork.Prague),
        ["kzg-point-evaluation"] = ("pointEvaluation.json", "pointEvaluation1", 0x0a, Fork.Cancun),
        ["p256-verify"] = ("p256Verify.json", "CallP256Verify", 0x100, Fork.Osaka),
    };

    public static IEnumerable<string> Names(string prefix) => Cases.Keys.Where(k => k.StartsWith(prefix, StringComparison.Ordinal));

    public sealed class Prepared(IPrecompile precompile, byte[] input, Fork fork)
    {
        public byte[] Run()
        {
            precompile.TryRun(input, fork, out byte[] output);
            return output;
        }
    }

    public static Prepared Prepare(string name)
    {
        var (file, vector, number, fork) = Cases[name];
        byte[] input = Input(file, vector);
        IPrecompile precompile = PrecompileSet.Get(PrecompileAddress.Of(number), fork)!;
        if (!precompile.TryRun(input, fork, out byte[] output) || output.Length == 0) throw new InvalidOperationException($"{name} fails");
        return new Prepared(precompile, input, fork);
    }

    private static long GasOf(string name)
    {
        var (file, vector, number, fork) = Cases[name];
        return PrecompileSet.Get(PrecompileAddress.Of(number), fork)!.GasCost(Input(file, vector), fork);
    }

    private static byte[] Input(string file, string vector)
    {
        string path = Path.Combine(FixtureFolder(), file);
        using var document = JsonDocument.Parse(File.ReadAllBytes(path));
        foreach (JsonElement element in document.RootElement.EnumerateArray())
            if (element.GetProperty("Name").GetString() == vector)
                return Convert.FromHexString(element.GetProperty("Input").GetString()!);
        throw new InvalidOperationException($"{vector} not in {path}");
    }

    private static string FixtureFolder()
    {
        string? configured = Environment.GetEnvironmentVariable("BEAMSYNC_FIXTURES");
        if (!string.IsNullOrEmpty(configured)) return Path.Combine(configured, "precompiles");
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "BeamSync.sln")))
                return Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "fixtures", "precompiles"));
        throw new DirectoryNotFoundException("shared/fixtures/precompiles not found (set BEAMSYNC_FIXTURES)");
    }

    public sealed class Columns : ManualConfig
    {
        public Columns()
        {
            AddColumn(new GasColumn("Gas", (gas, _) => gas.ToString()));
            AddColumn(new GasColumn("Mgas/s", (gas, meanNs) => (gas / meanNs * 1000).ToString("F1")));
            AddColumn(new GasColumn("Calls/s", (_, meanNs) => (1e9 / meanNs).ToString("F0")));
        }
    }

    private sealed class GasColumn(string name, Func<long, double, string> format) : IColumn
    {
        public string Id => "NewPrecompile" + name;
        public string ColumnName => name;
        public bool AlwaysShow => true;
        public ColumnCategory Category => ColumnCategory.Custom;
        public int PriorityInCategory => 0;
        public bool IsNumeric => true;
        public UnitType UnitType => UnitType.Dimensionless;
        public string Legend => name;
        public bool IsAvailable(Summary summary) => true;
        public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
        public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style) => GetValue(summary, benchmarkCase);

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase)
        {
            double? mean = summary[benchmarkCase]?.ResultStatistics?.Mean;
            return mean is null ? "?" : format(GasOf((string)benchmarkCase.Parameters["Case"]), mean.Value);
        }
    }
}
