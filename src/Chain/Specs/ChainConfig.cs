using BeamSync.Core;
using BeamSync.Core.Specs;

namespace BeamSync.Chain.Specs;

/// <summary>EIP-4844/EIP-7691 blob parameters of one fork: target and maximum blobs per block and the base-fee update fraction.</summary>
public readonly record struct BlobParameters(int Target, int Max, ulong UpdateFraction)
{
    public const ulong GasPerBlob = 1 << 17;
    public static readonly BlobParameters Cancun = new(3, 6, 3_338_477);
    public static readonly BlobParameters Prague = new(6, 9, 5_007_716);

    public ulong TargetGas => (ulong)Target * GasPerBlob;
    public ulong MaxGas => (ulong)Max * GasPerBlob;
}

/// <summary>
/// The fork schedule of one chain as the Chain layer needs it: forks before the merge activate at a block number,
/// the merge at a terminal total difficulty, forks after it at a timestamp. A local form until the chain specs of
/// Core (<c>ChainSpec</c>) land. Immutable; safe to share.
/// </summary>
public sealed class ChainConfig
{
    /// <summary>A fork and what activates it: a block number or a timestamp (exactly one set).</summary>
    public readonly record struct Activation(Fork Fork, ulong? Block, ulong? Timestamp);

    public ulong ChainId { get; init; } = 1;
    /// <summary>Activations in fork order. Paris is implied by <see cref="TerminalTotalDifficulty"/> when it is absent.</summary>
    public IReadOnlyList<Activation> Activations { get; init; } = [];
    /// <summary>The merge happens on the first block whose parent's total difficulty reached this; null when the chain never merges by difficulty.</summary>
    public UInt256? TerminalTotalDifficulty { get; init; }
    /// <summary>The DAO fork block (irregular state change and extra-data rule); null when the chain does not take it.</summary>
    public ulong? DaoForkBlock { get; init; }

    /// <summary>The fork of a block with this number and timestamp, whose parent reached <paramref name="parentTotalDifficulty"/>.</summary>
    public Fork ForkAt(ulong number, ulong timestamp, UInt256 parentTotalDifficulty)
    {
        var fork = Fork.Frontier;
        foreach (var a in Activations)
        {
            bool active = a.Block is { } b ? number >= b : a.Timestamp is { } t && timestamp >= t;
            if (active && a.Fork > fork) fork = a.Fork;
        }
        // The merge is decided by difficulty, not by a number or a time (geth's rule: time forks are not gated on it).
        if (TerminalTotalDifficulty is { } ttd && parentTotalDifficulty >= ttd && fork < Fork.Paris) fork = Fork.Paris;
        return fork;
    }

    /// <summary>The first block number at which <paramref name="fork"/> is active by number, or null.</summary>
    public ulong? BlockOf(Fork fork)
    {
        foreach (var a in Activations) if (a.Fork == fork) return a.Block;
        return null;
    }

    public static BlobParameters BlobParametersAt(Fork fork) => fork >= Fork.Prague ? BlobParameters.Prague : BlobParameters.Cancun;

    /// <summary>A chain on one fork from genesis (ethereum/tests single-fork networks).</summary>
    public static ChainConfig Single(Fork fork) => new()
    {
        Activations = [new Activation(fork, 0, null)],
        TerminalTotalDifficulty = fork >= Fork.Paris ? UInt256.Zero : null,
    };
}
