using System.CommandLine;

namespace BeamSync.Cli.Commands;

/// <summary>
/// <c>beamsync devnet</c>: the main job, a serving node and a fresh beam node on loopback. The node and
/// Beam Sync layers that it composes are still being built; until then it says so and exits with code 3.
/// </summary>
public static class DevnetCommand
{
    public static Command Create()
    {
        var command = new Command("devnet", "Run a local devnet: a producing full node and a fresh Beam Sync node, with a live view and a summary");
        command.SetAction(_ =>
        {
            Console.Error.WriteLine("devnet: not available yet: it needs the Sync and Node layers (Beam Sync, devnet producer), which are still being built. See README.md for what works today.");
            return 3;
        });
        return command;
    }
}
