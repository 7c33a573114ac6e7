using System.Text.RegularExpressions;
using BeamSync.Node.Devnet;
using BeamSync.Tests.Shared;
using Xunit.Abstractions;

namespace BeamSync.Node.Tests;

/// <summary>
/// Issue 13's independent check of the producer: devnet blocks holding every workload kind, re-executed by
/// @ethereumjs/vm (pinned in bench/ethereumjs/package.json) from the same genesis, give the same state roots,
/// receipts roots, gas and receipts (status, cumulative gas, logs byte for byte). About 10 s.
/// </summary>
[Collection(EthereumJsVmCollection.Name)]
public partial class EthereumJsVmCheckTests(ITestOutputHelper output)
{
    [EthereumJsVmFact]
    public void ProducedBlocksReExecutedByEthereumJsGiveTheSameResults()
    {
        var sample = DevnetBlockExport.Produce(DevnetBlockExport.SampleOptions, DevnetBlockExport.SampleBlocks);
        foreach (var kind in Enum.GetValues<WorkloadKind>())
            Assert.True(sample.Blocks.SelectMany(DevnetBlockSample.KindsOf).Contains(kind), $"no {kind} transaction in the sample blocks");
        int transactions = sample.Blocks.Sum(b => b.Block.Transactions.Length);
        long gas = sample.Blocks.Sum(b => (long)b.Block.Header.GasUsed);

        var file = Path.Combine(Path.GetTempPath(), $"beamsync-devnet-blocks-{Guid.NewGuid():N}.json");
        try
        {
            using (var stream = File.Create(file)) DevnetBlockExport.Write(sample, stream);
            var (exitCode, stdout) = EthereumJsVm.Run(file);
            output.WriteLine(stdout);
            Assert.True(exitCode == 0, $"devnet-block.mjs exited with {exitCode}:\n{stdout}");

            var summary = Summary().Match(stdout);
            Assert.True(summary.Success, $"no summary line in:\n{stdout}");
            Assert.Equal(sample.Blocks.Count, int.Parse(summary.Groups["blocks"].Value));
            Assert.Equal(transactions, int.Parse(summary.Groups["txs"].Value));
            Assert.Equal(gas, long.Parse(summary.Groups["gas"].Value));
            // One pre-state check, six per block and three per receipt: nothing was left uncompared.
            int expectedChecks = 1 + 6 * sample.Blocks.Count + 3 * transactions;
            Assert.Equal(expectedChecks, int.Parse(summary.Groups["checks"].Value));
            Assert.Equal(expectedChecks, int.Parse(summary.Groups["equal"].Value));
        }
        finally { File.Delete(file); }
    }

    [GeneratedRegex(@"compared (?<blocks>\d+) blocks, (?<txs>\d+) transactions, (?<gas>\d+) gas: (?<equal>\d+) of (?<checks>\d+) equal")]
    private static partial Regex Summary();
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class EthereumJsVmCollection
{
    public const string Name = "ethereumjs vm (serial: runs node)";
}

/// <summary>Runs bench/ethereumjs/devnet-block.mjs with node, the @ethereumjs/* it needs installed there.</summary>
internal static class EthereumJsVm
{
    public const string Package = "@ethereumjs/vm";

    public static (int ExitCode, string Output) Run(string exportFile) =>
        BenchNodeScripts.Run(Package, "devnet-block.mjs", TimeSpan.FromSeconds(120), exportFile);
}

/// <summary>
/// A fact that needs node and @ethereumjs/vm installed under bench/ethereumjs (by .ci/run, or
/// `npm ci --prefix bench/ethereumjs`). Outside CI it is skipped with the reason when they are missing; under CI=true
/// it always runs, so a missing install fails instead of passing silently.
/// </summary>
public sealed class EthereumJsVmFactAttribute : FactAttribute
{
    public EthereumJsVmFactAttribute() => Skip = BenchNodeScripts.SkipReason(EthereumJsVm.Package);
}
