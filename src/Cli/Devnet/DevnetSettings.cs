using BeamSync.Node.Options;

namespace BeamSync.Cli.Devnet;

/// <summary>How the beam nodes learn each new head.</summary>
public enum DevnetDriver
{
    /// <summary>The head's hash through beamsync_newHead; headers and bodies come from peers.</summary>
    Heads,
    /// <summary>The follower driver: each block as a consensus client sends it, through the node's engine API (JWT, HTTP).</summary>
    Engine,
}

/// <summary>
/// What one <c>beamsync devnet</c> run does: the node options every child shares (<see cref="Template"/>: workload,
/// network model, state window, accelerators), how many extra beam nodes join and when, and how the run ends.
/// Immutable.
/// </summary>
public sealed record DevnetSettings
{
    /// <summary>Blocks the producer must advance, and every beam node verify, after the last beam node is full.</summary>
    public const int BlocksAfterFull = 3;
    /// <summary>The next extra beam node starts when the one started before it has backfilled this fraction (or is full).</summary>
    public const double NextNodeAtBackfill = 0.25;
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(600);

    public required NodeOptions Template { get; init; }
    /// <summary>Beam nodes started after the first one.</summary>
    public int ExtraBeamNodes { get; init; }
    public TimeSpan Timeout { get; init; } = DefaultTimeout;
    public bool Json { get; init; }
    /// <summary>Measure the accelerator matrix (<see cref="BeamSync.Node.Devnet.AcceleratorMatrix"/>) instead of a sync to full.</summary>
    public bool AcceleratorMatrix { get; init; }
    public string? ReportDir { get; init; }
    /// <summary>Where the children's datadirs and logs go.</summary>
    public required string RunDir { get; init; }
    public TimeSpan SampleInterval { get; init; } = TimeSpan.FromMilliseconds(500);
    public DevnetDriver Driver { get; init; } = DevnetDriver.Heads;
    /// <summary>
    /// The profile of a second server (<c>--serve legacy,modern</c>): a full node of the producer's chain beside it,
    /// serving this profile while the producer serves <see cref="NodeOptions.Serve"/>; null: the producer alone.
    /// </summary>
    public ServeMode? SecondServer { get; init; }
}
