namespace BeamSync.Rpc.Tests;

public sealed class RpcWorkerPoolTests
{
    [Fact]
    public async Task WorkRunsOnTheDedicatedThreadsWithTheEvmStack()
    {
        using var pool = new RpcWorkerPool(2);
        var (name, isPoolThread, isWorker) = await pool.TryRun(() => (Thread.CurrentThread.Name, Thread.CurrentThread.IsThreadPoolThread, pool.IsWorkerThread))!;
        Assert.StartsWith("rpc-worker-", name);
        Assert.False(isPoolThread);
        Assert.True(isWorker);
        Assert.False(pool.IsWorkerThread);
    }

    [Fact]
    public async Task AFullQueueRefusesAtOnceInsteadOfGrowing()
    {
        using var gate = new ManualResetEventSlim(false);
        using var pool = new RpcWorkerPool(1, queueCapacity: 1);
        using var started = new ManualResetEventSlim(false);
        var running = pool.TryRun(() => { started.Set(); gate.Wait(); return 1; })!;
        Assert.True(started.Wait(TimeSpan.FromSeconds(30)));
        var queued = pool.TryRun(() => 2);
        Assert.NotNull(queued);
        Assert.Null(pool.TryRun(() => 3));
        gate.Set();
        Assert.Equal(1, await running);
        Assert.Equal(2, await queued!);
    }

    [Fact]
    public async Task AnExceptionReachesTheCaller()
    {
        using var pool = new RpcWorkerPool(1);
        await Assert.ThrowsAsync<InvalidOperationException>(() => pool.TryRun<int>(() => throw new InvalidOperationException("x"))!);
    }
}
