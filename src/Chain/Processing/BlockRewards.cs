using BeamSync.Core;
using BeamSync.Core.Specs;
using BeamSync.Core.Types;

namespace BeamSync.Chain.Processing;

/// <summary>
/// Proof-of-work block rewards: 5 ETH (Frontier), 3 ETH (Byzantium, EIP-649), 2 ETH (Constantinople, EIP-1234), none
/// after the merge. The miner also gets 1/32 of the reward per uncle; an uncle's miner gets (8 - depth)/8 of it.
/// Stateless; thread-safe.
/// </summary>
public static class BlockRewards
{
    private static readonly UInt256 Ether = new(1_000_000_000_000_000_000);

    public static UInt256 BlockReward(Fork fork) => fork switch
    {
        >= Fork.Paris => UInt256.Zero,
        >= Fork.Constantinople => Ether * new UInt256(2),
        >= Fork.Byzantium => Ether * new UInt256(3),
        _ => Ether * new UInt256(5),
    };

    /// <summary>Calls <paramref name="credit"/> for the miner and each uncle's miner with their rewards, in geth's order.</summary>
    public static void Apply(BlockHeader header, IReadOnlyList<BlockHeader> uncles, Fork fork, Action<Address, UInt256> credit)
    {
        var reward = BlockReward(fork);
        if (reward.IsZero) return;
        var minerReward = reward;
        var eighth = reward / new UInt256(8);
        foreach (var uncle in uncles)
        {
            credit(uncle.Coinbase, new UInt256(uncle.Number + 8 - header.Number) * eighth);
            minerReward += reward / new UInt256(32);
        }
        credit(header.Coinbase, minerReward);
    }
}
