using BeamSync.Node.Options;

namespace BeamSync.Cli.Devnet;

public sealed partial class DevnetRun
{
    /// <summary>The name of the full node that serves the other profile beside the producer.</summary>
    public const string SecondServerName = "server-2";

    /// <summary>How often a starting second server is asked how far it has executed.</summary>
    private static readonly TimeSpan CatchUpPoll = TimeSpan.FromMilliseconds(200);

    /// <summary>The servers beam nodes fetch from: the producer, then the second server when there is one.</summary>
    private readonly List<DevnetPeer> _servers = [];
    private IDevnetNode? _secondServer;
    private volatile NodeRpcClient? _secondServerRpc;
    private string? _secondServerEnode;

    /// <summary>The enodes a beam node dials besides the earlier beam nodes: the producer, then the second server.</summary>
    private string[] ServerEnodes => _secondServerEnode is { } second ? [_producerEnode!, second] : [_producerEnode!];

    /// <summary>
    /// Starts the second server (<see cref="ChildArguments.Server"/>) and waits until it has executed the producer's
    /// chain up to its head, so that from a beam node's first request on both servers hold the newest roots.
    /// </summary>
    private async Task StartSecondServerAsync(ServeMode profile, CancellationToken ct)
    {
        var ports = new ChildPorts(FreePort(), FreePort());
        var dataDir = Path.Combine(settings.RunDir, SecondServerName);
        _secondServer = _launch(SecondServerName, ChildArguments.Server(Template, profile, dataDir, ports, _producerEnode!), settings.RunDir);
        var rpc = Rpc(ports);
        _secondServerEnode = await WaitReadyAsync(_secondServer, rpc, ct);
        _servers.Add(new DevnetPeer(SecondServerName, ProfileName(profile), NodeIdOf(_secondServerEnode)));
        _secondServerRpc = rpc;
        Log($"{SecondServerName} up, serving {ProfileName(profile)}: {_secondServerEnode}; executing the producer's chain");
        if (_head is { } head) await TryNewHeadAsync(rpc, head, ct);
        while (true)
        {
            if (_secondServer.HasExited)
                throw new DevnetFailedException($"{SecondServerName} exited with code {_secondServer.ExitCode}; log {_secondServer.LogPath}:\n{_secondServer.LogTail(15)}");
            try
            {
                var stats = await rpc.SyncStatsAsync(ct);
                if (_head is { } now && stats.Mode == "full" && stats.Executed + 1 >= now.Number)
                {
                    Log($"{SecondServerName} executed the producer's chain to block {stats.Executed} (producer head {now.Number})");
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or NodeRpcException or System.Text.Json.JsonException) { }
            await Task.Delay(CatchUpPoll, ct);
        }
    }

    private static string ProfileName(ServeMode profile) => profile.ToString().ToLowerInvariant();

    /// <summary>The node id (hex) of an enode URL.</summary>
    public static string NodeIdOf(string enode)
    {
        const string scheme = "enode://";
        int at = enode.IndexOf('@', StringComparison.Ordinal);
        return enode.StartsWith(scheme, StringComparison.Ordinal) && at > scheme.Length ? enode[scheme.Length..at] : enode;
    }

    /// <summary>Every node a beam node may have fetched from, for the shares in the summary.</summary>
    private IReadOnlyList<DevnetPeer> DevnetPeers()
    {
        lock (_beamsLock)
            return [.. _servers, .. _beams.Select(b => new DevnetPeer(b.Timeline.Name, $"beam, {ProfileName(BeamTemplate.Serve)}", NodeIdOf(b.Enode)))];
    }
}
