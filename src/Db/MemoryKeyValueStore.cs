namespace BeamSync.Db;

/// <summary>
/// An in-memory <see cref="IKeyValueStore"/> for tests and throwaway tries. Thread-safe: one reader-writer lock
/// over all columns, so a batch commit is atomic with respect to every reader.
/// </summary>
public sealed class MemoryKeyValueStore : IKeyValueStore
{
    private readonly Dictionary<byte[], byte[]>[] _columns;
    private readonly ReaderWriterLockSlim _lock = new(LockRecursionPolicy.NoRecursion);

    public MemoryKeyValueStore()
    {
        _columns = new Dictionary<byte[], byte[]>[Columns.All.Length];
        for (int i = 0; i < _columns.Length; i++) _columns[i] = new Dictionary<byte[], byte[]>(ByteArrayComparer.Instance);
    }

    /// <summary>The number of entries in a column (tests and metrics).</summary>
    public int Count(Column column)
    {
        _lock.EnterReadLock();
        try { return _columns[(int)column].Count; }
        finally { _lock.ExitReadLock(); }
    }

    public byte[]? Get(Column column, ReadOnlySpan<byte> key)
    {
        _lock.EnterReadLock();
        try
        {
            return _columns[(int)column].GetAlternateLookup<ReadOnlySpan<byte>>().TryGetValue(key, out var v) ? v : null;
        }
        finally { _lock.ExitReadLock(); }
    }

    public int Get(Column column, ReadOnlySpan<byte> key, Span<byte> destination)
    {
        var value = Get(column, key);
        if (value is null) return -1;
        if (value.Length <= destination.Length) value.CopyTo(destination);
        return value.Length;
    }

    public bool Has(Column column, ReadOnlySpan<byte> key) => Get(column, key) is not null;

    public void Put(Column column, ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
    {
        _lock.EnterWriteLock();
        try { _columns[(int)column][key.ToArray()] = value.ToArray(); }
        finally { _lock.ExitWriteLock(); }
    }

    public void Delete(Column column, ReadOnlySpan<byte> key)
    {
        _lock.EnterWriteLock();
        try { _columns[(int)column].GetAlternateLookup<ReadOnlySpan<byte>>().Remove(key); }
        finally { _lock.ExitWriteLock(); }
    }

    public IEnumerable<KeyValuePair<byte[], byte[]>> Iterate(Column column, byte[] prefix)
    {
        // A snapshot of the matching entries, sorted: iteration never sees a half-applied batch.
        List<KeyValuePair<byte[], byte[]>> matches = [];
        _lock.EnterReadLock();
        try
        {
            foreach (var kv in _columns[(int)column])
                if (kv.Key.AsSpan().StartsWith(prefix)) matches.Add(kv);
        }
        finally { _lock.ExitReadLock(); }
        matches.Sort(static (a, b) => a.Key.AsSpan().SequenceCompareTo(b.Key));
        return matches;
    }

    public IWriteBatch StartBatch() => new Batch(this);

    public void Dispose() => _lock.Dispose();

    private sealed class Batch(MemoryKeyValueStore store) : IWriteBatch
    {
        private readonly List<(Column Column, byte[] Key, byte[]? Value)> _ops = [];
        private bool _done;

        public int Count => _ops.Count;
        public void Put(Column column, ReadOnlySpan<byte> key, ReadOnlySpan<byte> value) => _ops.Add((column, key.ToArray(), value.ToArray()));
        public void Delete(Column column, ReadOnlySpan<byte> key) => _ops.Add((column, key.ToArray(), null));

        public void Commit()
        {
            if (_done) throw new InvalidOperationException("batch already committed or disposed");
            _done = true;
            store._lock.EnterWriteLock();
            try
            {
                foreach (var (column, key, value) in _ops)
                {
                    if (value is null) store._columns[(int)column].Remove(key);
                    else store._columns[(int)column][key] = value;
                }
            }
            finally { store._lock.ExitWriteLock(); }
        }

        public void Dispose() => _done = true;
    }
}
