using System.CommandLine;
using BeamSync.Cli.Commands;

namespace BeamSync.Cli;

public static class Program
{
    public static int Main(string[] args)
    {
        var root = new RootCommand("BeamSync: an Ethereum execution client that beam-syncs: it verifies blocks at the head within seconds while the rest of the state arrives in the background.");
        foreach (var command in CommandCatalog.All()) root.Subcommands.Add(command);
        return root.Parse(args).Invoke();
    }
}
