using System.Net;
using BeamSync.Network.Link;
using BeamSync.Network.P2p;

namespace BeamSync.Network.Peers;

/// <summary>Settings of the peer pool. Immutable.</summary>
public sealed record PeerPoolOptions
{
    public IPAddress ListenAddress { get; init; } = IPAddress.Loopback;
    /// <summary>0 picks a free port (see <see cref="PeerPool.ListenPort"/>); negative disables listening.</summary>
    public int ListenPort { get; init; } = 30303;
    public int MaxPeers { get; init; } = 25;
    public IReadOnlyList<Enode> StaticPeers { get; init; } = [];
    public TimeSpan StaticRedialInterval { get; init; } = TimeSpan.FromSeconds(15);
    public TimeSpan BanDuration { get; init; } = TimeSpan.FromMinutes(30);
    /// <summary>
    /// Most bans held at once. A hostile peer gets a new identity for free, so bans mostly hold keys never seen
    /// again: past this bound the bans closest to expiry are dropped first (expired ones always are).
    /// </summary>
    public int MaxBannedPeers { get; init; } = 4096;
    /// <summary>
    /// Inbound RLPx handshakes in progress at once (each costs two ECDH and holds a socket for up to the handshake
    /// timeout); connections beyond it are closed at once. Twice the default peer limit.
    /// </summary>
    public int MaxInboundHandshakes { get; init; } = 50;
    /// <summary>Inbound handshakes in progress at once from one IP address, so one host cannot take all the slots.</summary>
    public int MaxInboundHandshakesPerAddress { get; init; } = 4;
    public SessionOptions Session { get; init; } = new();
    /// <summary>The simulated internet link every connection's bytes go through (devnet); null sends at loopback speed.</summary>
    public LinkModel? Link { get; init; }
}
