using BeamSync.Network.P2p;
using BeamSync.Network.Rlpx;

namespace BeamSync.Network.Peers;

/// <summary>
/// One negotiated subprotocol (eth, snap, wit) on one session. The session's read loop calls
/// <see cref="HandleAsync"/> one message at a time, so a handler sees its messages in order. Responses to our own
/// requests are delivered there at once; the peer's requests are handed to the session's serving worker
/// (<see cref="PeerSession.QueueServingAsync"/>) so a slow store never delays them. Handlers throw
/// <see cref="RlpxException"/> for a protocol breach; the session then disconnects with its reason.
/// </summary>
public interface IProtocolHandler
{
    SharedCapability Capability { get; }

    /// <summary>Runs once after Hello (e.g. sends eth Status).</summary>
    Task StartAsync(CancellationToken ct);

    /// <param name="code">The message code relative to the capability's offset.</param>
    ValueTask HandleAsync(int code, RlpxMessage message, CancellationToken ct);

    /// <summary>The session ended: fail whatever is outstanding.</summary>
    void OnDisconnected(DisconnectReason reason);
}

/// <summary>Creates a subprotocol's handler for each session that shares it. Thread-safe.</summary>
public interface IProtocolFactory
{
    /// <summary>Versions offered in Hello with each version's message-id count.</summary>
    IReadOnlyList<(Capability Capability, int MessageCount)> Offered { get; }

    IProtocolHandler Create(PeerSession session, SharedCapability capability);
}
