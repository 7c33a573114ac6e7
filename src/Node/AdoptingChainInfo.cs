using BeamSync.Chain.Store;
using BeamSync.Core;
using BeamSync.Core.Specs;
using BeamSync.Network.Eth;

namespace BeamSync.Node;

/// <summary>
/// Status for a node that joins a devnet knowing its rules but not its genesis hash (the genesis state exists only in
/// the producer's store, and a beam node builds none of it): until a genesis is stored it answers in kind with the
/// remote's genesis and fork id (network id must still match), and the node then fetches and stores that genesis
/// header. From then on it is <see cref="SpecChainInfo"/>. Thread-safe.
/// </summary>
public sealed class AdoptingChainInfo(ChainSpec spec, BlockStore blocks) : IEthChainInfo
{
    private readonly SpecChainInfo _known = new(spec, blocks);

    private bool GenesisKnown => blocks.GetCanonicalHash(0) is not null;

    public bool WaitForRemoteStatus => !GenesisKnown;

    public EthStatus GetStatus(int version, EthStatus? remote)
    {
        if (GenesisKnown || remote is null) return _known.GetStatus(version, remote);
        return new EthStatus(version, spec.ChainId, remote.Genesis, remote.ForkId, remote.Genesis, UInt256.Zero, 0, 0);
    }

    public bool IsCompatible(EthStatus local, EthStatus remote, out string? why)
    {
        if (GenesisKnown) return _known.IsCompatible(local, remote, out why);
        why = local.NetworkId != remote.NetworkId ? $"network id {remote.NetworkId}, ours {local.NetworkId}" : null;
        return why is null;
    }
}
