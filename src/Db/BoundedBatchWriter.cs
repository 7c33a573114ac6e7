namespace BeamSync.Db;

/// <summary>
/// Writes a stream of puts too large for one batch (bulk loads, large trie commits) in chunks of about
/// <c>maxBatchBytes</c> each, so memory stays flat however much is written. Each chunk lands atomically on its own,
/// the whole stream does not: use it only for content-addressed data (trie nodes, code), where a crash between
/// chunks leaves unreferenced entries, never a wrong one. On RocksDB a chunk is sorted and ingested as an SST file
/// (no write-ahead log, no memtable); elsewhere it is a write batch. A full chunk is written on a worker while the
/// next one fills, and at most one is in flight, so at most two are held. What <see cref="Complete"/> returned from
/// is durable. Put is safe to call from several threads.
/// </summary>
public sealed class BoundedBatchWriter(IKeyValueStore store, long maxBatchBytes = BoundedBatchWriter.DefaultBatchBytes) : IDisposable
{
    public const long DefaultBatchBytes = 32L << 20;

    private readonly Lock _lock = new();
    private readonly RocksKeyValueStore? _rocks = store as RocksKeyValueStore;
    private IWriteBatch? _batch;
    private Dictionary<Column, SortedRun>? _runs;
    private long _chunkBytes;
    private Task? _inFlight;
    private bool _completed;

    /// <summary>Entries handed over so far.</summary>
    public long Count { get; private set; }

    /// <summary>Key and value bytes handed over so far.</summary>
    public long Bytes { get; private set; }

    public void Put(Column column, ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_completed, this);
            if (_rocks is not null)
            {
                _runs ??= [];
                if (!_runs.TryGetValue(column, out var run)) _runs[column] = run = new SortedRun((int)Math.Min(maxBatchBytes + (1 << 16), int.MaxValue / 2));
                run.Add(key, value);
            }
            else (_batch ??= store.StartBatch()).Put(column, key, value);
            int size = key.Length + value.Length;
            _chunkBytes += size;
            Bytes += size;
            Count++;
            if (_chunkBytes >= maxBatchBytes) SendChunk();
        }
    }

    /// <summary>Writes what is left and waits until every chunk is in the store; a failed write throws here or on a later Put.</summary>
    public void Complete()
    {
        lock (_lock)
        {
            if (_completed) return;
            SendChunk();
            _completed = true;
            WaitForInFlight();
        }
    }

    private void SendChunk()
    {
        WaitForInFlight();
        var batch = _batch;
        var runs = _runs;
        _batch = null;
        _runs = null;
        _chunkBytes = 0;
        if (batch is not null)
            _inFlight = Task.Run(() =>
            {
                using (batch) batch.Commit();
            });
        else if (runs is not null)
            _inFlight = Task.Run(() =>
            {
                foreach (var (column, run) in runs) _rocks!.Ingest(column, run);
            });
    }

    private void WaitForInFlight()
    {
        var inFlight = _inFlight;
        _inFlight = null;
        inFlight?.GetAwaiter().GetResult();
    }

    /// <summary>Discards what was not sent yet; a chunk already in flight still lands.</summary>
    public void Dispose()
    {
        lock (_lock)
        {
            _completed = true;
            _batch?.Dispose();
            _batch = null;
            _runs = null;
            try { _inFlight?.Wait(); }
            catch (AggregateException) { /* reported by Complete when the caller waits for it */ }
            _inFlight = null;
        }
    }
}
