using System.Diagnostics;

namespace BeamSync.Network.Link;

/// <summary>
/// One node's uplink: a single FIFO queue drained at the link's rate (a token bucket of the burst size), shared by
/// every connection of the node whatever the number of peers. <see cref="Reserve"/> places bytes at the queue's
/// tail and returns when they are delivered at the far end (the queue wait plus the one-way delay). Thread-safe.
/// </summary>
public sealed class UplinkShaper
{
    private readonly Lock _lock = new();
    private readonly double _ticksPerByte;
    private readonly long _burstTicks;
    private readonly long _oneWayTicks;
    // The virtual time at which the queue has sent everything reserved so far (Stopwatch ticks).
    private long _drainedAt = long.MinValue / 2;

    public LinkModel Link { get; }

    public UplinkShaper(LinkModel link)
    {
        if (link.UplinkBytesPerSecond <= 0) throw new ArgumentOutOfRangeException(nameof(link), "uplink rate must be positive");
        if (link.BurstBytes < 0 || link.RoundTrip < TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(link));
        Link = link;
        _ticksPerByte = (double)Stopwatch.Frequency / link.UplinkBytesPerSecond;
        _burstTicks = (long)(link.BurstBytes * _ticksPerByte);
        _oneWayTicks = (long)(link.OneWayDelay.TotalSeconds * Stopwatch.Frequency);
    }

    /// <summary>Queues <paramref name="bytes"/> now; returns the Stopwatch timestamp at which they arrive at the peer.</summary>
    public long Reserve(int bytes)
    {
        long now = Stopwatch.GetTimestamp();
        long cost = (long)(bytes * _ticksPerByte);
        lock (_lock)
        {
            // An idle queue has refilled its bucket: it may run up to one burst ahead of real time.
            _drainedAt = Math.Max(_drainedAt, now - _burstTicks) + cost;
            return Math.Max(now, _drainedAt) + _oneWayTicks;
        }
    }
}
