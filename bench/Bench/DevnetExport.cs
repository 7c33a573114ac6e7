using BeamSync.Node.Devnet;

namespace BeamSync.Bench;

/// <summary>
/// The one-shot <c>devnet-block</c> mode: produces a few blocks of the devnet workload (every transaction kind among
/// them) on a small generated devnet and writes them with the genesis allocation and BeamSync's results
/// (<see cref="DevnetBlockExport"/>), so bench/ethereumjs/devnet-block.mjs re-executes them through @ethereumjs/vm.
/// </summary>
internal static class DevnetExport
{
    public static void Run(string[] args)
    {
        string output = args.Length >= 2 && args[0] == "--export" ? args[1] : "bench/ethereumjs/devnet-block.json";
        var sample = DevnetBlockExport.Produce(DevnetBlockExport.SampleOptions, DevnetBlockExport.SampleBlocks);
        using (var stream = File.Create(output)) DevnetBlockExport.Write(sample, stream);
        var kinds = sample.Blocks.SelectMany(DevnetBlockSample.KindsOf).Distinct();
        Console.WriteLine($"devnet sample: {sample.Blocks.Count} blocks, {sample.Blocks.Sum(b => b.Block.Transactions.Length)} transactions ({string.Join(", ", kinds)}), gas {sample.Blocks.Sum(b => (long)b.Block.Header.GasUsed)}, head state root {sample.Blocks[^1].Block.Header.StateRoot}; wrote {output}");
    }
}
