using BenchmarkDotNet.Running;

// One-shot modes that BenchmarkDotNet's repeated iterations suit badly run first; everything else is BenchmarkDotNet.
if (args.Length > 0 && args[0] == "trie-load")
{
    BeamSync.Bench.TrieLoad.Run(args[1..]);
    return;
}
if (args.Length > 0 && args[0] == "full-proof")
{
    BeamSync.Bench.FullProof.Run(args[1..]);
    return;
}
if (args.Length > 0 && args[0] == "erc20-block")
{
    BeamSync.Bench.Erc20Export.Run(args[1..]);
    return;
}
if (args.Length > 0 && args[0] == "erc20-alloc")
{
    BeamSync.Bench.Erc20Allocations.Run(args[1..]);
    return;
}
if (args.Length > 0 && args[0] == "evm")
{
    Environment.ExitCode = BeamSync.Bench.EvmSuite.Run(args[1..]);
    return;
}
if (args.Length > 0 && args[0] == "precompiles")
{
    Environment.ExitCode = BeamSync.Bench.PrecompileSuite.Run(args[1..]);
    return;
}
if (args.Length > 0 && args[0] == "kzg-breakdown")
{
    Environment.ExitCode = BeamSync.Bench.KzgBreakdown.Run(args[1..]);
    return;
}
if (args.Length > 0 && args[0] == "import")
{
    BeamSync.Bench.ImportBench.Run(args[1..]);
    return;
}
if (args.Length > 0 && args[0] == "devnet-block")
{
    BeamSync.Bench.DevnetExport.Run(args[1..]);
    return;
}
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
