using BeamSync.Core;
using BeamSync.Network.P2p;
using BeamSync.Network.Rlpx;

namespace BeamSync.Network.Peers;

/// <summary>
/// Shared plumbing of the request/response subprotocols (eth/66+, snap, wit): sending on the capability,
/// [request-id, ...] envelopes matched by <see cref="RequestTracker"/> with the session's timeout, and scoring
/// of unrequested or malformed answers. Request methods are thread-safe; message handling runs on the read loop.
/// </summary>
public abstract class RequestingHandler(PeerSession session, SharedCapability capability) : IProtocolHandler
{
    private readonly RequestTracker _requests = new();

    public SharedCapability Capability { get; } = capability;
    public int Version => Capability.Version;
    public PeerSession Session { get; } = session;

    public abstract Task StartAsync(CancellationToken ct);
    public abstract ValueTask HandleAsync(int code, RlpxMessage message, CancellationToken ct);

    public virtual void OnDisconnected(DisconnectReason reason) =>
        _requests.FailAll(new RlpxException(reason, $"peer disconnected: {reason}"));

    protected ValueTask SendAsync(int code, byte[] payload, CancellationToken ct = default) => Session.SendAsync(Capability, code, payload, ct);

    /// <summary>
    /// Hands a request of the peer to the session's serving worker (see <see cref="PeerSession.QueueServingAsync"/>);
    /// the payload is copied, as the message is released when the read loop moves on.
    /// </summary>
    protected ValueTask QueueServingAsync(Func<byte[], CancellationToken, Task> serve, RlpxMessage request, CancellationToken ct)
    {
        var payload = request.Payload.ToArray();
        return Session.QueueServingAsync(c => serve(payload, c), ct);
    }

    /// <summary>Waits for whatever must precede requests (eth: the Status exchange).</summary>
    protected virtual Task ReadyForRequests => Task.CompletedTask;

    /// <summary>Sends [request-id, fields...] and awaits the matching response payload.</summary>
    protected async Task<byte[]> RequestAsync(int requestCode, int responseCode, CancellationToken ct, params byte[][] fields)
    {
        await ReadyForRequests.ConfigureAwait(false);
        var (id, response) = _requests.Register(responseCode, Session.Options.RequestTimeout, () => Session.Penalize(PeerScore.Timeout));
        var items = new byte[fields.Length + 1][];
        items[0] = Rlp.Encode(id);
        fields.CopyTo(items, 1);
        await SendAsync(requestCode, Rlp.EncodeList(items), ct).ConfigureAwait(false);
        return await response.WaitAsync(ct).ConfigureAwait(false);
    }

    /// <summary>Routes a response to its request; an answer to nothing we asked lowers the peer's score.</summary>
    protected void DeliverResponse(int code, ReadOnlySpan<byte> payload)
    {
        var list = new RlpReader(payload).ReadList();
        ulong id = list.ReadUInt64();
        if (!_requests.TryComplete(id, code, payload.ToArray())) Session.Penalize(PeerScore.Useless);
    }

    protected delegate T BodyReader<T>(ref RlpReader reader);

    /// <summary>Decodes a response after its request id; malformed RLP is a breach that ends the session.</summary>
    protected T ReadResponse<T>(byte[] payload, BodyReader<T> read)
    {
        try
        {
            var list = new RlpReader(payload).ReadList();
            list.ReadUInt64();
            return read(ref list);
        }
        catch (RlpException e)
        {
            Session.Penalize(PeerScore.Breach, DisconnectReason.BreachOfProtocol);
            throw new RlpxException(DisconnectReason.BreachOfProtocol, "malformed response: " + e.Message, e);
        }
    }

    /// <summary>The peer answered with data that fails validation: score it and fail the request.</summary>
    protected void Useless(string why)
    {
        Session.Penalize(PeerScore.Useless);
        throw new RlpxException(DisconnectReason.UselessPeer, why);
    }
}
