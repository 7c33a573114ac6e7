using System.Buffers.Binary;

namespace BeamSync.Db.Tests;

/// <summary>
/// The child process of <see cref="CrashConsistencyTests"/>: writes numbered batches into a RocksDB store as fast as
/// it can until it is killed. Batch i puts <see cref="KeysPerBatch"/> keys into two columns and advances a counter.
/// </summary>
public static class CrashWriter
{
    public const int KeysPerBatch = 16;

    public static int Main(string[] args)
    {
        if (args.Length == 2 && args[0] == "crash-writer")
        {
            Run(args[1]);
            return 0;
        }
        Console.Error.WriteLine("this assembly is a test assembly; run it with dotnet test");
        return 2;
    }

    public static byte[] Key(int batch, int index)
    {
        var key = new byte[8];
        BinaryPrimitives.WriteInt32BigEndian(key, batch);
        BinaryPrimitives.WriteInt32BigEndian(key.AsSpan(4), index);
        return key;
    }

    public static readonly byte[] CounterKey = "last-batch"u8.ToArray();

    private static void Run(string path)
    {
        using var store = RocksKeyValueStore.Open(path);
        var value = new byte[200];
        // Continue after the last committed batch, so a second round after a kill never rewrites keys an
        // earlier round left behind (which would hide a torn batch).
        var last = store.Get(Column.Metadata, CounterKey);
        int first = last is null ? 0 : BinaryPrimitives.ReadInt32BigEndian(last) + 1;
        for (int batchNo = first; ; batchNo++)
        {
            using var batch = store.StartBatch();
            for (int i = 0; i < KeysPerBatch; i++)
            {
                BinaryPrimitives.WriteInt32BigEndian(value, batchNo);
                batch.Put(i % 2 == 0 ? Column.TrieNodes : Column.Receipts, Key(batchNo, i), value);
            }
            var counter = new byte[4];
            BinaryPrimitives.WriteInt32BigEndian(counter, batchNo);
            batch.Put(Column.Metadata, CounterKey, counter);
            batch.Commit();
            if (batchNo == first + 100)
            {
                Console.Out.WriteLine("ready");
                Console.Out.Flush();
            }
        }
    }
}
