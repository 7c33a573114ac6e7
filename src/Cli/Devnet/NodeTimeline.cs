using BeamSync.Sync;

namespace BeamSync.Cli.Devnet;

/// <summary>One sync snapshot of a node, taken <see cref="Seconds"/> after the devnet started.</summary>
public sealed record StatsSample(double Seconds, SyncStats Stats);

/// <summary>
/// What the devnet has seen of one beam node: its snapshots over time, and the facts it learned from the producer
/// along the way. Written by the devnet's monitor loop only; read by the view, the summary and the report after or
/// between samples (not thread-safe).
/// </summary>
public sealed class NodeTimeline(string name)
{
    private readonly List<StatsSample> _samples = [];
    private readonly SortedDictionary<ulong, BlockSyncRecord> _blocks = [];
    private readonly List<Node.Devnet.RelayedPayload> _payloads = [];

    public string Name { get; } = name;
    /// <summary>The producer's block time: a relayed payload VALID later than this was late.</summary>
    public TimeSpan BlockTime { get; init; } = Node.Options.NodeOptions.DefaultBlockTime;
    public IReadOnlyList<StatsSample> Samples => _samples;
    public SyncStats? Latest => _samples.Count > 0 ? _samples[^1].Stats : null;
    /// <summary>Every executed block seen in any snapshot (snapshots keep only the latest ones), by number.</summary>
    public IReadOnlyCollection<BlockSyncRecord> Blocks => _blocks.Values;

    /// <summary>The first pivot the node reported once it had executed a block.</summary>
    public ulong? FirstPivot { get; private set; }
    /// <summary>The final state root as the node first reported it, and its newest executed block at that moment.</summary>
    public string? FinalRoot { get; private set; }
    public ulong? FinalRootSeenAtBlock { get; private set; }
    /// <summary>The hash of the block whose state root the final root is, when the node said.</summary>
    public string? FinalRootBlockHash { get; private set; }
    /// <summary>State nodes of the producer under the first pivot's parent state root, once asked.</summary>
    public long? PivotStateNodeCount { get; set; }
    /// <summary>Whether the producer's state root of the final root's block equals the node's, once asked.</summary>
    public bool? FinalStateRootMatches { get; set; }

    /// <summary>The payloads the engine driver relayed to the node, in order (the driver's loop adds them; thread-safe).</summary>
    public IReadOnlyList<Node.Devnet.RelayedPayload> Payloads
    {
        get { lock (_payloads) return [.. _payloads]; }
    }

    public void AddPayload(Node.Devnet.RelayedPayload payload)
    {
        lock (_payloads) _payloads.Add(payload);
    }

    public void Add(double seconds, SyncStats stats)
    {
        _samples.Add(new StatsSample(seconds, stats));
        foreach (var block in stats.Blocks) _blocks[block.Number] = block;
        if (FirstPivot is null && stats.BlocksExecuted > 0 && stats.Pivot is { } pivot) FirstPivot = pivot;
        if (FinalRoot is null && stats.FinalStateRoot is not null)
        {
            FinalRoot = stats.FinalStateRoot;
            FinalRootSeenAtBlock = stats.FinalStateRootBlock ?? stats.Executed;
            FinalRootBlockHash = stats.FinalStateRootBlockHash;
        }
    }
}
