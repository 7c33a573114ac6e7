namespace BeamSync.Cli.Devnet;

public sealed partial class DevnetRun
{
    /// <summary>How long one beamsync_waitForHead call waits on the producer before it is renewed.</summary>
    private static readonly TimeSpan HeadPoll = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The beam nodes' head source: long-polls the producer for each new head and hands its hash to every ready beam
    /// node at once. Ends when <paramref name="ct"/> is cancelled; a failed call is retried after a short pause.
    /// </summary>
    private async Task RelayHeadsAsync(CancellationToken ct)
    {
        ulong after = 0;
        while (!ct.IsCancellationRequested)
        {
            try
            {
                if (await _producerRpc!.WaitForHeadAsync(after, HeadPoll, ct) is not { } head) continue;
                after = head.Number;
                _head = head;
                BeamMember[] beams;
                lock (_beamsLock) beams = [.. _beams];
                await Task.WhenAll(beams.Select(beam => TryNewHeadAsync(beam.Rpc, head, ct)));
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is HttpRequestException or NodeRpcException or OperationCanceledException)
            {
                try { await Task.Delay(500, ct); }
                catch (OperationCanceledException) { return; }
            }
        }
    }

    /// <summary>A beam node that is down or busy misses this head; it gets the next one.</summary>
    private static async Task TryNewHeadAsync(NodeRpcClient beam, HeadInfo head, CancellationToken ct)
    {
        try
        {
            await beam.NewHeadAsync(head.Hash, ct);
        }
        catch (Exception e) when (e is HttpRequestException or NodeRpcException or OperationCanceledException)
        {
        }
    }
}
