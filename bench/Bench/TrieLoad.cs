using System.Diagnostics;
using BeamSync.Core;
using BeamSync.Db;
using BeamSync.Trie;

namespace BeamSync.Bench;

/// <summary>
/// `trie-load N [dir]`: inserts N random accounts (secure trie, account RLP values) and commits them into RocksDB in
/// one batch, then measures random reads and proof generation against the committed root. Prints seconds, nodes per
/// second and the process's peak working set; run under /usr/bin/time -v for the kernel's figure.
/// </summary>
public static class TrieLoad
{
    public static void Run(string[] args)
    {
        int count = args.Length > 0 ? int.Parse(args[0]) : 1_000_000;
        var dir = args.Length > 1 ? args[1] : Path.Combine(Path.GetTempPath(), "beamsync-trie-load-" + Environment.ProcessId);
        var r = new Random(1);
        var addresses = new byte[count][];
        for (int i = 0; i < count; i++) { addresses[i] = new byte[20]; r.NextBytes(addresses[i]); }

        using var store = RocksKeyValueStore.Open(dir);
        var trie = new SecureTrie(new StoreNodeSource(store));
        var sw = Stopwatch.StartNew();
        for (int i = 0; i < count; i++)
            trie.Set(addresses[i], StateTrieBuilder.EncodeAccount((ulong)i, new UInt256((ulong)r.NextInt64()), Hash256.EmptyTrieRoot, Hash256.EmptyKeccak));
        var insert = sw.Elapsed;
        var counter = new CountingSink(store.StartBatch());
        var root = trie.Commit(counter, unload: true);
        var hashed = sw.Elapsed;
        counter.Batch.Commit();
        counter.Batch.Dispose();
        var total = sw.Elapsed;
        Console.WriteLine($"accounts {count:N0}, root {root}");
        Console.WriteLine($"insert {insert.TotalSeconds:F2} s, hash+encode {(hashed - insert).TotalSeconds:F2} s, batch write {(total - hashed).TotalSeconds:F2} s, total {total.TotalSeconds:F2} s");
        Console.WriteLine($"nodes {counter.Nodes:N0} ({counter.Bytes / 1e6:F1} MB), {counter.Nodes / total.TotalSeconds:N0} nodes/s, {count / total.TotalSeconds:N0} accounts/s");
        Console.WriteLine($"peak working set {Process.GetCurrentProcess().PeakWorkingSet64 / 1e6:F0} MB");

        const int reads = 200_000;
        sw.Restart();
        var reader = new SecureTrie(new StoreNodeSource(store), root);
        for (int i = 0; i < reads; i++)
            if (reader.Get(addresses[r.Next(count)]) is null) throw new InvalidOperationException("lost an account");
        Console.WriteLine($"random reads (fresh trie, nodes cached as read): {reads / sw.Elapsed.TotalSeconds:N0} /s");

        sw.Restart();
        for (int i = 0; i < reads / 10; i++)
            if (new SecureTrie(new StoreNodeSource(store), root).Get(addresses[r.Next(count)]) is null) throw new InvalidOperationException("lost an account");
        Console.WriteLine($"random reads (cold trie each, every node from RocksDB): {reads / 10 / sw.Elapsed.TotalSeconds:N0} /s");

        const int proofs = 50_000;
        sw.Restart();
        Span<byte> hashedKey = stackalloc byte[32];
        for (int i = 0; i < proofs; i++)
        {
            BeamSync.Core.Crypto.Keccak256.Hash(addresses[r.Next(count)], hashedKey);
            Proof.Prove(reader.Inner, hashedKey);
        }
        Console.WriteLine($"proofs: {proofs / sw.Elapsed.TotalSeconds:N0} /s");
        Console.WriteLine($"peak working set {Process.GetCurrentProcess().PeakWorkingSet64 / 1e6:F0} MB");
        store.Dispose();
        if (args.Length < 2) Directory.Delete(dir, true);
    }

    private sealed class CountingSink(IWriteBatch batch) : INodeSink
    {
        public readonly IWriteBatch Batch = batch;
        public long Nodes, Bytes;

        public void PutNode(Hash256 hash, ReadOnlySpan<byte> rlp)
        {
            Nodes++;
            Bytes += rlp.Length;
            Batch.Put(Column.TrieNodes, hash.Bytes, rlp);
        }
    }
}
