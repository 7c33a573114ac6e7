using BeamSync.Core;
using BeamSync.Core.Specs;

namespace BeamSync.Node.Devnet;

/// <summary>
/// The devnet's knobs (the command line's <c>--seed</c>, <c>--state-accounts</c>, <c>--state-contracts</c> and
/// friends). Everything generated (keys, state, workload) follows from <see cref="Seed"/>. Immutable.
/// </summary>
public sealed record DevnetOptions
{
    public ulong Seed { get; init; } = 1;
    /// <summary>Externally owned accounts with balances and keys derived from the seed.</summary>
    public int Accounts { get; init; } = 100_000;
    public int Contracts { get; init; } = 2_000;
    /// <summary>Mean storage slots of an ordinary contract (drawn uniformly from half to one and a half times it).</summary>
    public int AverageSlots { get; init; } = 200;
    /// <summary>How many slot-writer contracts get <see cref="LargeContractSlots"/> instead (the big storage tries).</summary>
    public int LargeContracts { get; init; } = 4;
    public int LargeContractSlots { get; init; } = 10_000;
    public int TransactionsPerBlock { get; init; } = 150;
    public TimeSpan BlockTime { get; init; } = TimeSpan.FromSeconds(2);
    /// <summary>How many recent state roots the producer keeps for serving (the state window).</summary>
    public int StateWindow { get; init; } = 128;
    public ulong GasLimit { get; init; } = 60_000_000;
    public ulong ChainId { get; init; } = 0xbea3;
    /// <summary>The fork active from genesis: Prague, or Osaka.</summary>
    public Fork Fork { get; init; } = Fork.Prague;
    /// <summary>
    /// Every this many blocks the producer abandons its head for a two-block side branch on the head's parent
    /// (<see cref="DevnetProducer.ProduceBranch"/>), as a consensus client does on a late block; 0: never.
    /// </summary>
    public int ReorgEvery { get; init; }
    public UInt256 AccountBalance { get; init; } = new UInt256(1_000_000_000_000_000_000) * new UInt256(1_000);

    /// <summary>Throws <see cref="ArgumentException"/> naming the first option out of range.</summary>
    public void Validate()
    {
        if (Accounts < 100) throw new ArgumentException($"--state-accounts {Accounts}: at least 100 (the workload needs distinct senders)");
        if (Contracts < 5) throw new ArgumentException($"--state-contracts {Contracts}: at least 5 (one of each kind)");
        if (AverageSlots < 2) throw new ArgumentException($"average slots {AverageSlots}: at least 2");
        if (LargeContracts < 0 || LargeContractSlots < 1) throw new ArgumentException("large contracts and their slots must be positive");
        if (TransactionsPerBlock < 0 || TransactionsPerBlock > Accounts / 4)
            throw new ArgumentException($"transactions per block {TransactionsPerBlock}: between 0 and a quarter of the accounts");
        if (BlockTime <= TimeSpan.Zero) throw new ArgumentException($"block time {BlockTime} must be positive");
        if (StateWindow < 1) throw new ArgumentException($"state window {StateWindow} must be at least 1");
        if (ReorgEvery < 0) throw new ArgumentException($"--reorg-every {ReorgEvery}: 0 (never) or a number of blocks");
        if (Fork is not (Fork.Prague or Fork.Osaka)) throw new ArgumentException($"fork {Fork}: Prague or Osaka");
    }
}
