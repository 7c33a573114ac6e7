using BeamSync.Cli.Devnet;
using Spectre.Console;

namespace BeamSync.Cli.Tests;

public sealed class DevnetViewTests
{
    internal static string Render(Spectre.Console.Rendering.IRenderable renderable)
    {
        var output = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output), Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors });
        console.Profile.Width = 250;
        console.Write(renderable);
        return output.ToString();
    }

    [Fact]
    public void The_live_table_and_the_plain_line_show_each_node()
    {
        var beam = new NodeTimeline("beam-1");
        beam.Add(3, DevnetSummaryTests.Stats(40, "beam"));
        var table = Render(DevnetView.LiveTable(41, TimeSpan.FromSeconds(12), [beam, new NodeTimeline("beam-2")], "waiting"));
        Assert.Contains("beam-1", table);
        Assert.Contains("starting", table);
        Assert.Contains("40.0%", table); // backfill
        Assert.Contains("0:12 left", table);
        Assert.Contains("700/0/0/0/40k", table); // nodes by kind

        var line = DevnetView.PlainLine(beam);
        Assert.DoesNotContain('\n', line);
        Assert.Contains("mode beam, head 41, executing -, lag 1", line);
    }

    [Fact]
    public void The_summary_table_has_a_column_per_beam_node()
    {
        var first = new NodeTimeline("beam-1");
        first.Add(1, DevnetSummaryTests.Stats(40, "full"));
        first.FinalStateRootMatches = true;
        var second = new NodeTimeline("beam-2");
        second.Add(1, DevnetSummaryTests.Stats(30, "beam"));
        var text = Render(DevnetView.SummaryTable([DevnetSummary.Of(first)!, DevnetSummary.Of(second)!]));
        Assert.Contains("beam-2", text);
        Assert.Contains("final state root matches", text);
        Assert.Contains("yes", text);
        Assert.True(text.Contains("1234 ms"), text); // time to first verified block, 1234.5 rounded to even
    }
}
