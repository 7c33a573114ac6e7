using BeamSync.Sync.Accelerators;

namespace BeamSync.Sync.Tests;

public sealed class AcceleratorChainTests
{
    [Fact]
    public async Task A_later_blocks_accelerators_start_only_when_the_earlier_ones_are_done()
    {
        var chain = new AcceleratorChain(TimeSpan.FromSeconds(30), CancellationToken.None);
        var first = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        int secondStarted = 0;
        var firstRun = chain.Run(() => first.Task);
        var secondRun = chain.Run(() => { Interlocked.Increment(ref secondStarted); return Task.CompletedTask; });

        await Task.Delay(200);
        Assert.Equal(0, Volatile.Read(ref secondStarted));
        Assert.False(secondRun.IsCompleted);
        first.SetResult();
        await secondRun.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(firstRun.IsCompleted);
        Assert.Equal(1, secondStarted);
    }

    [Fact]
    public async Task Accelerators_that_never_finish_hold_the_next_block_back_no_longer_than_the_bound()
    {
        var chain = new AcceleratorChain(TimeSpan.FromMilliseconds(100), CancellationToken.None);
        var never = new TaskCompletionSource();
        _ = chain.Run(() => never.Task);
        var second = chain.Run(() => Task.CompletedTask);
        await second.WaitAsync(TimeSpan.FromSeconds(10));
        // Once free, the chain starts a block's accelerators at once.
        Assert.True(chain.Run(() => Task.CompletedTask).IsCompleted);
    }

    [Fact]
    public async Task A_start_still_queued_when_the_syncer_stops_never_runs()
    {
        using var stopping = new CancellationTokenSource();
        var chain = new AcceleratorChain(TimeSpan.FromMilliseconds(100), stopping.Token);
        var first = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _ = chain.Run(() => first.Task);
        int started = 0;
        var queued = chain.Run(() => { Interlocked.Increment(ref started); return Task.CompletedTask; });
        stopping.Cancel();
        first.SetResult();
        await queued.WaitAsync(TimeSpan.FromSeconds(10));
        await Task.Delay(300);
        Assert.Equal(0, Volatile.Read(ref started));
        Assert.True(chain.Run(() => { Interlocked.Increment(ref started); return Task.CompletedTask; }).IsCompleted);
        Assert.Equal(0, Volatile.Read(ref started));
    }
}
