using System.CommandLine;
using BeamSync.Chain;
using BeamSync.Chain.Execution;
using BeamSync.Chain.Store;
using BeamSync.Core.Specs;
using BeamSync.Db;
using BeamSync.Evm;

namespace BeamSync.Cli.Commands;

/// <summary>
/// <c>beamsync import --genesis GENESIS.json --datadir DIR CHAIN.rlp</c>: builds the genesis state and block from a
/// geth-style genesis file (once per data directory), imports and verifies every block of an RLP chain file, and
/// prints the head's number, hash and state root. Exit codes: 0 all imported, 1 a block was rejected, 2 bad input.
/// </summary>
public static class ImportCommand
{
    public static Command Create()
    {
        var genesis = new Option<string>("--genesis") { Description = "geth-style genesis.json", Required = true };
        var datadir = new Option<string>("--datadir") { Description = "Data directory (RocksDB)", Required = true };
        var chain = new Argument<string>("chain") { Description = "RLP chain file: blocks one after another" };
        var command = new Command("import", "Import and verify the blocks of an RLP chain file") { genesis, datadir, chain };
        command.SetAction(parse => Run(parse.GetValue(genesis)!, parse.GetValue(datadir)!, parse.GetValue(chain)!));
        return command;
    }

    private static int Run(string genesisPath, string datadir, string chainPath)
    {
        ChainSpec spec;
        byte[] chainBytes;
        try
        {
            spec = ChainSpec.Load(genesisPath);
            chainBytes = File.ReadAllBytes(chainPath);
        }
        catch (Exception e) when (e is ChainSpecException or IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 2;
        }

        Directory.CreateDirectory(datadir);
        using var store = RocksKeyValueStore.Open(datadir);
        var blockchain = new Blockchain(spec, new BlockStore(store), new EvmStateFactory(store));
        var genesisHeader = blockchain.Head ?? blockchain.InitializeGenesis();
        Console.WriteLine($"genesis {genesisHeader.Hash} state root {genesisHeader.StateRoot}");

        int imported = 0, exit = 0;
        // The EVM recurses up to 1024 calls deep on the executing thread: import on a thread with that stack.
        var worker = new Thread(() => exit = ImportAll(blockchain, chainBytes, chainPath, ref imported), VirtualMachine.RequiredStackSize);
        var started = System.Diagnostics.Stopwatch.StartNew();
        worker.Start();
        worker.Join();
        var head = blockchain.Head!;
        Console.WriteLine($"imported {imported} blocks in {started.Elapsed.TotalSeconds:F1} s; head {head.Number} {head.Hash} state root {head.StateRoot}");
        return exit;
    }

    /// <summary>Imports every block of the file in order; stops at the first rejected block. Returns the exit code.</summary>
    private static int ImportAll(Blockchain blockchain, byte[] chainBytes, string chainPath, ref int imported)
    {
        try
        {
            foreach (var block in ChainFile.Read(chainBytes))
            {
                try
                {
                    blockchain.Import(block);
                    imported++;
                }
                catch (InvalidBlockException e)
                {
                    Console.Error.WriteLine($"block {block.Number} {block.Hash} rejected: {e.Message}");
                    return 1;
                }
            }
            return 0;
        }
        catch (ChainFileException e)
        {
            Console.Error.WriteLine($"error: {chainPath}: {e.Message}");
            return 2;
        }
    }
}
