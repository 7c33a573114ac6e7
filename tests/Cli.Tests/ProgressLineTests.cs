namespace BeamSync.Cli.Tests;

public class ProgressLineTests
{
    [Fact]
    public void DisabledItWritesNothing()
    {
        var output = new StringWriter();
        var progress = new ProgressLine(output, enabled: false, TimeSpan.Zero);
        progress.Update(_ => "1/2 files");
        progress.Clear();
        Assert.Equal("", output.ToString());
    }

    [Fact]
    public void EnabledItRewritesOneLineInPlaceAndErasesIt()
    {
        var output = new StringWriter();
        var progress = new ProgressLine(output, enabled: true, TimeSpan.Zero);
        progress.Update(_ => "1/20 files");
        progress.Update(_ => "2/20");
        progress.Clear();
        Assert.Equal("\r1/20 files\r2/20      \r    \r", output.ToString());
        Assert.DoesNotContain('\n', output.ToString());
    }

    [Fact]
    public void UpdatesWithinTheIntervalAreDropped()
    {
        var output = new StringWriter();
        var progress = new ProgressLine(output, enabled: true, TimeSpan.FromHours(1));
        progress.Update(_ => "first");
        progress.Update(_ => "second");
        Assert.Equal("\rfirst", output.ToString());
    }
}
