using System.Text.Json;
using BeamSync.Node.Devnet;

namespace BeamSync.Cli.Devnet;

public sealed partial class DevnetRun
{
    /// <summary>
    /// <c>beamsync devnet --accelerator-matrix</c>: one producer, and for each <see cref="AcceleratorMatrix.Sets"/> entry
    /// in turn a fresh beam node with backfill off, run until it has verified the first block and
    /// <see cref="AcceleratorMatrix.BlocksMeasured"/> more, then stopped. Prints the table (or JSON rows with
    /// <c>--json</c>). A setting too slow to verify them all within <see cref="AcceleratorMatrix.MaxTimePerSet"/> is measured
/// over the blocks it did verify (the row says how many). The settings share one producer, so each measures the next stretch of the same chain (same seed,
    /// same workload per block). Returns the exit code (0 measured, 1 not reached or failed, 130 cancelled).
    /// </summary>
    public async Task<int> RunMatrixAsync(CancellationToken cancel)
    {
        Directory.CreateDirectory(settings.RunDir);
        Log($"accelerator matrix; run folder {settings.RunDir}; seed {Template.Seed}");
        _clock.Start();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        timeout.CancelAfter(settings.Timeout);
        using var relayStop = new CancellationTokenSource();
        Task relay = Task.CompletedTask;
        var rows = new List<AcceleratorRow>();
        string? failure = null;
        int exit = 0;
        try
        {
            await StartProducerAsync(timeout.Token);
            relay = RelayHeadsAsync(relayStop.Token);
            foreach (var set in AcceleratorMatrix.Sets) rows.Add(await MeasureSetAsync(set, timeout.Token));
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            failure = "cancelled";
            exit = ExitCancelled;
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            failure = $"timed out after {settings.Timeout.TotalSeconds:F0} s with {rows.Count} of {AcceleratorMatrix.Sets.Length} settings measured";
            exit = 1;
        }
        catch (DevnetFailedException e)
        {
            failure = e.Message;
            exit = 1;
        }
        await relayStop.CancelAsync();
        await relay;
        await StopChildrenAsync();
        Console.Out.Write(settings.Json ? JsonSerializer.Serialize(rows, NodeRpcClient.StatsJson) + "\n" : AcceleratorMatrix.Table(rows));
        Log(failure is null ? $"done in {_clock.Elapsed.TotalSeconds:F0} s" : $"not done: {failure}");
        return exit;
    }

    /// <summary>One setting: a fresh beam node sampled until it verified enough blocks, then stopped and measured.</summary>
    private async Task<AcceleratorRow> MeasureSetAsync(AcceleratorSet set, CancellationToken ct)
    {
        var member = await StartBeamNodeAsync(ct, set.Name, set.Apply(Template));
        var nextLine = TimeSpan.Zero;
        var giveUp = _clock.Elapsed + AcceleratorMatrix.MaxTimePerSet;
        while (member.Timeline.Blocks.Count <= AcceleratorMatrix.BlocksMeasured && _clock.Elapsed < giveUp)
        {
            if (member.Process.HasExited)
                throw new DevnetFailedException($"{set.Name} exited with code {member.Process.ExitCode}; log {member.Process.LogPath}");
            await Task.Delay(settings.SampleInterval, ct);
            try
            {
                member.Timeline.Add(_clock.Elapsed.TotalSeconds, await member.Rpc.SyncStatsAsync(ct));
            }
            catch (Exception e) when (e is HttpRequestException or NodeRpcException or JsonException
                                          || e is OperationCanceledException && !ct.IsCancellationRequested)
            {
                // A busy node misses one sample.
            }
            if (_clock.Elapsed >= nextLine)
            {
                Log(DevnetView.PlainLine(member.Timeline));
                nextLine = _clock.Elapsed + PlainLineInterval;
            }
        }
        lock (_beamsLock) _beams.Remove(member);
        await member.Process.StopAsync(ChildProcess.StopGrace);
        await member.Process.DisposeAsync();
        var row = AcceleratorMatrix.Measure(set.Name, member.Timeline.Blocks, member.Timeline.Latest?.TimeToFirstVerifiedBlockMs);
        // A setting that verified nothing has no per-block figures: its zeros would read as "no stalls".
        Log(row.Blocks == 0
            ? $"{set.Name}: verified no block within {AcceleratorMatrix.MaxTimePerSet.TotalSeconds:0} s (its first block stalled at least that long)"
            : $"{set.Name}: stall p95 {row.StallMsPerBlock.P95:0} ms (mean {row.StallMsPerBlock.Mean:0}), available to verified p95 {row.AvailableToVerifiedMs.P95:0} ms (mean {row.AvailableToVerifiedMs.Mean:0}) over {row.Blocks} blocks");
        return row;
    }
}
