using BenchmarkDotNet.Attributes;

namespace BeamSync.Bench;

/// <summary>
/// The Kzg precompile on its go-ethereum vector: gas, Mgas/s and calls/s (columns from <see cref="NewPrecompileCases"/>).
/// Run: dotnet run -c Release --project bench/Bench -- --filter '*KzgBenchmarks*' --job short --inProcess
/// </summary>
[Config(typeof(NewPrecompileCases.Columns))]
public class KzgBenchmarks
{
    public static IEnumerable<string> CaseNames => NewPrecompileCases.Names("kzg");

    [ParamsSource(nameof(CaseNames))]
    public string Case { get; set; } = "";

    private NewPrecompileCases.Prepared _prepared = null!;

    [GlobalSetup]
    public void Setup() => _prepared = NewPrecompileCases.Prepare(Case);

    [Benchmark]
    public byte[] Run() => _prepared.Run();
}
