using BenchmarkDotNet.Attributes;

namespace BeamSync.Bench;

/// <summary>
/// The P256 precompile on its go-ethereum vector: gas, Mgas/s and calls/s (columns from <see cref="NewPrecompileCases"/>).
/// Run: dotnet run -c Release --project bench/Bench -- --filter '*P256Benchmarks*' --job short --inProcess
/// </summary>
[Config(typeof(NewPrecompileCases.Columns))]
public class P256Benchmarks
{
    public static IEnumerable<string> CaseNames => NewPrecompileCases.Names("p256");

    [ParamsSource(nameof(CaseNames))]
    public string Case { get; set; } = "";

    private NewPrecompileCases.Prepared _prepared = null!;

    [GlobalSetup]
    public void Setup() => _prepared = NewPrecompileCases.Prepare(Case);

    [Benchmark]
    public byte[] Run() => _prepared.Run();
}
