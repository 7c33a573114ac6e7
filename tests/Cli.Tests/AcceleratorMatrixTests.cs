using BeamSync.Cli.Devnet;
using BeamSync.Sync;
using BeamSync.Node.Devnet;

namespace BeamSync.Cli.Tests;

public sealed class AcceleratorMatrixTests
{
    private static BlockSyncRecord Block(ulong number, double stallMs, double availableToVerifiedMs) =>
        new(number, 0, 1, stallMs, availableToVerifiedMs, 10, 0, 0);

    [Fact]
    public void The_first_verified_block_is_left_out_and_the_next_thirty_are_measured()
    {
        // Block 10 (the first) stalls far longer than the rest; block 41 is past the thirty measured.
        var blocks = new List<BlockSyncRecord> { Block(10, 9_000, 9_500), Block(41, 5_000, 5_000) };
        for (ulong n = 11; n <= 40; n++) blocks.Add(Block(n, n == 40 ? 400 : 100, 200));
        var row = AcceleratorMatrix.Measure("prefetch", blocks, 1_900);
        Assert.Equal(30, row.Blocks);
        Assert.Equal(110, row.StallMsPerBlock.Mean, 6);
        Assert.Equal(100, row.StallMsPerBlock.P95);
        Assert.Equal(200, row.AvailableToVerifiedMs.P95);
    }

    [Fact]
    public void A_node_that_verified_only_its_first_block_is_measured_on_it()
    {
        var row = AcceleratorMatrix.Measure("none", [Block(7, 80_000, 81_000)], 90_000);
        Assert.Equal(1, row.Blocks);
        Assert.Equal(80_000, row.StallMsPerBlock.P95);
    }

    [Fact]
    public void The_cut_is_against_none_and_a_lower_bound_when_none_verified_nothing()
    {
        var none = AcceleratorMatrix.Measure("none", [Block(1, 1_000, 1_000), Block(2, 1_000, 1_000)], null);
        var witness = AcceleratorMatrix.Measure("witness", [Block(1, 0, 0), Block(2, 100, 300)], null);
        Assert.Equal((0.9, false), AcceleratorMatrix.P95StallCut(witness, none));
        var nothing = AcceleratorMatrix.Measure("none", [], null);
        var (cut, atLeast) = AcceleratorMatrix.P95StallCut(witness, nothing)!.Value;
        Assert.True(atLeast);
        Assert.Equal(1 - 100 / AcceleratorMatrix.MaxTimePerSet.TotalMilliseconds, cut, 9);
        var table = AcceleratorMatrix.Table([nothing, witness]);
        Assert.Contains("| none | 0 | no block verified in 240 s |", table);
        Assert.Contains("| witness | 1 | 100 | 100 | >= 100% | >= 30% | 300 | 300 |", table);
    }
}
