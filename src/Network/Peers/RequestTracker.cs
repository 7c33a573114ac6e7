using System.Collections.Concurrent;

namespace BeamSync.Network.Peers;

/// <summary>
/// Matches responses to requests by request-id (eth/66+, snap, wit): each request gets a fresh 64-bit id and a
/// deadline; a response with an unknown id is reported as useless; a request past its deadline fails with
/// <see cref="TimeoutException"/>. Thread-safe.
/// </summary>
public sealed class RequestTracker
{
    private readonly ConcurrentDictionary<ulong, Pending> _pending = new();
    private long _nextId = Random.Shared.NextInt64(1, long.MaxValue / 2);

    private sealed class Pending(int responseCode, TaskCompletionSource<byte[]> completion, CancellationTokenSource timer)
    {
        public int ResponseCode { get; } = responseCode;
        public TaskCompletionSource<byte[]> Completion { get; } = completion;
        public CancellationTokenSource Timer { get; } = timer;
    }

    public int Outstanding => _pending.Count;

    /// <summary>Registers a request; the task completes with the response payload (whole message).</summary>
    public (ulong Id, Task<byte[]> Response) Register(int responseCode, TimeSpan timeout, Action? onTimeout = null)
    {
        ulong id = (ulong)Interlocked.Increment(ref _nextId);
        var tcs = new TaskCompletionSource<byte[]>(TaskCreationOptions.RunContinuationsAsynchronously);
        var timer = new CancellationTokenSource(timeout);
        _pending[id] = new Pending(responseCode, tcs, timer);
        timer.Token.Register(() =>
        {
            if (_pending.TryRemove(id, out var p))
            {
                p.Completion.TrySetException(new TimeoutException($"request {id} timed out after {timeout.TotalSeconds:0.#} s"));
                onTimeout?.Invoke();
            }
        });
        return (id, tcs.Task);
    }

    /// <summary>Delivers a response; false when no request with this id and response code is outstanding.</summary>
    public bool TryComplete(ulong id, int responseCode, byte[] payload)
    {
        if (!_pending.TryGetValue(id, out var p) || p.ResponseCode != responseCode || !_pending.TryRemove(id, out p)) return false;
        p.Timer.Dispose();
        p.Completion.TrySetResult(payload);
        return true;
    }

    public void FailAll(Exception error)
    {
        foreach (var id in _pending.Keys)
            if (_pending.TryRemove(id, out var p)) { p.Timer.Dispose(); p.Completion.TrySetException(error); }
    }
}
