using BeamSync.Network.P2p;
using BeamSync.Network.Rlpx;

namespace BeamSync.Network.Peers;

public sealed partial class PeerSession
{
    private async Task ExchangeHelloAsync(CancellationToken ct)
    {
        var offered = new List<(Capability, int)>();
        foreach (var f in _factories) offered.AddRange(f.Offered);
        var caps = new List<Capability>(offered.Count);
        foreach (var (c, _) in offered) caps.Add(c);
        var hello = new HelloMessage(HelloMessage.CurrentProtocolVersion, Options.ClientId, caps, Options.ListenPort, _localKey.PublicKey);
        await _connection.SendAsync(P2pMessageId.Hello, hello.Encode(), ct).ConfigureAwait(false);

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(Options.HandshakeTimeout);
        RlpxMessage first;
        try { first = await _connection.ReceiveAsync(timeout.Token).ConfigureAwait(false); }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        { throw new RlpxException(DisconnectReason.TcpError, "no Hello within the handshake timeout"); }
        using (first)
        {
            if (first.Id == P2pMessageId.Disconnect)
            {
                _pendingReason = DisconnectMessage.Decode(first.Payload);
                RemoteDisconnected = true;
                throw new OperationCanceledException("peer disconnected before Hello: " + _pendingReason);
            }
            if (first.Id != P2pMessageId.Hello) RlpxException.BreachOfProtocol($"expected Hello, got message {first.Id}");
            RemoteHello = HelloMessage.Decode(first.Payload);
        }
        if (!RemoteHello.NodeId.AsSpan().SequenceEqual(_connection.RemoteId))
            RlpxException.Throw(DisconnectReason.UnexpectedIdentity, "Hello node id differs from the handshake identity");
        if (RemoteHello.NodeId.AsSpan().SequenceEqual(_localKey.PublicKey))
            RlpxException.Throw(DisconnectReason.ConnectedToSelf, "connected to self");

        Shared = CapabilityNegotiation.Negotiate(offered, RemoteHello.Capabilities);
        if (Shared.Count == 0) RlpxException.Throw(DisconnectReason.UselessPeer, "no shared capability");
        _connection.Compression = RemoteHello.ProtocolVersion >= 5;

        var handlers = new List<IProtocolHandler>(Shared.Count);
        foreach (var shared in Shared)
            foreach (var f in _factories)
                if (f.Offered.Any(o => o.Capability.Name == shared.Name && o.Capability.Version == shared.Version))
                { handlers.Add(f.Create(this, shared)); break; }
        _handlers = handlers;
    }

    private async Task ReadLoopAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            using var message = await _connection.ReceiveAsync(ct).ConfigureAwait(false);
            Volatile.Write(ref _lastReceivedTicks, Environment.TickCount64);
            switch (message.Id)
            {
                case P2pMessageId.Ping:
                    await _connection.SendAsync(P2pMessageId.Pong, Core.Rlp.EmptyList, ct).ConfigureAwait(false);
                    continue;
                case P2pMessageId.Pong:
                    continue;
                case P2pMessageId.Disconnect:
                    _pendingReason = DisconnectMessage.Decode(message.Payload);
                    RemoteDisconnected = true;
                    _cts.Cancel();
                    return;
                case P2pMessageId.Hello:
                    RlpxException.BreachOfProtocol("second Hello");
                    break;
            }
            if (message.Id < CapabilityNegotiation.FirstSubprotocolId) continue; // reserved p2p ids: ignored (forward compatibility)
            IProtocolHandler? target = null;
            foreach (var h in _handlers) if (h.Capability.Owns(message.Id)) { target = h; break; }
            if (target is null) RlpxException.BreachOfProtocol($"message id {message.Id} belongs to no shared capability");
            await target.HandleAsync((int)(message.Id - (ulong)target.Capability.Offset), message, ct).ConfigureAwait(false);
        }
    }

    private async Task PingLoopAsync(CancellationToken ct)
    {
        try
        {
            while (!ct.IsCancellationRequested)
            {
                await Task.Delay(Options.PingInterval, ct).ConfigureAwait(false);
                long idle = Environment.TickCount64 - Volatile.Read(ref _lastReceivedTicks);
                if (idle > Options.IdleTimeout.TotalMilliseconds) { await DisconnectAsync(DisconnectReason.PingTimeout).ConfigureAwait(false); return; }
                // A peer that stops reading blocks our writes: a Ping that cannot go out within the idle timeout ends the session too.
                using var sendTimeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
                sendTimeout.CancelAfter(Options.IdleTimeout);
                try { await _connection.SendAsync(P2pMessageId.Ping, Core.Rlp.EmptyList, sendTimeout.Token).ConfigureAwait(false); }
                catch (OperationCanceledException) when (!ct.IsCancellationRequested)
                {
                    _pendingReason = DisconnectReason.PingTimeout;
                    _cts.Cancel();
                    return;
                }
            }
        }
        catch (OperationCanceledException) { }
        catch (Exception) { _cts.Cancel(); }
    }
}
