using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using BeamSync.Node.Options;
using Spectre.Console;

namespace BeamSync.Cli.Devnet;

/// <summary>A child exited or never answered; the run cannot go on.</summary>
public sealed class DevnetFailedException(string message) : Exception(message);

/// <summary>
/// One <c>beamsync devnet</c> run: starts the producer and the beam nodes as child processes, drives the beam nodes'
/// head (<see cref="RelayHeadsAsync"/>), samples their sync stats, shows them, decides when the run is over, and
/// stops the children cleanly. The monitor loop owns the timelines; the relay loop only reads the list of ready
/// beam nodes under its lock.
/// </summary>
public sealed partial class DevnetRun(DevnetSettings settings, DevnetLauncher? launcher = null)
{
    private readonly DevnetLauncher _launch = launcher ?? ChildProcess.Launch;
    public const int ExitCancelled = 130;
    private static readonly TimeSpan PlainLineInterval = TimeSpan.FromSeconds(5);

    private readonly HttpClient _http = new() { Timeout = Timeout.InfiniteTimeSpan };
    private readonly Stopwatch _clock = new();
    private readonly HashSet<int> _ports = [];
    private readonly List<BeamMember> _beams = [];
    private readonly Lock _beamsLock = new();
    private IDevnetNode? _producer;
    private NodeRpcClient? _producerRpc;
    private string? _producerEnode;
    private volatile HeadInfo? _head;
    private volatile bool _live;
    private volatile string? _liveNote;

    /// <summary>A running beam node; <paramref name="EngineDriven"/>: its heads come through its engine API, not beamsync_newHead.</summary>
    private sealed record BeamMember(IDevnetNode Process, NodeRpcClient Rpc, NodeTimeline Timeline, string Enode, bool EngineDriven);

    /// <summary>The engine driver's relays, one per beam node, stopped with the head relay.</summary>
    private readonly List<Task> _followers = [];
    private readonly CancellationTokenSource _followStop = new();

    private NodeOptions Template => settings.Template;

    /// <summary>
    /// The beam nodes' options. Beside two servers they offer every form: a node speaks to each peer the highest version
    /// both offer, so a beam node on the legacy profile (eth/66 and snap/1 only) would share no snap with the modern one.
    /// </summary>
    private NodeOptions BeamTemplate => settings.SecondServer is null ? Template : Template with { Serve = ServeMode.All };
    private int BeamNodeCount => 1 + settings.ExtraBeamNodes;

    /// <summary>Runs to the end; returns the exit code (0 done, 1 not reached or failed, 130 cancelled).</summary>
    public async Task<int> RunAsync(CancellationToken cancel)
    {
        Directory.CreateDirectory(settings.RunDir);
        Log($"run folder {settings.RunDir} (datadirs and logs); seed {Template.Seed}");
        _clock.Start();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        timeout.CancelAfter(settings.Timeout);
        using var relayStop = new CancellationTokenSource();
        Task relay = Task.CompletedTask;
        int exit;
        string? failure = null;
        try
        {
            await StartProducerAsync(timeout.Token);
            relay = RelayHeadsAsync(relayStop.Token);
            if (settings.SecondServer is { } profile) await StartSecondServerAsync(profile, timeout.Token);
            await StartBeamNodeAsync(timeout.Token);
            await MonitorAsync(timeout.Token);
            exit = 0;
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            failure = "cancelled";
            exit = ExitCancelled;
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested)
        {
            failure = $"timed out after {settings.Timeout.TotalSeconds:F0} s: {NotReached()}";
            exit = 1;
        }
        catch (DevnetFailedException e)
        {
            failure = e.Message;
            exit = 1;
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or IOException or UnauthorizedAccessException)
        {
            failure = $"a node could not be started: {e.Message}";
            exit = 1;
        }

        if (!cancel.IsCancellationRequested) await AskProducerForFactsAsync();
        await relayStop.CancelAsync();
        await relay;
        await _followStop.CancelAsync();
        await Task.WhenAll(_followers);
        await StopChildrenAsync();
        Finish(failure);
        return exit;
    }

    private async Task StartProducerAsync(CancellationToken ct)
    {
        var ports = new ChildPorts(FreePort(), FreePort());
        var dataDir = Path.Combine(settings.RunDir, "producer");
        _producer = _launch("producer", ChildArguments.Producer(Template, dataDir, ports), settings.RunDir);
        _producerRpc = Rpc(ports);
        _producerEnode = await WaitReadyAsync(_producer, _producerRpc, ct);
        _servers.Add(new DevnetPeer("producer", ProfileName(Template.Serve), NodeIdOf(_producerEnode)));
        Log($"producer up, serving {ProfileName(Template.Serve)}: {_producerEnode}");
    }

    /// <summary>Starts the next beam node (named <c>beam-N</c> and run with <see cref="BeamTemplate"/> unless told otherwise) and hands it the current head.</summary>
    private async Task<BeamMember> StartBeamNodeAsync(CancellationToken ct, string? name = null, NodeOptions? options = null)
    {
        BeamMember[] earlier;
        lock (_beamsLock) earlier = [.. _beams];
        name ??= $"beam-{earlier.Length + 1}";
        var ports = new ChildPorts(FreePort(), FreePort());
        string[] bootnodes = [.. ServerEnodes, .. earlier.Select(b => b.Enode)];
        var dataDir = Path.Combine(settings.RunDir, name);
        bool engineDriven = settings.Driver == DevnetDriver.Engine;
        int enginePort = engineDriven ? FreePort() : 0;
        var secretFile = Path.Combine(settings.RunDir, "jwtsecret");
        var secret = engineDriven ? BeamSync.Rpc.JwtAuthenticator.LoadOrCreateSecret(secretFile) : [];
        var process = _launch(name, engineDriven
            ? ChildArguments.EngineDrivenBeamNode(options ?? BeamTemplate, dataDir, ports, bootnodes, enginePort, secretFile)
            : ChildArguments.BeamNode(options ?? BeamTemplate, dataDir, ports, bootnodes), settings.RunDir);
        var rpc = Rpc(ports);
        var timeline = new NodeTimeline(name) { BlockTime = Template.BlockTime };
        string enode;
        try
        {
            enode = await WaitReadyAsync(process, rpc, ct);
        }
        catch
        {
            // Not yet among the members that the end of the run stops: a timeout here would leave it running.
            await process.StopAsync(ChildProcess.StopGrace);
            await process.DisposeAsync();
            throw;
        }
        var member = new BeamMember(process, rpc, timeline, enode, engineDriven);
        lock (_beamsLock) _beams.Add(member);
        Log($"{name} up: {enode}");
        if (engineDriven)
        {
            // The first payload goes out now, as a consensus client's would: no warm-up.
            var engine = new BeamSync.Rpc.Engine.EngineClient(_http, new Uri($"http://{ChildArguments.Loopback}:{enginePort}/"), secret);
            _followers.Add(FollowThroughEngineAsync(timeline, new Node.Devnet.EngineFollower(engine), _followStop.Token));
            return member;
        }
        // A node that joins between two heads learns the current one at once, not a block time later.
        if (_head is { } head) await TryNewHeadAsync(rpc, head, ct);
        return member;
    }

    /// <summary>
    /// How often a starting child is asked whether it answers. A beam node gets its first head only once it answers, and
    /// its first-block clock runs from its first connect attempt, made just before its RPC opens: a coarse poll would
    /// add up to a whole interval to that time that belongs to this harness, not to the node.
    /// </summary>
    private static readonly TimeSpan ReadyPoll = TimeSpan.FromMilliseconds(20);

    /// <summary>Polls admin_nodeInfo until the child answers (it may be building its genesis state); fails if it exits.</summary>
    private static async Task<string> WaitReadyAsync(IDevnetNode child, NodeRpcClient rpc, CancellationToken ct)
    {
        while (true)
        {
            if (child.HasExited)
                throw new DevnetFailedException($"{child.Name} exited with code {child.ExitCode} before its RPC answered; log {child.LogPath}:\n{child.LogTail(15)}");
            try
            {
                return LoopbackEnode(await rpc.EnodeAsync(ct));
            }
            catch (Exception e) when (e is HttpRequestException or NodeRpcException or OperationCanceledException)
            {
                ct.ThrowIfCancellationRequested();
                await Task.Delay(ReadyPoll, ct);
            }
        }
    }

    /// <summary>A node listening on every interface reports an unspecified address; its peers here dial loopback.</summary>
    public static string LoopbackEnode(string enode) =>
        enode.Replace("@0.0.0.0:", "@127.0.0.1:", StringComparison.Ordinal).Replace("@[::]:", "@127.0.0.1:", StringComparison.Ordinal);

    private NodeRpcClient Rpc(ChildPorts ports) => new(_http, new Uri($"http://{ChildArguments.Loopback}:{ports.Rpc}/"));

    /// <summary>A TCP port free on loopback now, not handed out before in this run.</summary>
    private int FreePort()
    {
        while (true)
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            int port = ((IPEndPoint)listener.LocalEndpoint).Port;
            if (_ports.Add(port)) return port;
        }
    }

    private async Task StopChildrenAsync()
    {
        BeamMember[] beams;
        lock (_beamsLock) beams = [.. _beams];
        var stops = beams.Select(b => b.Process.StopAsync(ChildProcess.StopGrace)).ToList();
        if (_secondServer is not null) stops.Add(_secondServer.StopAsync(ChildProcess.StopGrace));
        if (_producer is not null) stops.Add(_producer.StopAsync(ChildProcess.StopGrace));
        await Task.WhenAll(stops);
        foreach (var beam in beams) await beam.Process.DisposeAsync();
        if (_secondServer is not null) await _secondServer.DisposeAsync();
        if (_producer is not null) await _producer.DisposeAsync();
    }

    /// <summary>To stderr; while the live table is on screen, into its caption instead, so the two do not interleave.</summary>
    private void Log(string message)
    {
        if (_live) _liveNote = message;
        else Console.Error.WriteLine($"devnet: {message}");
    }

    private IReadOnlyList<NodeTimeline> Timelines()
    {
        lock (_beamsLock) return [.. _beams.Select(b => b.Timeline)];
    }

    /// <summary>Prints the summary (table, or JSON alone on stdout) and writes the report.</summary>
    private void Finish(string? failure)
    {
        var timelines = Timelines();
        var peers = DevnetPeers();
        var summaries = timelines.Select(t => DevnetSummary.Of(t, peers)).OfType<NodeSummary>().ToList();
        if (settings.Json) Console.Out.WriteLine(DevnetSummary.ToJson(summaries, _producerReorgs));
        else if (summaries.Count > 0) AnsiConsole.Write(DevnetView.SummaryTable(summaries));
        if (settings.ReportDir is { } reportDir)
        {
            try
            {
                Log($"report {DevnetReport.Write(reportDir, timelines)}");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                Log($"report not written: {e.Message}");
            }
        }
        if (failure is not null) Log($"not done: {failure}");
        else Log($"done in {_clock.Elapsed.TotalSeconds:F0} s: every beam node is full and verified {DevnetSettings.BlocksAfterFull} more blocks");
    }
}
