using System.Globalization;
using BeamSync.Sync;
using Spectre.Console;

namespace BeamSync.Cli.Devnet;

/// <summary>
/// How the devnet shows its nodes: a live table (Spectre.Console) when stdout is a terminal, a plain line per node
/// on stderr otherwise, and the summary table at the end. Pure formatting over timelines and summaries.
/// </summary>
public static class DevnetView
{
    public static Table LiveTable(ulong producerHead, TimeSpan elapsed, IReadOnlyList<NodeTimeline> nodes, string status)
    {
        var table = new Table().Border(TableBorder.Rounded)
            .Title($"beamsync devnet: producer head {producerHead}, {elapsed.TotalSeconds:F0} s")
            .Caption(Markup.Escape(status));
        foreach (var column in new[] { "node", "mode", "head", "executing", "lag", "stalls", "nodes u/pf/pv/w/bf", "bytes u/pf/pv/w/bf", "backfill", "pivots" })
            table.AddColumn(column);
        foreach (var node in nodes)
        {
            if (node.Latest is not { } s)
            {
                table.AddRow(Markup.Escape(node.Name), "starting", "", "", "", "", "", "", "", "");
                continue;
            }
            table.AddRow(Markup.Escape(node.Name), ModeMarkup(s.Mode), Text(s.Head), s.Executing?.ToString(CultureInfo.InvariantCulture) ?? "-", Text(s.Lag),
                Stalls(s), ByKind(s.NodesFetchedByKind, Count), ByKind(s.BytesFetchedByKind, Bytes), Backfill(s.Backfill), Text(s.Pivots));
        }
        return table;
    }

    /// <summary>One node on one line, for logs and for runs whose stdout is not a terminal.</summary>
    public static string PlainLine(NodeTimeline node)
    {
        if (node.Latest is not { } s) return $"{node.Name}: starting";
        return $"{node.Name}: mode {s.Mode}, head {s.Head}, executing {s.Executing?.ToString(CultureInfo.InvariantCulture) ?? "-"}, lag {s.Lag}, " +
               $"stalls {Stalls(s)}, nodes {ByKind(s.NodesFetchedByKind, Count)}, bytes {ByKind(s.BytesFetchedByKind, Bytes)}, " +
               $"backfill {Backfill(s.Backfill)}, pivots {s.Pivots}";
    }

    /// <summary>The summary: one row per figure, one column per beam node.</summary>
    public static Table SummaryTable(IReadOnlyList<NodeSummary> nodes)
    {
        var table = new Table().Border(TableBorder.Rounded).Title("devnet summary").AddColumn("figure");
        foreach (var node in nodes) table.AddColumn(Markup.Escape(node.Node), c => c.RightAligned());
        void Row(string figure, Func<NodeSummary, string> value) =>
            table.AddRow([Markup.Escape(figure), .. nodes.Select(n => Markup.Escape(value(n)))]);
        Row("mode", n => n.Mode);
        Row("local state nodes at start", n => Text(n.LocalStateNodesAtStart));
        Row("time to first verified block", n => Ms(n.TimeToFirstVerifiedBlockMs));
        Row("state local at first block", n => Percent(n.BackfillFractionAtFirstBlock));
        Row("blocks executed", n => Text(n.BlocksExecuted));
        Row("lag mean / max", n => $"{n.Lag.Mean:F2} / {n.Lag.Max}");
        Row("stall ms per block mean / p95", n => $"{n.StallMsPerBlock.Mean:F1} / {n.StallMsPerBlock.P95:F1}");
        Row("available to verified ms mean / p95", n => $"{n.AvailableToVerifiedMs.Mean:F1} / {n.AvailableToVerifiedMs.P95:F1}");
        foreach (var kind in FetchKinds.All)
            Row($"nodes / bytes fetched: {kind}", n => $"{Count(n.NodesFetched.ByKind[kind])} / {Bytes(n.BytesFetched.ByKind[kind])}");
        foreach (var form in WireForms.All)
            Row($"nodes fetched by {form}", n => Count(n.NodesFetched.ByForm[form]));
        Row("round trips", n => Text(n.RoundTrips));
        Row("pivots", n => Text(n.Pivots));
        Row("reorgs", n => Text(n.Reorgs));
        Row("window slides during backfill", n => Text(n.WindowSlidesDuringBackfill));
        Row("refetched fraction", n => Percent(n.RefetchedFraction));
        Row("share from beam peers", n => Percent(n.ShareFromBeamPeers));
        // Each server's share, and its nodes and bytes by the forms it was asked in (forms nobody used left out).
        foreach (var (server, profile) in nodes.SelectMany(n => n.Servers ?? []).Select(s => (s.Server, s.Profile)).Distinct())
        {
            ServerShare? ShareOf(NodeSummary n) => n.Servers?.FirstOrDefault(s => s.Server == server);
            Row($"from {server} ({profile}): nodes / bytes (share)", n => ShareOf(n) is { } share
                ? $"{Count(share.Nodes)} / {Bytes(share.Bytes)} ({Percent(share.NodeShare)} / {Percent(share.ByteShare)})" : "-");
            foreach (var form in WireForms.All.Where(form => nodes.Any(n => ShareOf(n)?.NodesByForm[form] > 0)))
                Row($"from {server} by {form}: nodes / bytes", n => ShareOf(n) is { } share ? $"{Count(share.NodesByForm[form])} / {Bytes(share.BytesByForm[form])}" : "-");
        }
        Row("time to full node", n => Ms(n.TimeToFullNodeMs));
        Row("final state root matches", n => n.FinalStateRootMatches switch { true => "yes", false => "NO", null => "-" });
        return table;
    }

    private static string ModeMarkup(string mode) => mode switch
    {
        "full" => "[green]full[/]",
        "beam" => "[yellow]beam[/]",
        _ => Markup.Escape(mode),
    };

    private static string Stalls(SyncStats s) => s.Blocks.Count == 0
        ? "-"
        : $"{s.Blocks[^1].Stalls} ({s.StallMsPerBlockMean:F0} ms/blk)";

    private static string Backfill(BackfillProgress b)
    {
        if (b.Complete) return "done";
        var state = b.Paused ? " paused" : b.Running ? "" : " idle";
        var eta = b.EtaSeconds is { } seconds ? $", {TimeSpan.FromSeconds(seconds):m\\:ss} left" : "";
        return $"{b.Fraction * 100:F1}%{state}{eta}";
    }

    private static string ByKind(IReadOnlyDictionary<string, long> counts, Func<long, string> format) =>
        string.Join('/', FetchKinds.All.Select(kind => format(counts.GetValueOrDefault(kind))));

    private static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);
    private static string Text(ulong value) => value.ToString(CultureInfo.InvariantCulture);

    private static string Count(long value) => value switch
    {
        >= 10_000_000 => $"{value / 1_000_000}M",
        >= 10_000 => $"{value / 1_000}k",
        _ => Text(value),
    };

    private static string Bytes(long value) => value switch
    {
        >= 10L << 20 => $"{value >> 20}MiB",
        >= 10L << 10 => $"{value >> 10}KiB",
        _ => $"{value}B",
    };

    private static string Ms(double? ms) => ms is { } value ? $"{value:F0} ms" : "-";
    private static string Percent(double? fraction) => fraction is { } value ? $"{value * 100:F2}%" : "-";
}
