using BeamSync.Network.P2p;

namespace BeamSync.Network.Peers;

/// <summary>A source of candidate peers (discv4, DNS lists, a static file). The pool dials what it yields while below its peer limit.</summary>
public interface IDiscovery
{
    IAsyncEnumerable<Enode> DiscoverAsync(CancellationToken ct);
}
