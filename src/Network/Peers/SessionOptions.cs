namespace BeamSync.Network.Peers;

/// <summary>Per-peer timing and identity settings. Immutable.</summary>
public sealed record SessionOptions
{
    public string ClientId { get; init; } = "BeamSync/0.1/dotnet";
    public int ListenPort { get; init; }
    /// <summary>Handshake plus Hello must finish within this.</summary>
    public TimeSpan HandshakeTimeout { get; init; } = TimeSpan.FromSeconds(10);
    public TimeSpan PingInterval { get; init; } = TimeSpan.FromSeconds(15);
    /// <summary>No message at all for this long (a Pong included) ends the session with PingTimeout.</summary>
    public TimeSpan IdleTimeout { get; init; } = TimeSpan.FromSeconds(45);
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(10);
    /// <summary>Ingress frame bound (the 16 MiB message limit by default).</summary>
    public int MaxFrameSize { get; init; } = Rlpx.FrameCodec.MaxEncodableFrameSize;
    /// <summary>
    /// Requests of the peer waiting to be served before the read loop stops reading (see
    /// <see cref="PeerSession.QueueServingAsync"/>). Geth lets a peer have a handful of requests in flight; 16 keeps
    /// a pipelining peer busy without letting one hold more than 16 x 2 MiB of answers.
    /// </summary>
    public int ServingQueueCapacity { get; init; } = 16;
}
