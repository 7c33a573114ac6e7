namespace BeamSync.Db;

/// <summary>
/// Writes a stream of puts too large for one batch (bulk loads, large trie commits) in batches of about
/// <c>maxBatchBytes</c> each, so memory stays flat however much is written. Each batch is atomic on its own, the
/// whole stream is not: use it only for content-addressed data (trie nodes, code), where a crash between batches
/// leaves unreferenced entries, never a wrong one. A full batch is written on a worker while the next one fills,
/// and at most one is in flight, so at most two batches are held. Put is safe to call from several threads.
/// </summary>
public sealed class BoundedBatchWriter(IKeyValueStore store, long maxBatchBytes = BoundedBatchWriter.DefaultBatchBytes) : IDisposable
{
    public const long DefaultBatchBytes = 32L << 20;

    private readonly Lock _lock = new();
    private IWriteBatch? _batch;
    private long _batchBytes;
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
            _batch ??= store.StartBatch();
            _batch.Put(column, key, value);
            int size = key.Length + value.Length;
            _batchBytes += size;
            Bytes += size;
            Count++;
            if (_batchBytes >= maxBatchBytes) SendFullBatch();
        }
    }

    /// <summary>Writes what is left and waits until every batch is in the store; a failed write throws here or on a later Put.</summary>
    public void Complete()
    {
        lock (_lock)
        {
            if (_completed) return;
            if (_batch is not null) SendFullBatch();
            _completed = true;
            WaitForInFlight();
        }
    }

    private void SendFullBatch()
    {
        WaitForInFlight();
        var batch = _batch!;
        _batch = null;
        _batchBytes = 0;
        _inFlight = Task.Run(() =>
        {
            using (batch) batch.Commit();
        });
    }

    private void WaitForInFlight()
    {
        var inFlight = _inFlight;
        _inFlight = null;
        inFlight?.GetAwaiter().GetResult();
    }

    /// <summary>Discards what was not sent yet; a batch already in flight still lands.</summary>
    public void Dispose()
    {
        lock (_lock)
        {
            _completed = true;
            _batch?.Dispose();
            _batch = null;
            try { _inFlight?.Wait(); }
            catch (AggregateException) { /* reported by Complete when the caller waits for it */ }
            _inFlight = null;
        }
    }
}
