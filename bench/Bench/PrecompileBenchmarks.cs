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
/// Precompile throughput on go-ethereum's vectors (shared/fixtures/precompiles) plus one synthetic modexp with a
/// 2048-bit base, exponent and modulus. Columns: the case's gas, Mgas/s at the measured mean, and pairs/s for the pairing.
/// Run: dotnet run -c Release --project bench/Bench -- --filter '*Precompile*' --job short
/// </summary>
[Config(typeof(GasColumns))]
public class PrecompileBenchmarks
{
    /// <summary>file/vector name, precompile number, fork whose pricing the file uses.</summary>
    private static readonly Dictionary<string, (string File, string Vector, ushort Number, Fork Fork)> Cases = new()
    {
        ["ecrecover"] = ("ecRecover.json", "ValidKey", 0x01, Fork.Cancun),
        ["bn256-add"] = ("bn256Add.json", "chfast1", 0x06, Fork.Cancun),
        ["bn256-mul"] = ("bn256ScalarMul.json", "chfast1", 0x07, Fork.Cancun),
        ["bn256-pairing-2"] = ("bn256Pairing.json", "jeff1", 0x08, Fork.Cancun),
        ["bn256-pairing-10"] = ("bn256Pairing.json", "ten_point_match_1", 0x08, Fork.Cancun),
        ["blake2f-12"] = ("blake2F.json", "vector 5", 0x09, Fork.Cancun),
        ["modexp-nagydani-3-pow0x10001"] = ("modexp_eip2565.json", "nagydani-3-pow0x10001", 0x05, Fork.Cancun),
        ["modexp-nagydani-5-pow0x10001"] = ("modexp_eip2565.json", "nagydani-5-pow0x10001", 0x05, Fork.Cancun),
        ["modexp-2048-bit-exponent"] = ("", "synthetic", 0x05, Fork.Cancun),
    };

    public static IEnumerable<string> CaseNames => Cases.Keys;

    [ParamsSource(nameof(CaseNames))]
    public string Case { get; set; } = "";

    private IPrecompile _precompile = null!;
    private byte[] _input = [];
    private Fork _fork;

    [GlobalSetup]
    public void Setup()
    {
        var (file, vector, number, fork) = Cases[Case];
        _input = Input(file, vector);
        _fork = fork;
        _precompile = PrecompileSet.Get(PrecompileAddress.Of(number), fork)!;
        if (!_precompile.TryRun(_input, fork, out _)) throw new InvalidOperationException($"{Case} fails");
    }

    [Benchmark]
    public byte[] Run()
    {
        _precompile.TryRun(_input, _fork, out byte[] output);
        return output;
    }

    internal static (long Gas, int Pairs) Describe(string name)
    {
        var (file, vector, number, fork) = Cases[name];
        byte[] input = Input(file, vector);
        IPrecompile precompile = PrecompileSet.Get(PrecompileAddress.Of(number), fork)!;
        return (precompile.GasCost(input, fork), number == 0x08 ? input.Length / 192 : 0);
    }

    private static byte[] Input(string file, string vector)
    {
        if (file.Length == 0) return Synthetic2048BitModExp();
        string path = Path.Combine(FixtureFolder(), file);
        using var document = JsonDocument.Parse(File.ReadAllBytes(path));
        foreach (JsonElement element in document.RootElement.EnumerateArray())
            if (element.GetProperty("Name").GetString() == vector)
                return Convert.FromHexString(element.GetProperty("Input").GetString()!);
        throw new InvalidOperationException($"{vector} not in {path}");
    }

    /// <summary>base, exponent and modulus of 256 bytes each (odd modulus), from a fixed seed.</summary>
    private static byte[] Synthetic2048BitModExp()
    {
        var random = new Random(2048);
        byte[] operands = new byte[3 * 256];
        random.NextBytes(operands);
        operands[256] |= 0x80;      // full-length exponent
        operands[^1] |= 1;
        byte[] header = new byte[96];
        header[30] = 1; header[62] = 1; header[94] = 1; // 256 = 0x0100 in each length word
        return [.. header, .. operands];
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

    private sealed class GasColumns : ManualConfig
    {
        public GasColumns()
        {
            AddColumn(new CaseColumn("Gas", (gas, _, _) => gas.ToString()));
            AddColumn(new CaseColumn("Mgas/s", (gas, _, meanNs) => (gas / meanNs * 1000).ToString("F1")));
            AddColumn(new CaseColumn("Pairs/s", (_, pairs, meanNs) => pairs == 0 ? "-" : (pairs / meanNs * 1e9).ToString("F0")));
        }
    }

    private sealed class CaseColumn(string name, Func<long, int, double, string> format) : IColumn
    {
        public string Id => "Precompile" + name;
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
            var caseName = (string)benchmarkCase.Parameters["Case"];
            double? mean = summary[benchmarkCase]?.ResultStatistics?.Mean;
            if (mean is null) return "?";
            var (gas, pairs) = Describe(caseName);
            return format(gas, pairs, mean.Value);
        }
    }
}
