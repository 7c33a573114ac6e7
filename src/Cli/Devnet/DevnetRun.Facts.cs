namespace BeamSync.Cli.Devnet;

public sealed partial class DevnetRun
{
    /// <summary>Blocks below the one seen with the final root that may hold the root the walk checked (it ran before the sample).</summary>
    private const int FinalRootLookBack = 8;
    private static readonly TimeSpan FactsTimeout = TimeSpan.FromSeconds(150);

    /// <summary>The side branches the producer made (<c>--reorg-every</c>), as it said at the end of the run.</summary>
    private int? _producerReorgs;

    /// <summary>The producer's state nodes under the first pivot's parent root, asked while that state is recent.</summary>
    private async Task CountPivotStateAsync(NodeTimeline timeline, CancellationToken ct)
    {
        try
        {
            var pivot = timeline.FirstPivot!.Value;
            if (pivot == 0 || await _producerRpc!.BlockAsync(pivot - 1, ct) is not { } parent) return;
            timeline.PivotStateNodeCount = await _producerRpc.StateNodeCountAsync(parent.StateRoot, ct);
        }
        catch (Exception e) when (e is HttpRequestException or NodeRpcException or OperationCanceledException)
        {
            Log($"{timeline.Name}: the producer could not count the pivot state: {e.Message}");
        }
    }

    /// <summary>Before the children stop: waits for the pivot counts and compares each final state root with the producer's.</summary>
    private async Task AskProducerForFactsAsync()
    {
        if (_producerRpc is null || _producer!.HasExited) return;
        using var deadline = new CancellationTokenSource(FactsTimeout);
        try
        {
            await Task.WhenAll(_pivotCounts.Values).WaitAsync(deadline.Token);
            _producerReorgs = (await _producerRpc.SyncStatsAsync(deadline.Token)).Reorgs;
            foreach (var timeline in Timelines())
                if (timeline.FinalRoot is { } root && timeline.FinalRootSeenAtBlock is { } seenAt)
                    timeline.FinalStateRootMatches = await ProducerHasRootAsync(root, seenAt, timeline.FinalRootBlockHash, deadline.Token);
        }
        catch (Exception e) when (e is HttpRequestException or NodeRpcException or OperationCanceledException or TimeoutException)
        {
            Log($"the producer did not answer every check: {e.Message}");
        }
    }

    /// <summary>
    /// True when the producer's block <paramref name="blockHash"/> (on any branch: a side branch may have replaced it
    /// since), or its canonical block <paramref name="seenAt"/> or one of the few before it, has <paramref name="root"/>
    /// as its state root.
    /// </summary>
    private async Task<bool> ProducerHasRootAsync(string root, ulong seenAt, string? blockHash, CancellationToken ct)
    {
        if (blockHash is not null && await _producerRpc!.BlockAsync(blockHash, ct) is { } exact && string.Equals(exact.StateRoot, root, StringComparison.OrdinalIgnoreCase))
            return true;
        for (ulong number = seenAt; number + FinalRootLookBack >= seenAt; number--)
        {
            if (await _producerRpc!.BlockAsync(number, ct) is { } block && string.Equals(block.StateRoot, root, StringComparison.OrdinalIgnoreCase))
                return true;
            if (number == 0) break;
        }
        return false;
    }
}
