namespace BeamSync.Sync.Beam;

/// <summary>Settings of a beam sync. Immutable.</summary>
public sealed record SyncOptions
{
    /// <summary>Roots the serving peers keep state for (128 on mainnet; 16 on the devnet).</summary>
    public int StateWindow { get; init; } = 128;
    /// <summary>Lag (head minus the executing block) past which the sync pivots to the newest head; default half the window.</summary>
    public int? PivotLag { get; init; }
    public int EffectivePivotLag => PivotLag ?? Math.Max(2, StateWindow / 2);
    /// <summary>Backfill waits while the lag is above this many blocks.</summary>
    public int BackfillPauseLag { get; init; } = 3;
    public bool Prefetch { get; init; } = true;
    public bool Preview { get; init; } = true;
    public bool Witness { get; init; } = true;
    public bool Backfill { get; init; } = true;
    /// <summary>Threads that preview queued blocks: sender groups run in parallel on them, each mostly waiting on a fetch.</summary>
    public int PreviewThreads { get; init; } = 64;
    /// <summary>
    /// How long the executor lets a block's prefetch and preview run before executing it: they fetch in parallel what
    /// the executor would otherwise fetch one round trip at a time.
    /// </summary>
    public TimeSpan AcceleratorWait { get; init; } = TimeSpan.FromSeconds(3);
    /// <summary>How long an executing reader waits for one node before the block is retried.</summary>
    public TimeSpan ReadTimeout { get; init; } = TimeSpan.FromSeconds(30);
    /// <summary>
    /// Deadline of a header or body request at this layer: a silent peer is routed around long before the session's
    /// own request timeout, and the chain data that unblocks execution comes from the next peer.
    /// </summary>
    public TimeSpan ChainDataTimeout { get; init; } = TimeSpan.FromSeconds(5);
    /// <summary>Ancestors stored with an anchor: BLOCKHASH reaches 256 back from the pivot.</summary>
    public int AnchorAncestors { get; init; } = 256;
    /// <summary>Backfill nodes in flight at once (each is a want in the scheduler).</summary>
    public int BackfillInFlight { get; init; } = 4096;
}
