using System.Globalization;
using System.Text;
using BeamSync.Node.Options;
using BeamSync.Sync;

namespace BeamSync.Node.Devnet;

/// <summary>A mean and a 95th percentile, in milliseconds.</summary>
public sealed record MeanP95(double Mean, double P95);

/// <summary>One accelerator setting of the matrix: which of prefetch, preview and witness a beam node runs with.</summary>
public sealed record AcceleratorSet(string Name, bool Prefetch, bool Preview, bool Witness)
{
    /// <summary>The node options of a beam node measured with this setting: backfill off, so only the head's state is fetched.</summary>
    public NodeOptions Apply(NodeOptions template) => template with { Prefetch = Prefetch, Preview = Preview, Witness = Witness, Backfill = false };
}

/// <summary>The figures of one setting over the measured blocks.</summary>
public sealed record AcceleratorRow(string Name, int Blocks, MeanP95 StallMsPerBlock, MeanP95 AvailableToVerifiedMs, double? TimeToFirstVerifiedBlockMs);

/// <summary>
/// The accelerator matrix of issue 12: stall time per block and time from block available to verified, mean and p95,
/// over the first <see cref="BlocksMeasured"/> blocks after the first verified one, with backfill off, for no
/// accelerator, each alone, and all together. Pure: the measuring runs are <c>beamsync devnet --accelerator-matrix</c> and the Node layer's integration test.
/// </summary>
public static class AcceleratorMatrix
{
    public const int BlocksMeasured = 30;
    /// <summary>How long one setting may take: without accelerators a node may verify a block in far more than a block time.</summary>
    public static readonly TimeSpan MaxTimePerSet = TimeSpan.FromSeconds(240);

    public static readonly AcceleratorSet[] Sets =
    [
        new("none", false, false, false),
        new("prefetch", true, false, false),
        new("preview", false, true, false),
        new("witness", false, false, true),
        new("all", true, true, true),
    ];

    /// <summary>
    /// The row of <paramref name="set"/> from the blocks a node verified: the first is left out, the next
    /// <paramref name="count"/> are measured. A node that verified only its first block (without accelerators a block
    /// can take minutes) is measured on that one rather than on none.
    /// </summary>
    public static AcceleratorRow Measure(string set, IReadOnlyCollection<BlockSyncRecord> verified, double? timeToFirst, int count = BlocksMeasured)
    {
        var blocks = verified.OrderBy(b => b.Number).Skip(verified.Count > 1 ? 1 : 0).Take(count).ToList();
        return new AcceleratorRow(set, blocks.Count,
            new MeanP95(Mean(blocks, b => b.StallMs), SyncMetrics.Percentile(blocks, b => b.StallMs, 0.95)),
            new MeanP95(Mean(blocks, b => b.AvailableToVerifiedMs), SyncMetrics.Percentile(blocks, b => b.AvailableToVerifiedMs, 0.95)),
            timeToFirst);
    }

    /// <summary>
    /// How much a row cuts the p95 stall against <paramref name="none"/> (0.3 = 30% less), and whether that is a lower
    /// bound: a "none" node that verified no block within <paramref name="budget"/> (<see cref="MaxTimePerSet"/> unless
    /// given) stalled at least that long on it.
    /// Null without a baseline stall.
    /// </summary>
    public static (double Cut, bool AtLeast)? P95StallCut(AcceleratorRow row, AcceleratorRow none, TimeSpan? budget = null)
    {
        if (row.Blocks == 0) return null;
        if (none.Blocks == 0) return (1 - row.StallMsPerBlock.P95 / (budget ?? MaxTimePerSet).TotalMilliseconds, true);
        return none.StallMsPerBlock.P95 > 0 ? (1 - row.StallMsPerBlock.P95 / none.StallMsPerBlock.P95, false) : null;
    }

    /// <summary>The table as Markdown, with each setting's p95 stall cut against "none" and the cut it must reach (30% alone, 80% all).</summary>
    public static string Table(IReadOnlyList<AcceleratorRow> rows, TimeSpan? budget = null)
    {
        var none = rows.FirstOrDefault(r => r.Name == "none");
        var text = new StringBuilder();
        text.AppendLine("| accelerators | blocks | stall ms/block mean | stall p95 | p95 stall cut | needed | available→verified ms mean | available→verified p95 |");
        text.AppendLine("|---|---|---|---|---|---|---|---|");
        foreach (var row in rows)
        {
            string needed = row.Name == "none" ? "" : row.Name == "all" ? ">= 80%" : ">= 30%";
            if (row.Blocks == 0)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"| {row.Name} | 0 | no block verified in {(budget ?? MaxTimePerSet).TotalSeconds:0} s | | | {needed} | | |");
                continue;
            }
            var cut = none is null || row == none ? null : P95StallCut(row, none, budget);
            string cutText = cut is { } c ? (c.AtLeast ? ">= " : "") + (c.Cut * 100).ToString("0", CultureInfo.InvariantCulture) + "%" : "";
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| {row.Name} | {row.Blocks} | {row.StallMsPerBlock.Mean:0} | {row.StallMsPerBlock.P95:0} | {cutText} | {needed} | {row.AvailableToVerifiedMs.Mean:0} | {row.AvailableToVerifiedMs.P95:0} |");
        }
        return text.ToString();
    }

    private static double Mean(List<BlockSyncRecord> blocks, Func<BlockSyncRecord, double> f) => blocks.Count == 0 ? 0 : blocks.Average(f);
}
