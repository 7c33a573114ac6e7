using System.Diagnostics;
using BeamSync.Core;
using BeamSync.Core.Crypto;
using BeamSync.Db;
using BeamSync.Trie;

namespace BeamSync.Bench;

/// <summary>
/// `full-proof N [--dir D] [--changed C]`: the "am I full?" proof over a complete state of N random accounts (every
/// 50th a contract with 8 storage slots and code) in RocksDB, each phase after a restart (the store closed and
/// opened again, so nothing is warm in the process): the full walk that <c>beamsync verify-state</c> does; the first
/// proof with completeness marks (it finds none, walks everything and marks it); the proof again (the root's mark);
/// then a block's worth of changes (C accounts rewritten, their new nodes written as execution writes them, unmarked)
/// and the proof of the new root, which reads only the new nodes. Prints each phase's wall and process CPU seconds and what it read.
/// </summary>
public static class FullProof
{
    public static void Run(string[] args)
    {
        string? Value(string name) => Array.IndexOf(args, name) is var at and >= 0 && at + 1 < args.Length ? args[at + 1] : null;
        int count = args.Length > 0 && int.TryParse(args[0], out var n) ? n : 1_000_000;
        int changed = int.Parse(Value("--changed") ?? "2000");
        string? dir = Value("--dir");
        bool keep = dir is not null;
        dir ??= Path.Combine(Path.GetTempPath(), "beamsync-full-proof-" + Environment.ProcessId);
        if (Directory.Exists(dir)) Directory.Delete(dir, true);
        Console.WriteLine($"{count:N0} accounts (every 50th a contract with 8 slots), RocksDB at {dir}");

        var clock = Stopwatch.StartNew();
        var (root, addresses) = Build(dir, count);
        Console.WriteLine($"build {clock.Elapsed.TotalSeconds:F1} s; root {root}");

        Phase(dir, "full walk (verify-state)", store => new MissingNodeWalker(new StoreNodeSource(store), AccountLeafDescender.Instance), root);
        Phase(dir, "first proof with marks (marks everything)", Marking, root);
        Phase(dir, "proof after a restart", Marking, root);

        var changedRoot = Change(dir, root, addresses, changed);
        Phase(dir, $"proof of a root {changed:N0} changed accounts later", Marking, changedRoot);
        Phase(dir, "full walk of that root (verify-state)", store => new MissingNodeWalker(new StoreNodeSource(store), AccountLeafDescender.Instance), changedRoot);
        if (!keep) Directory.Delete(dir, true);
    }

    private static MissingNodeWalker Marking(IKeyValueStore store) =>
        new(new StoreNodeSource(store), AccountLeafDescender.Instance, marks: new CompletenessMarks(store));

    /// <summary>Opens the store (a restart), walks <paramref name="root"/> and prints the time and what the walk read.</summary>
    private static void Phase(string dir, string name, Func<IKeyValueStore, MissingNodeWalker> walkerFor, Hash256 root)
    {
        using var store = RocksKeyValueStore.Open(dir);
        var walker = walkerFor(store);
        var clock = Stopwatch.StartNew();
        double cpuStart = ProcessCpu.Milliseconds();
        long absent = walker.Walk(root).LongCount();
        double seconds = clock.Elapsed.TotalSeconds, cpu = (ProcessCpu.Milliseconds() - cpuStart) / 1000;
        if (absent != 0) throw new InvalidOperationException($"{name}: {absent} absent in a complete state");
        string marks = walker.Completion is { } c ? $", {walker.MarkedSkipped:N0} marked subtries skipped, {c.MarksWritten:N0} marks written, root complete {c.RootComplete}" : "";
        Console.WriteLine($"{name}: {seconds:F3} s wall, {cpu:F3} s CPU, {walker.NodesVisited:N0} nodes read{marks}");
    }

    private static (Hash256 Root, byte[][] Addresses) Build(string dir, int count)
    {
        var r = new Random(17);
        var addresses = new byte[count][];
        var state = new SecureTrie(EmptyNodeSource.Instance);
        using var store = RocksKeyValueStore.Open(dir);
        using var writer = new BoundedBatchWriter(store);
        var sink = new BoundedNodeSink(writer);
        byte[] code = [0x60, 0x01, 0x60, 0x00, 0x55, 0x00];
        var codeHash = Keccak256.Hash(code);
        writer.Put(Column.Code, codeHash.Bytes, code);
        for (int i = 0; i < count; i++)
        {
            r.NextBytes(addresses[i] = new byte[20]);
            var storageRoot = Hash256.EmptyTrieRoot;
            bool contract = i % 50 == 0;
            if (contract)
            {
                var storage = new SecureTrie(EmptyNodeSource.Instance, default, TrieOwner.Storage(Keccak256.Hash(addresses[i])));
                var slot = new byte[32];
                for (int s = 0; s < 8; s++)
                {
                    r.NextBytes(slot);
                    storage.Set(slot, Rlp.Encode((ulong)r.NextInt64(1, long.MaxValue)));
                }
                storageRoot = storage.Commit(sink, unload: true);
            }
            state.Set(addresses[i], StateTrieBuilder.EncodeAccount((ulong)i, new UInt256((ulong)r.NextInt64()), storageRoot, contract ? codeHash : Hash256.EmptyKeccak));
        }
        var root = state.Commit(sink, unload: true);
        writer.Complete();
        return (root, addresses);
    }

    /// <summary>Rewrites <paramref name="changed"/> accounts' balances over the stored state, as a block's execution would: new nodes only.</summary>
    private static Hash256 Change(string dir, Hash256 root, byte[][] addresses, int changed)
    {
        using var store = RocksKeyValueStore.Open(dir);
        var trie = new SecureTrie(new StoreNodeSource(store), root);
        var r = new Random(18);
        for (int i = 0; i < changed; i++)
        {
            int at = r.Next(addresses.Length);
            var body = trie.Get(addresses[at])!;
            var account = Core.Types.Account.Decode(body);
            trie.Set(addresses[at], StateTrieBuilder.EncodeAccount(account.Nonce + 1, account.Balance, account.StorageRoot, account.CodeHash));
        }
        using var batch = store.StartBatch();
        var newRoot = trie.Commit(new BatchNodeSink(batch));
        batch.Commit();
        return newRoot;
    }
}
