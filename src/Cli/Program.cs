using System.CommandLine;
using BeamSync.Cli.Commands;

namespace BeamSync.Cli;

/// <summary>
/// The <c>beamsync</c> entry point. Every failure ends here as one line on stderr and an <see cref="ExitCodes"/>
/// code: parse errors are usage errors (2), a <see cref="CliException"/> carries its own code, and any other
/// exception is an internal error (70) with a hint to report it; the stack trace only with BEAMSYNC_DEBUG=1.
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        var root = new RootCommand("BeamSync: an Ethereum execution client that beam-syncs: it verifies blocks at the head within seconds while the rest of the state arrives in the background.");
        foreach (var command in CommandCatalog.All()) root.Subcommands.Add(command);
        return Run(root, args);
    }

    /// <summary>Parses and runs <paramref name="args"/> against <paramref name="root"/>, turning every failure into its exit code.</summary>
    public static int Run(RootCommand root, string[] args)
    {
        try
        {
            var parse = root.Parse(args);
            if (parse.Errors.Count > 0)
            {
                string help = parse.CommandResult.Command is RootCommand ? "beamsync --help" : $"beamsync {parse.CommandResult.Command.Name} --help";
                Console.Error.WriteLine($"error: {OneLine(string.Join("; ", parse.Errors.Select(e => e.Message)))} (see {help})");
                return ExitCodes.Usage;
            }
            return parse.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        catch (CliException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return e.ExitCode;
        }
        catch (Exception e)
        {
            Console.Error.WriteLine($"internal error: {e.GetType().Name}: {OneLine(e.Message)} (a bug in beamsync: please report it with the command you ran; BEAMSYNC_DEBUG=1 prints the stack trace)");
            if (Environment.GetEnvironmentVariable("BEAMSYNC_DEBUG") == "1") Console.Error.WriteLine(e);
            return ExitCodes.Internal;
        }
    }

    private static string OneLine(string text) => text.ReplaceLineEndings(" ");
}
