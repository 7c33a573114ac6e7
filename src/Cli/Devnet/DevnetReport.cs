using System.Net;
using System.Text;
using BeamSync.Sync;
using ScottPlot;

namespace BeamSync.Cli.Devnet;

/// <summary>
/// <c>--report DIR</c>: the run's charts as PNG images (ScottPlot; SkiaSharp renders them headless) and an
/// <c>index.html</c> that shows them. One line per beam node in each chart. Not thread-safe; call after the run.
/// </summary>
public static class DevnetReport
{
    public const int Width = 1000, Height = 420;

    /// <summary>The chart files, in the order the page shows them.</summary>
    public static readonly (string File, string Title)[] Charts =
    [
        ("lag.png", "Lag over time (blocks behind the head)"),
        ("stall-per-block.png", "Stall per block (ms waiting for state)"),
        ("fetches-by-kind.png", "State nodes fetched by kind over time"),
        ("backfill.png", "Backfill progress over time"),
    ];

    /// <summary>Writes every chart and the page into <paramref name="directory"/> (created if needed); returns the page's path.</summary>
    public static string Write(string directory, IReadOnlyList<NodeTimeline> nodes)
    {
        Directory.CreateDirectory(directory);
        SaveChart(directory, 0, "seconds since start", "blocks", nodes.Select(node =>
            Series(node.Name, node.Samples.Select(s => (s.Seconds, (double)s.Stats.Lag)))));
        SaveChart(directory, 1, "block", "stall ms", nodes.Select(node =>
            Series(node.Name, node.Blocks.Select(b => ((double)b.Number, b.StallMs)))), markersOnly: true);
        SaveChart(directory, 2, "seconds since start", "nodes (cumulative)", nodes.SelectMany(node =>
            FetchKinds.All.Select(kind => Series($"{node.Name} {kind}",
                node.Samples.Select(s => (s.Seconds, (double)s.Stats.NodesFetchedByKind.GetValueOrDefault(kind)))))));
        SaveChart(directory, 3, "seconds since start", "% of the state local (estimate)", nodes.Select(node =>
            Series(node.Name, node.Samples.Select(s => (s.Seconds, s.Stats.Backfill.Fraction * 100)))));
        var page = Path.Combine(directory, "index.html");
        File.WriteAllText(page, Page(nodes));
        return page;
    }

    private static (string Label, double[] Xs, double[] Ys) Series(string label, IEnumerable<(double X, double Y)> points)
    {
        var list = points.ToList();
        return (label, list.Select(p => p.X).ToArray(), list.Select(p => p.Y).ToArray());
    }

    private static void SaveChart(string directory, int index, string xLabel, string yLabel,
        IEnumerable<(string Label, double[] Xs, double[] Ys)> series, bool markersOnly = false)
    {
        var (file, title) = Charts[index];
        var plot = new Plot();
        bool any = false;
        foreach (var (label, xs, ys) in series)
        {
            if (xs.Length == 0) continue;
            var scatter = plot.Add.Scatter(xs, ys);
            scatter.LegendText = label;
            if (markersOnly) scatter.LineWidth = 0;
            else scatter.MarkerSize = 0;
            any = true;
        }
        plot.Title(any ? title : $"{title}: no data");
        plot.XLabel(xLabel);
        plot.YLabel(yLabel);
        if (any) plot.ShowLegend(Alignment.UpperLeft);
        plot.SavePng(Path.Combine(directory, file), Width, Height);
    }

    private static string Page(IReadOnlyList<NodeTimeline> nodes)
    {
        var html = new StringBuilder();
        html.AppendLine("<!DOCTYPE html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\"><title>BeamSync devnet report</title></head>\n<body>");
        html.AppendLine("<h1>BeamSync devnet report</h1>");
        html.AppendLine($"<p>Beam nodes: {WebUtility.HtmlEncode(string.Join(", ", nodes.Select(n => n.Name)))}</p>");
        foreach (var (file, title) in Charts)
            html.AppendLine($"<h2>{WebUtility.HtmlEncode(title)}</h2>\n<img src=\"{file}\" width=\"{Width}\" height=\"{Height}\" alt=\"{WebUtility.HtmlEncode(title)}\">");
        html.AppendLine("</body>\n</html>");
        return html.ToString();
    }
}
