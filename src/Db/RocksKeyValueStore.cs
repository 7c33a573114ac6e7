using RocksDbSharp;

namespace BeamSync.Db;

/// <summary>
/// The on-disk <see cref="IKeyValueStore"/>: one RocksDB database with a column family per <see cref="Column"/>.
/// Every write goes through RocksDB's write-ahead log, so a batch is atomic across a process crash: after a
/// kill the store reopens with each batch either fully applied or absent. Thread-safe (RocksDB is).
/// Native failures surface as <see cref="DbException"/>.
/// </summary>
public sealed class RocksKeyValueStore : IKeyValueStore
{
    private readonly RocksDb _db;
    private readonly ColumnFamilyHandle[] _handles;
    private readonly WriteOptions _writeOptions;
    public string Path { get; }

    private RocksKeyValueStore(string path, RocksDb db, ColumnFamilyHandle[] handles, WriteOptions writeOptions)
    {
        Path = path;
        _db = db;
        _handles = handles;
        _writeOptions = writeOptions;
    }

    /// <summary>
    /// Opens (creating if needed) the store at <paramref name="path"/>. <paramref name="syncWrites"/> fsyncs the log on
    /// every write, which survives power loss, not only a process crash; it costs a disk flush per batch.
    /// </summary>
    public static RocksKeyValueStore Open(string path, bool syncWrites = false, ulong blockCacheBytes = 256UL << 20)
    {
        try
        {
            Directory.CreateDirectory(path);
            var options = new DbOptions()
                .SetCreateIfMissing(true)
                .SetCreateMissingColumnFamilies(true)
                .IncreaseParallelism(Math.Max(2, Environment.ProcessorCount))
                .SetMaxOpenFiles(512);
            var tableOptions = new BlockBasedTableOptions()
                .SetBlockCache(Cache.CreateLru(blockCacheBytes))
                .SetFilterPolicy(BloomFilterPolicy.Create(10, false))
                .SetBlockSize(16 * 1024);
            var families = new ColumnFamilies();
            foreach (var column in Columns.All)
                families.Add(Columns.FamilyName(column), new ColumnFamilyOptions()
                    .SetBlockBasedTableFactory(tableOptions)
                    .SetWriteBufferSize(64UL << 20));
            var db = RocksDb.Open(options, path, families);
            var handles = new ColumnFamilyHandle[Columns.All.Length];
            foreach (var column in Columns.All) handles[(int)column] = db.GetColumnFamily(Columns.FamilyName(column));
            return new RocksKeyValueStore(path, db, handles, new WriteOptions().SetSync(syncWrites));
        }
        catch (RocksDbException e)
        {
            throw new DbException($"cannot open RocksDB store at {path}: {e.Message}", path, e);
        }
        catch (IOException e)
        {
            throw new DbException($"cannot open RocksDB store at {path}: {e.Message}", path, e);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new DbException($"cannot open RocksDB store at {path}: {e.Message}", path, e);
        }
    }

    private ColumnFamilyHandle Handle(Column column) => _handles[(int)column];

    public byte[]? Get(Column column, ReadOnlySpan<byte> key)
    {
        try { return _db.Get(key, Handle(column)); }
        catch (RocksDbException e) { throw Wrap("read", e); }
    }

    public int Get(Column column, ReadOnlySpan<byte> key, Span<byte> destination)
    {
        var value = Get(column, key);
        if (value is null) return -1;
        if (value.Length <= destination.Length) value.CopyTo(destination);
        return value.Length;
    }

    public bool Has(Column column, ReadOnlySpan<byte> key)
    {
        try { return _db.HasKey(key, Handle(column)); }
        catch (RocksDbException e) { throw Wrap("read", e); }
    }

    public void Put(Column column, ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
    {
        try { _db.Put(key, value, Handle(column), _writeOptions); }
        catch (RocksDbException e) { throw Wrap("write", e); }
    }

    public void Delete(Column column, ReadOnlySpan<byte> key)
    {
        try { _db.Remove(key, Handle(column), _writeOptions); }
        catch (RocksDbException e) { throw Wrap("write", e); }
    }

    public IEnumerable<KeyValuePair<byte[], byte[]>> Iterate(Column column, byte[] prefix)
    {
        using var it = _db.NewIterator(Handle(column));
        it.Seek(prefix);
        while (it.Valid())
        {
            var key = it.Key();
            if (!key.AsSpan().StartsWith(prefix)) yield break;
            yield return new KeyValuePair<byte[], byte[]>(key, it.Value());
            it.Next();
        }
    }

    public IWriteBatch StartBatch() => new Batch(this);

    /// <summary>
    /// Writes <paramref name="run"/> (sorted here) into <paramref name="column"/> as one SST file that RocksDB takes in
    /// whole: no write-ahead log and no memtable, the cheapest way in for a bulk load. The file is synced before it
    /// is ingested, so the entries are durable when this returns, and they become visible all at once.
    /// </summary>
    public unsafe void Ingest(Column column, SortedRun run)
    {
        run.Sort();
        if (run.Count == 0) return;
        var file = System.IO.Path.Combine(Path, $"ingest-{Guid.NewGuid():N}.sst");
        try
        {
            var writer = new SstFileWriter(new EnvOptions(), new ColumnFamilyOptions().SetCompression(Compression.No));
            try
            {
                writer.Open(file);
                for (int i = 0; i < run.Count; i++)
                {
                    var key = run.Key(i);
                    var value = run.Value(i);
                    fixed (byte* k = key, v = value) Native.Instance.rocksdb_sstfilewriter_put(writer.Handle, k, (UIntPtr)key.Length, v, (UIntPtr)value.Length);
                }
                writer.Finish();
            }
            finally { writer.Dispose(); }
            _db.IngestExternalFiles([file], new IngestExternalFileOptions().SetMoveFiles(true), Handle(column));
        }
        catch (RocksDbException e) { throw Wrap("ingest", e); }
        finally { File.Delete(file); }
    }

    /// <summary>Flushes memtables to disk (tests and orderly shutdown; the log already makes writes durable).</summary>
    public void Flush()
    {
        var flush = new FlushOptions().SetWaitForFlush(true);
        _db.Flush(flush);
    }

    public void Dispose() => _db.Dispose();

    private DbException Wrap(string what, RocksDbException e) => new($"RocksDB {what} failed at {Path}: {e.Message}", Path, e);

    private sealed class Batch(RocksKeyValueStore store) : IWriteBatch
    {
        private readonly WriteBatch _batch = new();
        private bool _done;

        public int Count { get; private set; }

        public void Put(Column column, ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
        {
            _batch.Put(key, value, store.Handle(column));
            Count++;
        }

        public void Delete(Column column, ReadOnlySpan<byte> key)
        {
            _batch.Delete(key, store.Handle(column));
            Count++;
        }

        public void Commit()
        {
            if (_done) throw new InvalidOperationException("batch already committed or disposed");
            _done = true;
            try { store._db.Write(_batch, store._writeOptions); }
            catch (RocksDbException e) { throw store.Wrap("batch write", e); }
            finally { _batch.Dispose(); }
        }

        public void Dispose()
        {
            if (_done) return;
            _done = true;
            _batch.Dispose();
        }
    }
}
