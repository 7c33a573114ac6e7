using BeamSync.Trie;

namespace BeamSync.Sync.Beam;

/// <summary>
/// The executor's fetcher: passes misses on and measures each wait that really blocked (the fetch was not already
/// complete). The executor reads and resets the counts per block; <paramref name="onStall"/> hears of each stall as it
/// begins. Thread-safe.
/// </summary>
internal sealed class StallMeter(IMissingNodeFetcher inner, Action<MissingNode>? onStall = null) : IMissingNodeFetcher
{
    private int _stalls;
    private long _stallTicks;

    public int Stalls => Volatile.Read(ref _stalls);
    public double StallMs => Interlocked.Read(ref _stallTicks) * 1000.0 / System.Diagnostics.Stopwatch.Frequency;

    public void Reset()
    {
        Interlocked.Exchange(ref _stalls, 0);
        Interlocked.Exchange(ref _stallTicks, 0);
    }

    public Task<byte[]> Fetch(MissingNode missing, FetchPriority priority, CancellationToken cancellation)
    {
        var task = inner.Fetch(missing, priority, cancellation);
        if (task.IsCompleted) return task;
        Interlocked.Increment(ref _stalls);
        onStall?.Invoke(missing);
        long start = SyncMetrics.Now;
        return task.ContinueWith(t =>
        {
            Interlocked.Add(ref _stallTicks, SyncMetrics.Now - start);
            return t;
        }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default).Unwrap();
    }
}
