namespace BeamSync.Sync.Accelerators;

/// <summary>
/// Runs the accelerators (prefetch, preview) of one block at a time, in the order blocks become available: a block's
/// start waits until the previous block's accelerators are done, or <paramref name="bound"/> has passed since it was
/// queued (the executor waits no longer for them either). Started together, a later block's fetches would share the
/// serving peers' uplinks with those of the block the executor waits for. Thread-safe.
/// </summary>
/// <param name="stopping">Once cancelled (the syncer stops), a queued start never runs: the store may be closed by then.</param>
public sealed class AcceleratorChain(TimeSpan bound, CancellationToken stopping)
{
    private readonly Lock _lock = new();
    private Task _last = Task.CompletedTask;

    /// <summary>Queues <paramref name="start"/>; the task completes when the accelerators it started have completed.</summary>
    public Task Run(Func<Task> start)
    {
        lock (_lock)
        {
            var previous = _last;
            if (stopping.IsCancellationRequested) return Task.CompletedTask;
            _last = previous.IsCompleted ? start()
                : Task.WhenAny(previous, Task.Delay(bound, stopping)).ContinueWith(_ => stopping.IsCancellationRequested ? Task.CompletedTask : start(),
                    CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default).Unwrap();
            return _last;
        }
    }
}
