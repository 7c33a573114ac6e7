using System.Buffers.Binary;
using System.Diagnostics;
using BeamSync.Core;
using BeamSync.Core.Crypto;
using BeamSync.Core.Types;
using BeamSync.Db;
using BeamSync.Trie;

namespace BeamSync.Bench;

/// <summary>
/// `trie-load N [--slots S] [--dir D] [--batch-mb M] [--trie]`: builds the state of N random accounts (with --slots, N
/// contracts with S random storage slots each), computes the root in memory, then commits every node into a
/// fresh RocksDB store through bounded batches, and reads some accounts back. By default the state is built the bulk
/// way (sorted keys, <see cref="SortedTrieBuilder"/>); --trie inserts into secure tries as block execution does. Random addresses, balances, slot keys
/// and values are generated before the clock starts; hashing the keys and encoding the values are part of the insert,
/// and with --slots so are the storage roots (an account's RLP holds its storage root). Prints each
/// phase's wall and process CPU seconds, `total N s` (insert + root + commit, wall) and the peak RSS (VmHWM).
/// </summary>
public static class TrieLoad
{
    public static void Run(string[] args)
    {
        int count = 1_000_000, slots = 0;
        bool bulk = true;
        long batchBytes = BoundedBatchWriter.DefaultBatchBytes;
        string? dir = null;
        for (int i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--slots": slots = int.Parse(args[++i]); break;
                case "--dir": dir = args[++i]; break;
                case "--batch-mb": batchBytes = long.Parse(args[++i]) << 20; break;
                case "--trie": bulk = false; break;
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
        Console.WriteLine($"{count:N0} {(slots > 0 ? $"contracts with {slots} slots each" : "accounts")}, {(bulk ? "sorted bulk build" : "random inserts into PatriciaTrie")}, RocksDB at {dir}");

        using var store = RocksKeyValueStore.Open(dir);
        var clock = new PhaseClock();
        var root = bulk
            ? LoadSorted(store, batchBytes, clock, addresses, balances, slots, slotKeys, slotValues)
            : LoadTrie(store, batchBytes, clock, addresses, balances, slots, slotKeys, slotValues);
        Console.WriteLine($"total {clock.Wall:F2} s wall, {clock.Cpu:F2} s CPU");
        Console.WriteLine($"peak RSS {PeakRssMegabytes():N0} MB; GC: {GC.CollectionCount(0)} gen0, {GC.CollectionCount(1)} gen1, {GC.CollectionCount(2)} gen2, paused {GC.GetTotalPauseDuration().TotalSeconds:F2} s");

        var reader = new SecureTrie(new StoreNodeSource(store), root);
        int reads = Math.Min(count, 100_000);
        var sw = Stopwatch.StartNew();
        for (int i = 0; i < reads; i++)
        {
            int at = r.Next(count);
            var account = reader.Get(addresses[at]) ?? throw new InvalidOperationException("lost an account");
            if (slots == 0 || i % 10 != 0) continue;
            // Every tenth read also reads one of the contract's slots back through its storage trie.
            var storage = new SecureTrie(new StoreNodeSource(store), Account.Decode(account).StorageRoot);
            long slot = (long)at * slots + r.Next(slots);
            if (storage.Get(slotKeys.AsSpan((int)(slot * 32), 32)) is null) throw new InvalidOperationException("lost a slot");
        }
        Console.WriteLine($"random reads from the store: {reads / sw.Elapsed.TotalSeconds:N0} /s");
        store.Dispose();
        if (!keep) Directory.Delete(dir, true);
    }

    /// <summary>
    /// The block-execution path: random inserts into secure tries (storage tries first, their roots go into the
    /// accounts), the root in memory, then a commit of every node through bounded batches.
    /// </summary>
    private static Hash256 LoadTrie(RocksKeyValueStore store, long batchBytes, PhaseClock clock,
        byte[][] addresses, UInt256[] balances, int slots, byte[] slotKeys, ulong[] slotValues)
    {
        int count = addresses.Length;
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

        using var writer = new BoundedBatchWriter(store, batchBytes);
        var sink = new BoundedNodeSink(writer);
        foreach (var storage in storageTries) storage.Commit(sink, unload: true);
        state.Commit(sink, unload: true);
        writer.Complete();
        clock.Lap("commit");
        Console.WriteLine($"nodes {writer.Count:N0} ({writer.Bytes / 1e6:F1} MB of keys and values), written in chunks of {batchBytes >> 20} MB");
        return root;
    }

    /// <summary>
    /// The bulk path (snap ranges, backfill, genesis): hashed keys and encoded values packed into sorted runs
    /// ("insert"; with slots, every contract's slots in one run under account hash + slot hash, and each storage root
    /// built from its run segment), the account trie built left to right by <see cref="SortedTrieBuilder"/> ("root"),
    /// then the same builds again emitting every node into bounded batches ("commit": it hashes everything a second
    /// time, so the total overstates a one-pass load by the root phase).
    /// </summary>
    private static Hash256 LoadSorted(RocksKeyValueStore store, long batchBytes, PhaseClock clock,
        byte[][] addresses, UInt256[] balances, int slots, byte[] slotKeys, ulong[] slotValues)
    {
        int count = addresses.Length;
        var codeHash = slots > 0 ? Keccak256.Hash("contract"u8) : Hash256.EmptyKeccak;
        var accounts = new SortedRun(count * 112);
        var slotRun = new SortedRun(slots > 0 ? (int)Math.Min((long)count * slots * 74, int.MaxValue / 2) : 0);
        Span<byte> key = stackalloc byte[64];
        Span<byte> encoded = stackalloc byte[128];
        Span<byte> index = stackalloc byte[4];
        if (slots == 0)
        {
            var accountKeys = HashAddresses(addresses);
            for (int i = 0; i < count; i++)
            {
                accounts.Add(accountKeys.AsSpan(i * 32, 32), Encode(new Account((ulong)i, balances[i], Hash256.EmptyTrieRoot, codeHash), encoded));
            }
            accounts.Sort();
        }
        else
        {
            var order = new SortedRun(count * 36);
            var accountKeys = HashAddresses(addresses);
            var slotHashes = new byte[slotKeys.Length];
            HashEach(slotKeys, 32, slotHashes);
            for (int i = 0; i < count; i++)
            {
                accountKeys.AsSpan(i * 32, 32).CopyTo(key);
                BinaryPrimitives.WriteInt32LittleEndian(index, i);
                order.Add(key[..32], index);
                for (int s = 0; s < slots; s++)
                {
                    long at = (long)i * slots + s;
                    slotHashes.AsSpan((int)(at * 32), 32).CopyTo(key[32..]);
                    var w = new RlpWriter(encoded);
                    w.Write(slotValues[at]);
                    slotRun.Add(key, w.Written);
                }
            }
            order.Sort();
            slotRun.Sort();
            int next = 0;
            for (int j = 0; j < order.Count; j++)
            {
                int i = BinaryPrimitives.ReadInt32LittleEndian(order.Value(j));
                int first = next;
                while (next < slotRun.Count && slotRun.Key(next)[..32].SequenceEqual(order.Key(j))) next++;
                var storageRoot = SortedTrieBuilder.Build(new RunEntries(slotRun, first, next - first, 32));
                accounts.Add(order.Key(j), Encode(new Account((ulong)i, balances[i], storageRoot, codeHash), encoded));
            }
        }
        clock.Lap("insert");
        var root = SortedTrieBuilder.Build(new RunEntries(accounts));
        clock.Lap("root");
        Console.WriteLine($"in memory (insert + root) {clock.Wall:F2} s wall, {clock.Cpu:F2} s CPU; root {root}");

        using var writer = new BoundedBatchWriter(store, batchBytes);
        var sink = new BoundedNodeSink(writer);
        for (int from = 0, to; from < slotRun.Count; from = to)
        {
            var owner = slotRun.Key(from)[..32];
            for (to = from + 1; to < slotRun.Count && slotRun.Key(to)[..32].SequenceEqual(owner); to++) { }
            SortedTrieBuilder.Build(new RunEntries(slotRun, from, to - from, 32), sink);
        }
        if (SortedTrieBuilder.Build(new RunEntries(accounts), sink) != root) throw new InvalidOperationException("the commit's root differs");
        writer.Complete();
        clock.Lap("commit");
        Console.WriteLine($"nodes {writer.Count:N0} ({writer.Bytes / 1e6:F1} MB of keys and values), written in chunks of {batchBytes >> 20} MB");
        return root;
    }

    /// <summary>The Keccak of each address, side by side in one array (secure-trie keys).</summary>
    private static byte[] HashAddresses(byte[][] addresses)
    {
        var packed = new byte[addresses.Length * 20];
        for (int i = 0; i < addresses.Length; i++) addresses[i].CopyTo(packed, i * 20);
        var hashes = new byte[addresses.Length * 32];
        HashEach(packed, 20, hashes);
        return hashes;
    }

    /// <summary>Hashes each <paramref name="size"/>-byte message of <paramref name="data"/> into 32 bytes of <paramref name="output"/>, many per Keccak pass.</summary>
    private static void HashEach(byte[] data, int size, byte[] output)
    {
        const int Batch = 64;
        Span<int> offsets = stackalloc int[Batch];
        Span<int> lengths = stackalloc int[Batch];
        lengths.Fill(size);
        int count = data.Length / size;
        for (int first = 0; first < count; first += Batch)
        {
            int n = Math.Min(Batch, count - first);
            for (int j = 0; j < n; j++) offsets[j] = (first + j) * size;
            Keccak256.HashMany(data, offsets[..n], lengths[..n], output.AsSpan(first * 32, n * 32));
        }
    }

    private static ReadOnlySpan<byte> Encode(Account account, Span<byte> buffer)
    {
        var w = new RlpWriter(buffer);
        account.Write(ref w);
        return w.Written;
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
