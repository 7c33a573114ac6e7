using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using BeamSync.Core;
using BeamSync.Network.Link;
using BeamSync.Network.P2p;
using BeamSync.Network.Rlpx;

namespace BeamSync.Network.Peers;

/// <summary>
/// All peer sessions of the node: accepts inbound connections, dials static peers (redialling them when they
/// drop) and whatever the discovery yields, enforces the peer limit, and bans peers whose session ended with a
/// breach of protocol or a sunk score. Thread-safe.
/// </summary>
public sealed partial class PeerPool : IAsyncDisposable
{
    private readonly NodeKey _key;
    private readonly IReadOnlyList<IProtocolFactory> _factories;
    private readonly PeerPoolOptions _options;
    private readonly IDiscovery? _discovery;
    private readonly ConcurrentDictionary<string, PeerSession> _peers = new();
    private readonly CancellationTokenSource _cts = new();
    private readonly List<Task> _loops = [];
    private readonly UplinkShaper? _uplink;
    private TcpListener? _listener;

    /// <summary>An RLPx connection is authenticated and its session starts (Hello and Status still to come).</summary>
    public event Action<PeerSession>? SessionStarted;
    public event Action<PeerSession>? PeerReady;
    public event Action<PeerSession, DisconnectReason>? PeerDisconnected;

    public PeerPool(NodeKey key, IReadOnlyList<IProtocolFactory> factories, PeerPoolOptions options, IDiscovery? discovery = null)
    {
        _key = key;
        _factories = factories;
        _options = options;
        _discovery = discovery;
        _uplink = options.Link is { } link ? new UplinkShaper(link) : null;
    }

    /// <summary>The connection's byte stream, behind the node's shared uplink when a link model is configured.</summary>
    private Stream Transport(TcpClient client) => _uplink is null ? client.GetStream() : new ShapedStream(client.GetStream(), _uplink);

    public int ListenPort { get; private set; }
    public Enode LocalEnode => new(_key.PublicKey, _options.ListenAddress, ListenPort);
    public IReadOnlyCollection<PeerSession> Peers => (IReadOnlyCollection<PeerSession>)_peers.Values;

    public void Start()
    {
        if (_options.ListenPort >= 0)
        {
            _listener = new TcpListener(_options.ListenAddress, _options.ListenPort);
            _listener.Start();
            ListenPort = ((IPEndPoint)_listener.LocalEndpoint).Port;
            _loops.Add(AcceptLoopAsync(_cts.Token));
        }
        foreach (var peer in _options.StaticPeers) _loops.Add(StaticPeerLoopAsync(peer, _cts.Token));
        if (_discovery is not null) _loops.Add(DiscoveryLoopAsync(_cts.Token));
    }

    /// <summary>Dials a node and returns its session once Hello and the subprotocols' start (e.g. Status) are done.</summary>
    public async Task<PeerSession> ConnectAsync(Enode node, CancellationToken ct = default)
    {
        if (IsBanned(node.Id)) throw new RlpxException(DisconnectReason.UselessPeer, "peer is banned");
        var client = new TcpClient { NoDelay = true };
        Stream? transport = null;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct, _cts.Token);
            timeout.CancelAfter(_options.Session.HandshakeTimeout);
            await client.ConnectAsync(node.EndPoint, timeout.Token).ConfigureAwait(false);
            transport = Transport(client);
            var connection = await RlpxConnection.ConnectAsync(transport, _key.PrivateKey, node.Id, timeout.Token, _options.Session.MaxFrameSize).ConfigureAwait(false);
            var session = StartSession(connection, initiator: true, client);
            await session.Ready.ConfigureAwait(false);
            return session;
        }
        catch
        {
            if (transport is not null) await transport.DisposeAsync().ConfigureAwait(false);
            client.Dispose();
            throw;
        }
    }

    private PeerSession StartSession(RlpxConnection connection, bool initiator, TcpClient client)
    {
        var session = new PeerSession(connection, _key, _factories, _options.Session with { ListenPort = Math.Max(ListenPort, 0) }, initiator);
        var id = session.RemoteIdHex;
        bool admitted = !IsBanned(connection.RemoteId) && _peers.Count < _options.MaxPeers && _peers.TryAdd(id, session);
        _ = RunSessionAsync(session, client, admitted ? null : IsBanned(connection.RemoteId) ? DisconnectReason.UselessPeer
            : _peers.ContainsKey(id) ? DisconnectReason.AlreadyConnected : DisconnectReason.TooManyPeers);
        return session;
    }

    private async Task RunSessionAsync(PeerSession session, TcpClient client, DisconnectReason? refuse)
    {
        if (refuse is { } reason)
        {
            // Refused peers still get a proper Disconnect with the reason, once Hello settled compression.
            var run = session.RunAsync(_cts.Token);
            try { await session.HelloExchanged.WaitAsync(_options.Session.HandshakeTimeout).ConfigureAwait(false); } catch (Exception) { }
            await session.DisconnectAsync(reason).ConfigureAwait(false);
            await run.ConfigureAwait(false);
            await session.Closed.ConfigureAwait(false);
            client.Dispose();
            return;
        }
        SessionStarted?.Invoke(session);
        _ = session.Ready.ContinueWith(t => { if (t.IsCompletedSuccessfully) PeerReady?.Invoke(session); }, TaskScheduler.Default);
        var result = await session.RunAsync(_cts.Token).ConfigureAwait(false);
        _peers.TryRemove(session.RemoteIdHex, out _);
        client.Dispose();
        bool misbehaved = (!session.RemoteDisconnected && result == DisconnectReason.BreachOfProtocol)
            || session.Score.Value <= PeerScore.DisconnectThreshold;
        if (misbehaved) Ban(session.RemoteId);
        PeerDisconnected?.Invoke(session, result);
    }

    private async Task AcceptLoopAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            TcpClient client;
            try { client = await _listener!.AcceptTcpClientAsync(ct).ConfigureAwait(false); }
            catch (Exception) when (ct.IsCancellationRequested) { return; }
            catch (SocketException) { continue; }
            client.NoDelay = true;
            if (!TryBeginInboundHandshake(client, out var address)) { client.Dispose(); continue; }
            _ = AcceptOneAsync(client, address, ct);
        }
    }

    private async Task AcceptOneAsync(TcpClient client, IPAddress address, CancellationToken ct)
    {
        var transport = Transport(client);
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(_options.Session.HandshakeTimeout);
            var connection = await RlpxConnection.AcceptAsync(transport, _key.PrivateKey, timeout.Token, _options.Session.MaxFrameSize).ConfigureAwait(false);
            StartSession(connection, initiator: false, client);
        }
        catch (Exception)
        {
            // A failed handshake: nothing authenticated to report or ban.
            await transport.DisposeAsync().ConfigureAwait(false);
            client.Dispose();
        }
        finally { EndInboundHandshake(address); }
    }

    private async Task StaticPeerLoopAsync(Enode peer, CancellationToken ct)
    {
        var id = Hex.ToHex(peer.Id, false);
        while (!ct.IsCancellationRequested)
        {
            if (!_peers.ContainsKey(id) && !IsBanned(peer.Id))
            {
                try { var s = await ConnectAsync(peer, ct).ConfigureAwait(false); await s.Closed.ConfigureAwait(false); }
                catch (Exception) when (!ct.IsCancellationRequested) { }
                catch (Exception) { return; }
            }
            try { await Task.Delay(_options.StaticRedialInterval, ct).ConfigureAwait(false); } catch (OperationCanceledException) { return; }
        }
    }

    private async Task DiscoveryLoopAsync(CancellationToken ct)
    {
        try
        {
            await foreach (var node in _discovery!.DiscoverAsync(ct).ConfigureAwait(false))
            {
                if (_peers.Count >= _options.MaxPeers || _peers.ContainsKey(Hex.ToHex(node.Id, false)) || IsBanned(node.Id)) continue;
                _ = ConnectAsync(node, ct).ContinueWith(t => _ = t.Exception, TaskScheduler.Default);
            }
        }
        catch (OperationCanceledException) { }
    }

    public async ValueTask DisposeAsync()
    {
        _cts.Cancel();
        _listener?.Stop();
        foreach (var s in _peers.Values) await s.DisposeAsync().ConfigureAwait(false);
        try { await Task.WhenAll(_loops).WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false); } catch (Exception) { }
        _cts.Dispose();
    }
}
