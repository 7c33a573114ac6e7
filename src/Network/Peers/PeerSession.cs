using System.Threading.Channels;
using BeamSync.Core;
using BeamSync.Network.P2p;
using BeamSync.Network.Rlpx;

namespace BeamSync.Network.Peers;

/// <summary>
/// One live peer: an authenticated RLPx connection, the Hello exchange, the negotiated subprotocols and the read
/// loop that dispatches their messages in order; Ping/Pong liveness; Disconnect with a reason; a score that ends
/// the session when the peer misbehaves. Sends are thread-safe; the peer's requests are served by the session's
/// serving worker (<see cref="QueueServingAsync"/>); everything else runs on the session's own read loop.
/// </summary>
public sealed partial class PeerSession : IAsyncDisposable
{
    private readonly RlpxConnection _connection;
    private readonly NodeKey _localKey;
    private readonly IReadOnlyList<IProtocolFactory> _factories;
    private readonly CancellationTokenSource _cts = new();
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _helloExchanged = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<DisconnectReason> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private List<IProtocolHandler> _handlers = [];
    private long _lastReceivedTicks = Environment.TickCount64;
    private int _disconnecting;

    public SessionOptions Options { get; }
    public bool IsInitiator { get; }
    public byte[] RemoteId => _connection.RemoteId;
    public string RemoteIdHex { get; }
    public HelloMessage? RemoteHello { get; private set; }
    public IReadOnlyList<SharedCapability> Shared { get; private set; } = [];
    public PeerScore Score { get; } = new();
    /// <summary>What ended the session on this side, for logs and tests.</summary>
    public Exception? LastError { get; private set; }

    /// <summary>Completes when Hello is exchanged and every subprotocol has started.</summary>
    public Task Ready => _ready.Task;
    /// <summary>
    /// Completes when both Hellos are through, so both sides agree on compression: a Disconnect sent from then on
    /// is read correctly (one sent earlier would be uncompressed while the peer already expects snappy).
    /// </summary>
    public Task HelloExchanged => _helloExchanged.Task;
    /// <summary>Completes with the reason once the session is over.</summary>
    public Task<DisconnectReason> Closed => _closed.Task;
    /// <summary>True when the remote side sent the Disconnect.</summary>
    public bool RemoteDisconnected { get; private set; }

    public PeerSession(RlpxConnection connection, NodeKey localKey, IReadOnlyList<IProtocolFactory> factories, SessionOptions options, bool initiator)
    {
        _connection = connection;
        _localKey = localKey;
        _factories = factories;
        Options = options;
        IsInitiator = initiator;
        RemoteIdHex = Hex.ToHex(connection.RemoteId, prefix: false);
        _serving = Channel.CreateBounded<Func<CancellationToken, Task>>(new BoundedChannelOptions(options.ServingQueueCapacity)
        { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    }

    public T? Protocol<T>() where T : class, IProtocolHandler
    {
        foreach (var h in _handlers) if (h is T t) return t;
        return null;
    }

    /// <summary>Sends a subprotocol message (code relative to the capability).</summary>
    public ValueTask SendAsync(SharedCapability capability, int code, ReadOnlyMemory<byte> payload, CancellationToken ct = default)
    {
        if ((uint)code >= (uint)capability.MessageCount) throw new ArgumentOutOfRangeException(nameof(code));
        return _connection.SendAsync((ulong)(capability.Offset + code), payload, ct);
    }

    /// <summary>Lowers the peer's score; at the threshold the session ends with <paramref name="reason"/>.</summary>
    public void Penalize(int delta, DisconnectReason reason = DisconnectReason.UselessPeer)
    {
        if (Score.Add(delta)) _ = DisconnectAsync(reason);
    }

    /// <summary>Runs the session until it ends; returns the disconnect reason.</summary>
    public async Task<DisconnectReason> RunAsync(CancellationToken ct)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, _cts.Token);
        var token = linked.Token;
        DisconnectReason reason = DisconnectReason.Requested;
        try
        {
            await ExchangeHelloAsync(token).ConfigureAwait(false);
            _helloExchanged.TrySetResult();
            foreach (var h in _handlers) await h.StartAsync(token).ConfigureAwait(false);
            _ready.TrySetResult();
            _ = ServeLoopAsync(token); // not awaited at the end: a store call may outlive the session; it catches everything
            var ping = PingLoopAsync(token);
            await ReadLoopAsync(token).ConfigureAwait(false);
            await ping.ConfigureAwait(false);
        }
        catch (OperationCanceledException e) { LastError ??= e; reason = _pendingReason; }
        catch (Exception e)
        {
            LastError = e;
            reason = ReasonFor(e);
            if (reason != DisconnectReason.TcpError) await SendDisconnectAsync(reason).ConfigureAwait(false);
        }
        finally
        {
            _cts.Cancel();
            StopServing();
            if (RemoteDisconnected) reason = _pendingReason;
            _ready.TrySetException(new RlpxException(reason, $"session ended: {reason}"));
            _helloExchanged.TrySetException(new RlpxException(reason, $"session ended: {reason}"));
            _ = _ready.Task.Exception; _ = _helloExchanged.Task.Exception; // observed: nobody may be waiting
            foreach (var h in _handlers) h.OnDisconnected(reason);
            await _connection.DisposeAsync().ConfigureAwait(false);
            _closed.TrySetResult(reason);
        }
        return reason;
    }

    private DisconnectReason _pendingReason = DisconnectReason.Requested;

    /// <summary>Sends Disconnect (best effort) and ends the session.</summary>
    public async Task DisconnectAsync(DisconnectReason reason)
    {
        if (Interlocked.Exchange(ref _disconnecting, 1) != 0) return;
        _pendingReason = reason;
        await SendDisconnectAsync(reason).ConfigureAwait(false);
        _cts.Cancel();
    }

    private async Task SendDisconnectAsync(DisconnectReason reason)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await _connection.SendAsync(P2pMessageId.Disconnect, DisconnectMessage.Encode(reason), timeout.Token).ConfigureAwait(false);
        }
        catch (Exception) { /* the peer may already be gone; the reason is recorded locally anyway */ }
    }

    public async ValueTask DisposeAsync()
    {
        await DisconnectAsync(DisconnectReason.ClientQuitting).ConfigureAwait(false);
        try { await Closed.WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false); } catch (TimeoutException) { }
        _cts.Dispose();
    }
}
