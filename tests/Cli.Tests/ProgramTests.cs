using System.CommandLine;

namespace BeamSync.Cli.Tests;

[Collection(ConsoleCollection.Name)]
public class ProgramTests
{
    private static (int Exit, string Output) RunWith(Action action, params string[] args)
    {
        var root = new RootCommand("test");
        var command = new Command("boom");
        command.SetAction(_ => { action(); return 0; });
        root.Subcommands.Add(command);
        var originalError = Console.Error;
        var output = new StringWriter();
        Console.SetError(output);
        try { return (Program.Run(root, args), output.ToString()); }
        finally { Console.SetError(originalError); }
    }

    [Fact]
    public void AnUnexpectedExceptionIsAnInternalErrorOnOneLineWithoutAStackTrace()
    {
        var (exit, output) = RunWith(() => throw new InvalidOperationException("the impossible\nhappened"), "boom");
        Assert.Equal(ExitCodes.Internal, exit);
        var line = Assert.Single(output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("internal error: InvalidOperationException: the impossible happened (a bug in beamsync: please report it", line);
        Assert.DoesNotContain("   at ", output);
    }

    [Fact]
    public void ACliExceptionIsItsOneLineAndItsCode()
    {
        var (exit, output) = RunWith(() => throw new CliException(ExitCodes.DataDir, "datadir x is broken"), "boom");
        Assert.Equal(ExitCodes.DataDir, exit);
        Assert.Equal("error: datadir x is broken", output.Trim());
    }

    [Fact]
    public void AnUnknownCommandIsAUsageError()
    {
        var (exit, output) = RunWith(() => { }, "nosuch");
        Assert.Equal(ExitCodes.Usage, exit);
        Assert.StartsWith("error: ", output);
        Assert.Single(output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }
}
