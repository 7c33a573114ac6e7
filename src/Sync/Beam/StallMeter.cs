using BeamSync.Trie;

namespace BeamSync.Sync.Beam;

/// <summary>
/// The executor's fetcher: passes misses on and measures each wait that really blocked (the fetch was not already
/// complete). A wait for a node the block's witness fetch already asked for (<paramref name="inWitness"/>) counts as a
/// stall like any other, and also as a witness wait; <paramref name="onStall"/> hears of each other stall (a node
/// nothing asked for before) as it begins. The executor reads and resets the counts per block. Thread-safe.
/// </summary>
internal sealed class StallMeter(IMissingNodeFetcher inner, Action<MissingNode>? onStall = null, Func<MissingNode, bool>? inWitness = null) : IMissingNodeFetcher
{
    private int _stalls, _witnessWaits;
    private long _stallTicks, _witnessWaitTicks;

    public int Stalls => Volatile.Read(ref _stalls);
    public double StallMs => Interlocked.Read(ref _stallTicks) * 1000.0 / System.Diagnostics.Stopwatch.Frequency;
    /// <summary>The stalls that waited for a node the witness fetch had asked for already, and their time.</summary>
    public int WitnessWaits => Volatile.Read(ref _witnessWaits);
    public double WitnessWaitMs => Interlocked.Read(ref _witnessWaitTicks) * 1000.0 / System.Diagnostics.Stopwatch.Frequency;

    public void Reset()
    {
        Interlocked.Exchange(ref _stalls, 0);
        Interlocked.Exchange(ref _stallTicks, 0);
        Interlocked.Exchange(ref _witnessWaits, 0);
        Interlocked.Exchange(ref _witnessWaitTicks, 0);
    }

    public Task<byte[]> Fetch(MissingNode missing, FetchPriority priority, CancellationToken cancellation)
    {
        bool witness = inWitness?.Invoke(missing) == true;
        var task = inner.Fetch(missing, priority, cancellation);
        if (task.IsCompleted) return task;
        Interlocked.Increment(ref _stalls);
        if (witness) Interlocked.Increment(ref _witnessWaits);
        else onStall?.Invoke(missing);
        long start = SyncMetrics.Now;
        return task.ContinueWith(t =>
        {
            long waited = SyncMetrics.Now - start;
            Interlocked.Add(ref _stallTicks, waited);
            if (witness) Interlocked.Add(ref _witnessWaitTicks, waited);
            return t;
        }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default).Unwrap();
    }
}
