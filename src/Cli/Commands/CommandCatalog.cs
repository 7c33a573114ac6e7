using System.CommandLine;

namespace BeamSync.Cli.Commands;

/// <summary>Every <c>beamsync</c> subcommand; a new command adds one line here.</summary>
public static class CommandCatalog
{
    public static IEnumerable<Command> All() =>
    [
        // Hidden from --help while it only says "not available" (exit 3); the real devnet command shows itself.
        Hide(DevnetCommand.Create()),
        TestFixturesCommand.Create(),
        ImportCommand.Create(),
        GenesisCommand.Create(),
    ];

    private static Command Hide(Command command)
    {
        command.Hidden = true;
        return command;
    }
}
