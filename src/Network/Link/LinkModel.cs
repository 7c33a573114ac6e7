namespace BeamSync.Network.Link;

/// <summary>
/// The simulated internet link of a node (devnet): every byte sent is delivered after half of
/// <see cref="RoundTrip"/> plus its wait in the node's one uplink queue, drained at
/// <see cref="UplinkBytesPerSecond"/> with bursts up to <see cref="BurstBytes"/>. Without it two nodes on loopback
/// exchange state in microseconds and no timing of the beam syncer means anything. Immutable.
/// </summary>
public sealed record LinkModel(TimeSpan RoundTrip, long UplinkBytesPerSecond, int BurstBytes)
{
    /// <summary>A typical internet peer: 50 ms round trip, 2 MB/s uplink shared by all peers, 64 KB bursts.</summary>
    public LinkModel() : this(TimeSpan.FromMilliseconds(50), 2_000_000, 64 * 1024) { }

    /// <summary>
    /// Bytes a connection may have queued (written, not yet delivered) before its writer waits. One second of the
    /// default uplink: enough to keep a link busy, small enough that a writer outpacing it is held back early.
    /// </summary>
    public int MaxQueuedBytesPerConnection { get; init; } = 2 * 1024 * 1024;

    /// <summary>The delay each direction adds: half the round trip.</summary>
    public TimeSpan OneWayDelay => RoundTrip / 2;
}
