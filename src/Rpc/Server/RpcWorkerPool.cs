using System.Collections.Concurrent;
using BeamSync.Evm;

namespace BeamSync.Rpc;

/// <summary>
/// A small pool of dedicated threads that run RPC handlers. Handlers may block for a long time (a Beam Sync state read
/// waits for a node from the network; eth_call recurses 1024 frames deep, hence the EVM's large stack), so they must
/// never run on the .NET thread pool that completes the very network I/O they wait for. The queue is bounded: when
/// it is full, <see cref="TryRun"/> refuses at once instead of queueing without limit. Thread-safe.
/// </summary>
public sealed class RpcWorkerPool : IDisposable
{
    private readonly BlockingCollection<Action> _queue;
    private readonly Thread[] _threads;

    public RpcWorkerPool(int threadCount, int queueCapacity = 1024, int stackSize = VirtualMachine.RequiredStackSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threadCount, 1);
        _queue = new BlockingCollection<Action>(new ConcurrentQueue<Action>(), queueCapacity);
        _threads = new Thread[threadCount];
        for (int i = 0; i < threadCount; i++)
        {
            _threads[i] = new Thread(Work, stackSize) { IsBackground = true, Name = $"rpc-worker-{i}" };
            _threads[i].Start();
        }
    }

    /// <summary>Whether the calling thread is one of this pool's workers.</summary>
    public bool IsWorkerThread => Array.IndexOf(_threads, Thread.CurrentThread) >= 0;

    /// <summary>
    /// Queues <paramref name="work"/>; the task completes (on the thread pool, never inline on a worker) with its result
    /// or exception. Null when the queue is full or the pool is disposed.
    /// </summary>
    public Task<T>? TryRun<T>(Func<T> work)
    {
        var completion = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        void Run()
        {
            try { completion.SetResult(work()); }
            catch (Exception e) { completion.SetException(e); }
        }
        try
        {
            return _queue.TryAdd(Run) ? completion.Task : null;
        }
        catch (InvalidOperationException)
        {
            return null; // completed for adding: shutting down
        }
    }

    private void Work()
    {
        foreach (var item in _queue.GetConsumingEnumerable()) item();
    }

    public void Dispose()
    {
        _queue.CompleteAdding();
        foreach (var thread in _threads) thread.Join(TimeSpan.FromSeconds(5));
    }
}
