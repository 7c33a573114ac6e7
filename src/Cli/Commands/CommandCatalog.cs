using System.CommandLine;
using BeamSync.Cli.Devnet;

namespace BeamSync.Cli.Commands;

/// <summary>Every <c>beamsync</c> subcommand; a new command adds one line here.</summary>
public static class CommandCatalog
{
    public static IEnumerable<Command> All() =>
    [
        DevnetCommand.Create(),
        RunCommand.Create(),
        TestFixturesCommand.Create(),
        ImportCommand.Create(),
        GenesisCommand.Create(),
        Engine.EngineReplayCommand.Create(),
        VerifyStateCommand.Create(),
    ];
}
