using System.Diagnostics;
using BeamSync.Core;
using BeamSync.Core.Crypto;
using BeamSync.Db;
using BeamSync.Trie;

namespace BeamSync.Bench;

/// <summary>
/// `trie-load N [--slots S] [--dir D] [--batch-mb M]`: builds the state of N random accounts (with --slots, N contracts
/// with S random storage slots each) in a secure trie, computes the root in memory, then commits every node into a
/// fresh RocksDB store through bounded batches, and reads some accounts back. Random addresses, balances, slot keys
/// and values are generated before the clock starts; hashing the keys and encoding the values are part of the insert,
/// and with --slots so are the storage roots (an account's RLP holds its storage root). Prints each
/// phase's wall and process CPU seconds, `total N s` (insert + root + commit, wall) and the peak RSS (VmHWM).
/// </summary>
public static class TrieLoad
{
    public static void Run(string[] args)
    {
        int count = 1_000_000, slots = 0;
        long batchBytes = BoundedBatchWriter.DefaultBatchBytes;
        string? dir = null;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--slots": slots = int.Parse(args[++i]); break;
                case "--dir": dir = args[++i]; break;
                case "--batch-mb": batchBytes = long.Parse(args[++i]) << 20; break;
                default: count = int.Parse(args[i]); break;
            }
        }
        bool keep = dir is not null;
        dir ??= Path.Combine(Path.GetTempPath(), "beamsync-trie-load-" + Environment.ProcessId);

        var r = new Random(1);
        var addresses = new byte[count][];
        var balances = new UInt256[count];
        for (int i = 0; i < count; i++)
        {
            addresses[i] = new byte[20];
            r.NextBytes(addresses[i]);
            balances[i] = new UInt256((ulong)r.NextInt64());
        }
        var slotKeys = new byte[(long)count * slots * 32];
        var slotValues = new ulong[(long)count * slots];
        r.NextBytes(slotKeys);
        for (long i = 0; i < slotValues.Length; i++) slotValues[i] = (ulong)r.NextInt64(1, long.MaxValue);
        Console.WriteLine($"{count:N0} {(slots > 0 ? $"contracts with {slots} slots each" : "accounts")}, RocksDB at {dir}");

        var clock = new PhaseClock();
        var storageTries = new SecureTrie[slots > 0 ? count : 0];
        for (int i = 0; i < storageTries.Length; i++)
        {
            var storage = storageTries[i] = new SecureTrie(EmptyNodeSource.Instance, default, TrieOwner.Storage(Keccak256.Hash(addresses[i])));
            for (int s = 0; s < slots; s++)
            {
                long at = (long)i * slots + s;
                storage.Set(slotKeys.AsSpan((int)(at * 32), 32), Rlp.Encode(slotValues[at]));
            }
        }
        var state = new SecureTrie(EmptyNodeSource.Instance);
        var codeHash = slots > 0 ? Keccak256.Hash("contract"u8) : Hash256.EmptyKeccak;
        for (int i = 0; i < count; i++)
        {
            var storageRoot = slots > 0 ? storageTries[i].RootHash : Hash256.EmptyTrieRoot;
            state.Set(addresses[i], StateTrieBuilder.EncodeAccount((ulong)i, balances[i], storageRoot, codeHash));
        }
        clock.Lap("insert");
        var root = state.RootHash;
        clock.Lap("root");
        Console.WriteLine($"in memory (insert + root) {clock.Wall:F2} s wall, {clock.Cpu:F2} s CPU; root {root}");

        using var store = RocksKeyValueStore.Open(dir);
        using (var writer = new BoundedBatchWriter(store, batchBytes))
        {
            var sink = new BoundedNodeSink(writer);
            foreach (var storage in storageTries) storage.Commit(sink, unload: true);
            state.Commit(sink, unload: true);
            writer.Complete();
            clock.Lap("commit");
            Console.WriteLine($"nodes {writer.Count:N0} ({writer.Bytes / 1e6:F1} MB of keys and values), written in chunks of {batchBytes >> 20} MB");
        }
        Console.WriteLine($"total {clock.Wall:F2} s wall, {clock.Cpu:F2} s CPU");
        Console.WriteLine($"peak RSS {PeakRssMegabytes():N0} MB; GC: {GC.CollectionCount(0)} gen0, {GC.CollectionCount(1)} gen1, {GC.CollectionCount(2)} gen2, paused {GC.GetTotalPauseDuration().TotalSeconds:F2} s");

        var reader = new SecureTrie(new StoreNodeSource(store), root);
        int reads = Math.Min(count, 100_000);
        var sw = Stopwatch.StartNew();
        for (int i = 0; i < reads; i++)
            if (reader.Get(addresses[r.Next(count)]) is null) throw new InvalidOperationException("lost an account");
        Console.WriteLine($"random reads from the store: {reads / sw.Elapsed.TotalSeconds:N0} /s");
        store.Dispose();
        if (!keep) Directory.Delete(dir, true);
    }

    /// <summary>The kernel's peak resident set of this process (VmHWM), in MB; the working set's peak elsewhere.</summary>
    private static long PeakRssMegabytes()
    {
        if (File.Exists("/proc/self/status"))
            foreach (var line in File.ReadLines("/proc/self/status"))
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                    return long.Parse(line["VmHWM:".Length..].Trim().Split(' ')[0]) / 1024;
        return Process.GetCurrentProcess().PeakWorkingSet64 >> 20;
    }

    /// <summary>Wall and process CPU time since the start and per phase, printed as each phase ends.</summary>
    private sealed class PhaseClock
    {
        private readonly Stopwatch _wall = Stopwatch.StartNew();
        private readonly double _cpuStart = ProcessCpu.Milliseconds();
        private double _lastWall, _lastCpu;

        public double Wall => _wall.Elapsed.TotalSeconds;
        public double Cpu => (ProcessCpu.Milliseconds() - _cpuStart) / 1000;

        public void Lap(string phase)
        {
            double wall = Wall, cpu = Cpu;
            Console.WriteLine($"{phase} {wall - _lastWall:F2} s wall, {cpu - _lastCpu:F2} s CPU");
            _lastWall = wall;
            _lastCpu = cpu;
        }
    }
}
