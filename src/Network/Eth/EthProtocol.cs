using BeamSync.Core;
using BeamSync.Network.P2p;
using BeamSync.Network.Peers;
using BeamSync.Network.Serving;

namespace BeamSync.Network.Eth;

/// <summary>What this node tells peers in Status, computed per negotiated version (a chain's head moves).</summary>
public interface IEthChainInfo
{
    /// <param name="remote">The remote's Status when <see cref="WaitForRemoteStatus"/> is true (a follower adopting the remote chain in tests), else null.</param>
    EthStatus GetStatus(int version, EthStatus? remote);

    /// <summary>Whether our Status is sent only after the remote's arrived.</summary>
    bool WaitForRemoteStatus => false;

    /// <summary>Accepts or refuses the remote's Status (network id, genesis, fork id rules of EIP-2124).</summary>
    bool IsCompatible(EthStatus local, EthStatus remote, out string? why)
    {
        why = local.NetworkId != remote.NetworkId ? "network id differs"
            : local.Genesis != remote.Genesis ? "genesis differs" : null;
        return why is null;
    }
}

/// <summary>Receives announcements (blocks, transactions) from eth peers. Default: ignore. Must be thread-safe.</summary>
public interface IEthAnnouncementSink
{
    void OnNewBlockHashes(PeerSession peer, IReadOnlyList<BlockAnnouncement> blocks) { }
    void OnNewBlock(PeerSession peer, byte[] block, UInt256 totalDifficulty) { }
    void OnTransactions(PeerSession peer, IReadOnlyList<byte[]> transactions) { }
    void OnPooledTransactionHashes(PeerSession peer, PooledTransactionAnnouncement announcement) { }
    void OnBlockRange(PeerSession peer, ulong earliest, ulong latest, Hash256 latestHash) { }
}

/// <summary>
/// The eth capability (versions 66 to 69 by default): creates an <see cref="EthHandler"/> per session sharing it,
/// serving from the given stores. Thread-safe.
/// </summary>
public sealed class EthProtocol(IEthChainInfo chain, IChainStore store, INodeStore? nodes = null, ITransactionPool? pool = null,
    IEthAnnouncementSink? sink = null, int[]? versions = null) : IProtocolFactory
{
    public const string Name = "eth";
    private static readonly IEthAnnouncementSink NoSink = new NullSink();
    private sealed class NullSink : IEthAnnouncementSink;

    public IReadOnlyList<(Capability Capability, int MessageCount)> Offered { get; } =
        (versions ?? [66, 67, 68, 69]).Select(v => (new Capability(Name, v), EthMessageId.MessageCount(v))).ToArray();

    public IProtocolHandler Create(PeerSession session, SharedCapability capability) =>
        new EthHandler(session, capability, chain, store, nodes, pool, sink ?? NoSink);
}
