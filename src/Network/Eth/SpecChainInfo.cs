using BeamSync.Chain.Store;
using BeamSync.Core;
using BeamSync.Core.Specs;

namespace BeamSync.Network.Eth;

/// <summary>
/// Status from the node's own chain: network id (the chain id unless given), genesis and head from the
/// <see cref="BlockStore"/>, the EIP-2124 fork id of the spec at the head, and peers accepted only when network,
/// genesis and fork id are compatible by EIP-2124's rules. Thread-safe as the store is.
/// </summary>
public sealed class SpecChainInfo(ChainSpec spec, BlockStore blocks, ulong? networkId = null) : IEthChainInfo
{
    public ulong NetworkId { get; } = networkId ?? spec.ChainId;

    private Hash256 Genesis => blocks.GetCanonicalHash(0) ?? throw new InvalidOperationException("the block store has no genesis");

    public EthStatus GetStatus(int version, EthStatus? remote)
    {
        var genesis = Genesis;
        var head = blocks.Head ?? blocks.GetHeader(genesis)!;
        var forkId = ForkId.Compute(genesis, spec, head.Number, head.Timestamp);
        var td = blocks.GetTotalDifficulty(head.Hash) ?? head.Difficulty;
        return new EthStatus(version, NetworkId, genesis, forkId, head.Hash, td, 0, head.Number);
    }

    public bool IsCompatible(EthStatus local, EthStatus remote, out string? why)
    {
        why = null;
        if (local.NetworkId != remote.NetworkId) why = $"network id {remote.NetworkId}, ours {local.NetworkId}";
        else if (local.Genesis != remote.Genesis) why = $"genesis {remote.Genesis}, ours {local.Genesis}";
        else
        {
            var head = blocks.Head ?? blocks.GetHeader(local.Genesis)!;
            var verdict = ForkId.Validate(local.Genesis, spec, head.Number, head.Timestamp, remote.ForkId);
            if (verdict != ForkIdValidation.Compatible) why = $"fork id {remote.ForkId.Hash:x8}/{remote.ForkId.Next}: {verdict}";
        }
        return why is null;
    }
}
