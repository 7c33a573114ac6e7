using System.CommandLine;

namespace BeamSync.Cli.Commands;

/// <summary>
/// <c>beamsync genesis GENESIS.json</c>: computes a genesis file's state root and block hash (no database: the
/// trie is hashed in memory). Exit codes: 0 done, 2 the file is missing, unreadable or invalid.
/// </summary>
public static class GenesisCommand
{
    public static Command Create()
    {
        var path = new Argument<string>("genesis") { Description = "A geth-style genesis.json" };
        var command = new Command("genesis", "Print the genesis state root and block hash of a genesis file") { path };
        command.SetAction(parse => Run(parse.GetValue(path)!));
        return command;
    }

    private static int Run(string path)
    {
        var spec = InputFiles.LoadGenesis(path);
        var header = InputFiles.GenesisHeader(spec);
        Console.WriteLine($"chain id    {spec.ChainId}");
        Console.WriteLine($"accounts    {spec.Genesis!.Alloc.Count}");
        Console.WriteLine($"fork        {spec.ForkAt(header.Number, header.Timestamp)}");
        Console.WriteLine($"state root  {header.StateRoot}");
        Console.WriteLine($"block hash  {header.Hash}");
        return ExitCodes.Success;
    }
}
