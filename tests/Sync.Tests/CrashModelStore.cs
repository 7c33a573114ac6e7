using BeamSync.Db;

namespace BeamSync.Sync.Tests;

/// <summary>
/// An in-process model of a crash. Every write reaches a live in-memory store (what the running process reads back)
/// and, in the same order, a log of what the disk is to get; a batch is one entry. After <see cref="Crash"/> the log
/// is frozen (later writes of the dying process reach only the live store) and <see cref="Recover"/> builds the store
/// a restart would open from a prefix of it: all of it for kill -9 (RocksDB has handed every write to the kernel
/// before returning), any prefix for a power loss with unsynced writes (RocksDB replays its write-ahead log in
/// order, so a suffix is what is lost). Thread-safe.
/// </summary>
internal sealed class CrashModelStore : IKeyValueStore
{
    private readonly MemoryKeyValueStore _live = new();
    private readonly List<(Column Column, byte[] Key, byte[]? Value)[]> _log = [];
    private readonly Lock _lock = new();
    private bool _crashed;

    /// <summary>Writes (batches count one) the disk has got so far.</summary>
    public int LoggedWrites
    {
        get { lock (_lock) return _log.Count; }
    }

    /// <summary>The process dies: nothing written from now on reaches the disk.</summary>
    public void Crash()
    {
        lock (_lock) _crashed = true;
    }

    /// <summary>The store a restart opens when the first <paramref name="writes"/> writes reached the disk.</summary>
    public MemoryKeyValueStore Recover(int writes)
    {
        var store = new MemoryKeyValueStore();
        lock (_lock)
        {
            foreach (var entry in _log.Take(writes))
            {
                using var batch = store.StartBatch();
                foreach (var (column, key, value) in entry)
                {
                    if (value is null) batch.Delete(column, key);
                    else batch.Put(column, key, value);
                }
                batch.Commit();
            }
        }
        return store;
    }

    /// <summary>Appends to the log and applies to the live store under one lock, so a reader never sees a write the log has not got in its place.</summary>
    private void Write((Column Column, byte[] Key, byte[]? Value)[] entry)
    {
        lock (_lock)
        {
            if (!_crashed) _log.Add(entry);
            using var batch = _live.StartBatch();
            foreach (var (column, key, value) in entry)
            {
                if (value is null) batch.Delete(column, key);
                else batch.Put(column, key, value);
            }
            batch.Commit();
        }
    }

    public byte[]? Get(Column column, ReadOnlySpan<byte> key) => _live.Get(column, key);
    public int Get(Column column, ReadOnlySpan<byte> key, Span<byte> destination) => _live.Get(column, key, destination);
    public bool Has(Column column, ReadOnlySpan<byte> key) => _live.Has(column, key);
    public int Count(Column column) => _live.Count(column);
    public IEnumerable<KeyValuePair<byte[], byte[]>> Iterate(Column column, byte[] prefix) => _live.Iterate(column, prefix);
    public void Put(Column column, ReadOnlySpan<byte> key, ReadOnlySpan<byte> value) => Write([(column, key.ToArray(), value.ToArray())]);
    public void Delete(Column column, ReadOnlySpan<byte> key) => Write([(column, key.ToArray(), null)]);
    public IWriteBatch StartBatch() => new Batch(this);
    public void Dispose() => _live.Dispose();

    private sealed class Batch(CrashModelStore store) : IWriteBatch
    {
        private readonly List<(Column, byte[], byte[]?)> _ops = [];
        private bool _done;

        public int Count => _ops.Count;
        public void Put(Column column, ReadOnlySpan<byte> key, ReadOnlySpan<byte> value) => _ops.Add((column, key.ToArray(), value.ToArray()));
        public void Delete(Column column, ReadOnlySpan<byte> key) => _ops.Add((column, key.ToArray(), null));

        public void Commit()
        {
            if (_done) throw new InvalidOperationException("batch already committed or disposed");
            _done = true;
            store.Write([.. _ops]);
        }

        public void Dispose() => _done = true;
    }
}
