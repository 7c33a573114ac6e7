using Spectre.Console;

namespace BeamSync.Cli.Devnet;

public sealed partial class DevnetRun
{
    private readonly Dictionary<NodeTimeline, Task> _pivotCounts = [];
    private Task? _starting;
    private ulong? _endAtBlock;

    /// <summary>Samples and shows every beam node twice a second until the run is over (returns) or fails (throws).</summary>
    private async Task MonitorAsync(CancellationToken ct)
    {
        if (!settings.Json && !Console.IsOutputRedirected)
        {
            _live = true;
            try
            {
                await AnsiConsole.Live(LiveTable("starting")).AutoClear(false).StartAsync(async live =>
                {
                    while (!await TickAsync(ct))
                    {
                        live.UpdateTarget(LiveTable(Status()));
                        await Task.Delay(settings.SampleInterval, ct);
                    }
                    live.UpdateTarget(LiveTable(Status()));
                });
            }
            finally
            {
                _live = false;
            }
            return;
        }
        var nextLine = TimeSpan.Zero;
        while (!await TickAsync(ct))
        {
            if (_clock.Elapsed >= nextLine)
            {
                foreach (var timeline in Timelines()) Log(DevnetView.PlainLine(timeline));
                nextLine = _clock.Elapsed + PlainLineInterval;
            }
            await Task.Delay(settings.SampleInterval, ct);
        }
    }

    private Spectre.Console.Rendering.IRenderable LiveTable(string status) =>
        DevnetView.LiveTable(_head?.Number ?? 0, _clock.Elapsed, Timelines(), status);

    /// <summary>One sample of every node; starts the next beam node when it is due. True once the run is over.</summary>
    private async Task<bool> TickAsync(CancellationToken ct)
    {
        if (_producer!.HasExited) throw new DevnetFailedException($"the producer exited with code {_producer.ExitCode}; log {_producer.LogPath}");
        if (_secondServer is { HasExited: true }) throw new DevnetFailedException($"{SecondServerName} exited with code {_secondServer.ExitCode}; log {_secondServer.LogPath}");
        BeamMember[] beams;
        lock (_beamsLock) beams = [.. _beams];
        foreach (var beam in beams)
        {
            if (beam.Process.HasExited)
                throw new DevnetFailedException($"{beam.Process.Name} exited with code {beam.Process.ExitCode}; log {beam.Process.LogPath}");
            try
            {
                beam.Timeline.Add(_clock.Elapsed.TotalSeconds, await beam.Rpc.SyncStatsAsync(ct));
            }
            catch (Exception e) when (e is HttpRequestException or NodeRpcException or System.Text.Json.JsonException
                                          || e is OperationCanceledException && !ct.IsCancellationRequested)
            {
                // A busy node misses one sample.
            }
            if (beam.Timeline.FirstPivot is not null && !_pivotCounts.ContainsKey(beam.Timeline))
                _pivotCounts[beam.Timeline] = CountPivotStateAsync(beam.Timeline, ct);
        }

        if (_starting is { IsCompleted: true })
        {
            await _starting; // a failed start ends the run with its reason
            _starting = null;
        }
        if (_starting is null && beams.Length < BeamNodeCount && NextNodeDue(beams[^1].Timeline))
            _starting = StartBeamNodeAsync(ct);

        return IsOver(beams);
    }

    private static bool NextNodeDue(NodeTimeline previous) =>
        previous.Latest is { } s && (s.Mode == "full" || s.Backfill.Complete || s.Backfill.Fraction >= DevnetSettings.NextNodeAtBackfill);

    /// <summary>Over once every beam node has started, is full, and has verified a few blocks past the head at which the last became full.</summary>
    private bool IsOver(BeamMember[] beams)
    {
        if (beams.Length < BeamNodeCount || _starting is not null) return false;
        if (!beams.All(b => b.Timeline.Latest?.Mode == "full")) return false;
        _endAtBlock ??= (_head?.Number ?? 0) + DevnetSettings.BlocksAfterFull;
        return beams.All(b => b.Timeline.Latest!.Executed >= _endAtBlock);
    }

    private string Status() => _liveNote is { } note ? $"{Progress()}\n{note}" : Progress();

    private string Progress()
    {
        if (_endAtBlock is { } end) return $"every beam node is full; ending when each has verified block {end}";
        int started;
        lock (_beamsLock) started = _beams.Count;
        return started < BeamNodeCount
            ? $"{started} of {BeamNodeCount} beam nodes started; the next starts when the latest has backfilled {DevnetSettings.NextNodeAtBackfill:P0}"
            : "waiting for every beam node to be full";
    }

    /// <summary>What the run did not reach, node by node, for the timeout message.</summary>
    private string NotReached()
    {
        var reasons = new List<string>();
        if (_producerEnode is null) reasons.Add("the producer never answered on its RPC");
        var timelines = Timelines();
        foreach (var timeline in timelines)
        {
            var s = timeline.Latest;
            if (s is null) reasons.Add($"{timeline.Name} reported no sync stats");
            else if (s.BlocksExecuted == 0) reasons.Add($"{timeline.Name} verified no block (head {s.Head})");
            else if (s.Mode != "full") reasons.Add($"{timeline.Name} is not full (mode {s.Mode}, backfill {s.Backfill.Fraction:P1})");
            else if (_endAtBlock is { } end && s.Executed < end) reasons.Add($"{timeline.Name} is full but verified only up to block {s.Executed} of {end}");
        }
        if (_producerEnode is not null && timelines.Count < BeamNodeCount)
            reasons.Add($"only {timelines.Count} of {BeamNodeCount} beam nodes started");
        return reasons.Count > 0 ? string.Join("; ", reasons) : "the end condition";
    }
}
