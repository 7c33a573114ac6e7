using System.Diagnostics;
using BeamSync.Chain;
using BeamSync.Chain.Execution;
using BeamSync.Chain.Processing;
using BeamSync.Chain.Store;
using BeamSync.Core.Types;
using BeamSync.Db;
using BeamSync.Evm;
using BeamSync.Node.Devnet;
using BeamSync.Trie;

namespace BeamSync.Bench;

/// <summary>
/// `import [--accounts N] [--contracts C] [--blocks B] [--txs T] [--cache MB] [--dir D] [--runs cold,warm]`: block
/// import by a full node over a devnet state on RocksDB. Once per parameter set (kept in D): generates the devnet
/// state (N accounts, default 1,000,000; C contracts, default 2,000), writes its genesis to RocksDB, copies that
/// store, and has the devnet producer make B blocks (default 20) of T workload transactions (default 150, the
/// devnet's mix) on it, written to blocks.rlp. Each run then copies the genesis store afresh and imports the blocks
/// through <see cref="Blockchain.Import"/> (every block executed, its roots checked, stored in one batch), with
/// senders recovered in parallel ahead of execution (<see cref="SendersAhead"/>), over a
/// <see cref="CachingNodeStore"/> of MB (default 1024). `cold`: node cache and RocksDB block cache empty (the OS
/// page cache holds the just-copied files); `warm`: the node cache first filled by walking the whole genesis state.
/// Prints per block: transactions, gas, ms, Mgas/s; per run: total, median and p95 block time, Mgas/s, the node
/// cache's hit rate, the process CPU and the importing thread's CPU (the
/// critical path: senders are recovered on other threads), whose Mgas per CPU second is the figure a loaded machine
/// does not distort.
/// </summary>
public static class ImportBench
{
    public static void Run(string[] args)
    {
        int accounts = 1_000_000, contracts = 2_000, blocks = 20, txs = 150, cacheMb = 1024;
        string? dir = null;
        string[] runs = ["cold", "warm"];
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--accounts": accounts = int.Parse(args[++i]); break;
                case "--contracts": contracts = int.Parse(args[++i]); break;
                case "--blocks": blocks = int.Parse(args[++i]); break;
                case "--txs": txs = int.Parse(args[++i]); break;
                case "--cache": cacheMb = int.Parse(args[++i]); break;
                case "--dir": dir = args[++i]; break;
                case "--runs": runs = args[++i].Split(','); break;
                default: throw new ArgumentException($"unknown argument {args[i]}");
            }
        }
        dir ??= Path.Combine(Path.GetTempPath(), $"beamsync-import-bench-{accounts}-{contracts}-{blocks}-{txs}");
        var options = new DevnetOptions { Seed = 7, Accounts = accounts, Contracts = contracts, TransactionsPerBlock = txs };
        // Execution recurses deeply (nested calls); the node runs it on a thread with the EVM's stack, and so does this.
        var worker = new Thread(() =>
        {
            Prepare(options, blocks, dir);
            foreach (var run in runs) Import(options, dir, cacheMb, warm: run == "warm");
        }, VirtualMachine.RequiredStackSize);
        worker.Start();
        worker.Join();
    }

    private static string GenesisDir(string dir) => Path.Combine(dir, "genesis");
    private static string BlocksFile(string dir) => Path.Combine(dir, "blocks.rlp");

    /// <summary>Makes the genesis store and the produced blocks once; a finished set (blocks.rlp present) is reused.</summary>
    private static void Prepare(DevnetOptions options, int blocks, string dir)
    {
        if (File.Exists(BlocksFile(dir)))
        {
            Console.WriteLine($"reusing {dir}");
            return;
        }
        if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        Directory.CreateDirectory(dir);
        var clock = Stopwatch.StartNew();
        var state = DevnetState.Generate(options);
        Console.WriteLine($"generated {options.Accounts:N0} accounts and {options.Contracts:N0} contracts in {clock.Elapsed.TotalSeconds:F1} s");
        clock.Restart();
        using (var genesisStore = RocksKeyValueStore.Open(GenesisDir(dir)))
        {
            var write = DevnetGenesis.Write(state, genesisStore);
            Console.WriteLine($"genesis {write.Header.Hash} state root {write.Header.StateRoot} written in {write.Elapsed.TotalSeconds:F1} s");
        }
        string producerDir = Path.Combine(dir, "producer");
        CopyDirectory(GenesisDir(dir), producerDir);
        clock.Restart();
        using (var producerStore = RocksKeyValueStore.Open(producerDir))
        using (var producer = new DevnetProducer(state, producerStore))
        using (var output = File.Create(BlocksFile(dir) + ".partial"))
        {
            for (int i = 0; i < blocks; i++)
            {
                var produced = producer.ProduceBlock();
                output.Write(produced.Block.Encode());
                Console.WriteLine($"produced block {produced.Block.Number}: {produced.Block.Transactions.Length} transactions, {produced.Block.Header.GasUsed / 1e6:F1} Mgas, {produced.Times}");
            }
        }
        File.Move(BlocksFile(dir) + ".partial", BlocksFile(dir));
        Directory.Delete(producerDir, recursive: true);
        Console.WriteLine($"produced {blocks} blocks in {clock.Elapsed.TotalSeconds:F1} s");
    }

    private static void Import(DevnetOptions options, string dir, int cacheMb, bool warm)
    {
        string replayDir = Path.Combine(dir, "replay");
        if (Directory.Exists(replayDir)) Directory.Delete(replayDir, recursive: true);
        CopyDirectory(GenesisDir(dir), replayDir);
        var chainBlocks = ChainFile.Read(File.ReadAllBytes(BlocksFile(dir))).ToList();
        string label = warm ? "warm" : "cold";
        using var rocks = RocksKeyValueStore.Open(replayDir);
        using var store = new CachingNodeStore(rocks, (long)cacheMb << 20);
        var chain = new Blockchain(DevnetState.RulesOnly(options), new BlockStore(store), new EvmStateFactory(store));
        if (warm)
        {
            var walkClock = Stopwatch.StartNew();
            var walker = new MissingNodeWalker(new StoreNodeSource(store), AccountLeafDescender.Instance);
            long absent = walker.Walk(chain.Head!.StateRoot).LongCount();
            Console.WriteLine($"{label}: walked {walker.NodesVisited:N0} nodes ({absent} absent) into the node cache in {walkClock.Elapsed.TotalSeconds:F1} s; " +
                              $"cache {store.Nodes.SizeBytes / 1e6:F0} MB of {store.Nodes.CapacityBytes / 1e6:F0} MB, {store.Nodes.Count:N0} nodes");
        }
        long hitsBefore = store.Nodes.Hits, missesBefore = store.Nodes.Misses;
        var times = new List<double>();
        ulong gas = 0;
        double cpuStart = ProcessCpu.Milliseconds();
        double threadCpuStart = ProcessCpu.ThreadMilliseconds();
        var total = Stopwatch.StartNew();
        long last = Stopwatch.GetTimestamp();
        foreach (var block in SendersAhead.Recover(chainBlocks))
        {
            if (!chain.Import(block)) throw new InvalidOperationException($"block {block.Number} did not become the head");
            long now = Stopwatch.GetTimestamp();
            double ms = Stopwatch.GetElapsedTime(last, now).TotalMilliseconds;
            last = now;
            times.Add(ms);
            gas += block.Header.GasUsed;
            Console.WriteLine($"{label} block {block.Number}: {block.Transactions.Length} txs, {block.Header.GasUsed / 1e6:F2} Mgas, {ms:F1} ms, {block.Header.GasUsed / 1e3 / ms:F0} Mgas/s");
        }
        double seconds = total.Elapsed.TotalSeconds;
        double cpu = (ProcessCpu.Milliseconds() - cpuStart) / 1000;
        double threadCpu = (ProcessCpu.ThreadMilliseconds() - threadCpuStart) / 1000;
        times.Sort();
        long hits = store.Nodes.Hits - hitsBefore, misses = store.Nodes.Misses - missesBefore;
        Console.WriteLine($"{label}: {times.Count} blocks, {gas / 1e6:F1} Mgas in {seconds:F2} s: {gas / 1e6 / seconds:F0} Mgas/s; " +
                          $"block median {times[times.Count / 2]:F1} ms, p95 {times[(int)Math.Ceiling(times.Count * 0.95) - 1]:F1} ms, max {times[^1]:F1} ms; " +
                          $"node cache hits {hits:N0}, misses {misses:N0} ({100.0 * hits / Math.Max(1, hits + misses):F1}%); process CPU {cpu:F2} s; " +
                          $"importing thread CPU {threadCpu:F2} s: {gas / 1e6 / threadCpu:F0} Mgas/s per importing-thread CPU second");
    }

    private static void CopyDirectory(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from))
        {
            // RocksDB's LOCK file belongs to an open store; the copy gets its own.
            if (Path.GetFileName(file) == "LOCK") continue;
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        }
    }
}
