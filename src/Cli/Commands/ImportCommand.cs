using System.CommandLine;
using BeamSync.Chain;
using BeamSync.Chain.Execution;
using BeamSync.Chain.Processing;
using BeamSync.Chain.Store;
using BeamSync.Core.Types;
using BeamSync.Db;
using BeamSync.Node.Options;
using BeamSync.Trie;

namespace BeamSync.Cli.Commands;

/// <summary>
/// <c>beamsync import --genesis GENESIS.json --datadir DIR CHAIN.rlp</c>: builds the genesis state and block from a
/// geth-style genesis file (once per data directory, which then refuses any other genesis), streams the RLP chain
/// file block by block, verifying and storing each new block, and prints the head's number, hash and state root.
/// Exit codes: 0 all imported, 1 a block was rejected, 2 bad input (a missing, empty or undecodable file),
/// 4 a datadir problem.
/// </summary>
public static class ImportCommand
{
    public static Command Create()
    {
        var genesis = new Option<string>("--genesis") { Description = "geth-style genesis.json", Required = true };
        var datadir = new Option<string>("--datadir") { Description = "Data directory (RocksDB)", Required = true };
        var cache = new Option<int?>("--cache") { Description = $"Trie-node and code cache in MB (default {NodeOptions.DefaultCacheMb}; 0: none)" };
        var chain = new Argument<string>("chain") { Description = "RLP chain file: blocks one after another" };
        var command = new Command("import", "Import and verify the blocks of an RLP chain file") { genesis, datadir, cache, chain };
        command.SetAction(parse => Run(parse.GetValue(genesis)!, parse.GetValue(datadir)!, parse.GetValue(chain)!,
            OptionValues.CheckRange("--cache", parse.GetValue(cache) ?? NodeOptions.DefaultCacheMb, 0, 1_048_576)));
        return command;
    }

    private static int Run(string genesisPath, string datadir, string chainPath, int cacheMb)
    {
        var spec = InputFiles.LoadGenesis(genesisPath);
        InputFiles.RequireFile(chainPath, "chain file");
        // A pipe (/dev/stdin, <(zcat chain.rlp.gz)) cannot seek and has no length: its emptiness shows only at the end.
        using var file = OpenChainFile(chainPath);
        if (file.CanSeek && file.Length == 0) throw EmptyChainFile(chainPath);
        var genesis = InputFiles.GenesisHeader(spec);

        using var rocks = DataDir.Open(datadir);
        DataDir.EnsureSameChain(datadir, rocks, spec, genesis);
        IKeyValueStore store = cacheMb > 0 ? new CachingNodeStore(rocks, (long)cacheMb << 20) : rocks;
        var blockchain = new Blockchain(spec, new BlockStore(store), new EvmStateFactory(store));
        if (blockchain.Head is null) blockchain.InitializeGenesis();
        Console.WriteLine($"genesis {genesis.Hash} state root {genesis.StateRoot}");

        var progress = ProgressLine.ForConsole();
        var counts = new ImportCounts();
        int exit = ExitCodes.Success;
        try
        {
            DeepStack.Run(() => exit = ImportAll(blockchain, SendersAhead.Recover(ChainFile.Read(file)), counts, progress));
        }
        catch (ChainFileException e)
        {
            progress.Clear();
            throw new CliException(ExitCodes.Usage, $"chain file {chainPath}: {e.Message}", e);
        }
        progress.Clear();
        // A pipe's size is unknown up front: its emptiness shows only now.
        if (counts.Imported + counts.Known == 0 && exit == ExitCodes.Success) throw EmptyChainFile(chainPath);
        var head = blockchain.Head!;
        string known = counts.Known > 0 ? $" ({counts.Known} already there)" : "";
        double seconds = progress.Elapsed.TotalSeconds;
        Console.WriteLine($"{counts.Imported} new {(counts.Imported == 1 ? "block" : "blocks")}{known} in {seconds:F1} s; head {head.Number} {head.Hash} state root {head.StateRoot}");
        if (counts.Imported > 0)
            Console.WriteLine($"{counts.Gas / 1e6:F1} Mgas in {seconds:F1} s: {ProgressLine.PerSecond(counts.Gas / 1e6, progress.Elapsed):F1} Mgas/s");
        return exit;
    }

    private static FileStream OpenChainFile(string path)
    {
        try { return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.SequentialScan); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException(ExitCodes.Usage, $"chain file {path} cannot be read: {e.Message}", e);
        }
    }

    private static CliException EmptyChainFile(string path) => new(ExitCodes.Usage, $"chain file {path} is empty: no blocks to import");

    private sealed class ImportCounts
    {
        public int Imported;
        public int Known;
        public ulong Gas;
    }

    /// <summary>Imports every block in order, passing over those already stored; stops at the first rejected block.</summary>
    private static int ImportAll(Blockchain blockchain, IEnumerable<Block> blocks, ImportCounts counts, ProgressLine progress)
    {
        foreach (var block in blocks)
        {
            if (blockchain.GetHeader(block.Hash) is not null)
            {
                counts.Known++;
                continue;
            }
            try
            {
                blockchain.Import(block);
            }
            catch (InvalidBlockException e)
            {
                progress.Clear();
                Console.Error.WriteLine($"block {block.Number} {block.Hash} rejected: {e.Message.ReplaceLineEndings(" ")}");
                return ExitCodes.Rejected;
            }
            counts.Imported++;
            counts.Gas += block.Header.GasUsed;
            progress.Update(elapsed =>
                $"block {block.Number}: {counts.Imported} new, {ProgressLine.PerSecond(counts.Imported, elapsed):F0} blocks/s, {ProgressLine.PerSecond(counts.Gas / 1e6, elapsed):F1} Mgas/s");
        }
        return ExitCodes.Success;
    }
}
