using System.CommandLine;
using BeamSync.Chain.Genesis;
using BeamSync.Core.Specs;
using BeamSync.Trie;

namespace BeamSync.Cli.Commands;

/// <summary>
/// <c>beamsync genesis GENESIS.json</c>: computes a genesis file's state root and block hash (no database: the
/// trie is hashed in memory). Exit codes: 0 done, 2 the file is unreadable or invalid.
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
        ChainSpec spec;
        try
        {
            spec = ChainSpec.Load(path);
        }
        catch (ChainSpecException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 2;
        }
        if (spec.Genesis is not { } genesis)
        {
            Console.Error.WriteLine($"error: {path} has a config but no genesis block");
            return 2;
        }

        var accounts = genesis.Alloc.Select(a => new AccountAlloc(a.Key, a.Value.Nonce, a.Value.Balance, a.Value.Code, a.Value.Storage));
        var stateRoot = StateTrieBuilder.ComputeRoot(accounts);
        var header = GenesisBlock.Header(spec, stateRoot);
        Console.WriteLine($"chain id    {spec.ChainId}");
        Console.WriteLine($"accounts    {genesis.Alloc.Count}");
        Console.WriteLine($"fork        {spec.ForkAt(header.Number, header.Timestamp)}");
        Console.WriteLine($"state root  {stateRoot}");
        Console.WriteLine($"block hash  {header.Hash}");
        return 0;
    }
}
