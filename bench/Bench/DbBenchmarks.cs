using BenchmarkDotNet.Attributes;
using BeamSync.Db;

namespace BeamSync.Bench;

/// <summary>RocksDB store: random 32-byte-key reads of ~100-byte values, and 1,000-entry batch commits.</summary>
[MemoryDiagnoser]
public class DbBenchmarks
{
    private const int Keys = 100_000;
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "beamsync-dbbench-" + Environment.ProcessId);
    private RocksKeyValueStore _store = null!;
    private byte[][] _keys = [];
    private readonly byte[] _value = new byte[100];
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        _store = RocksKeyValueStore.Open(_dir);
        var r = new Random(1);
        _keys = new byte[Keys][];
        using var batch = _store.StartBatch();
        for (int i = 0; i < Keys; i++)
        {
            _keys[i] = new byte[32];
            r.NextBytes(_keys[i]);
            batch.Put(Column.TrieNodes, _keys[i], _value);
        }
        batch.Commit();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _store.Dispose();
        Directory.Delete(_dir, true);
    }

    [Benchmark]
    public byte[]? RandomGet() => _store.Get(Column.TrieNodes, _keys[_next++ % Keys]);

    [Benchmark(OperationsPerInvoke = 1000)]
    public void Batch1000Puts()
    {
        using var batch = _store.StartBatch();
        for (int i = 0; i < 1000; i++) batch.Put(Column.Metadata, _keys[(_next++) % Keys], _value);
        batch.Commit();
    }
}
