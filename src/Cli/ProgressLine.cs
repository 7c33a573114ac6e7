namespace BeamSync.Cli;

/// <summary>
/// A status line rewritten in place on a terminal ("\r" then the text), at most every <c>interval</c>. It writes
/// nothing when disabled, which <see cref="ForConsole"/> does whenever stdout or stderr is redirected, so logs and
/// pipes see only the results. <see cref="Update"/> and <see cref="Clear"/> may be called from any thread.
/// </summary>
public sealed class ProgressLine(TextWriter writer, bool enabled, TimeSpan? interval = null)
{
    private readonly long _intervalTicks = (interval ?? TimeSpan.FromMilliseconds(250)).Ticks;
    private readonly System.Diagnostics.Stopwatch _clock = System.Diagnostics.Stopwatch.StartNew();
    private readonly Lock _gate = new();
    private long? _lastTicks;
    private int _shownLength;

    /// <summary>On stderr, enabled only when both stdout and stderr are a terminal.</summary>
    public static ProgressLine ForConsole() => new(Console.Error, !Console.IsOutputRedirected && !Console.IsErrorRedirected);

    public TimeSpan Elapsed => _clock.Elapsed;

    /// <summary>Shows <paramref name="text"/> unless the last update was less than the interval ago; the text is built only when shown.</summary>
    public void Update(Func<TimeSpan, string> text)
    {
        if (!enabled) return;
        lock (_gate)
        {
            long now = _clock.Elapsed.Ticks;
            if (now - _lastTicks < _intervalTicks) return; // null (never shown) compares false: shows
            _lastTicks = now;
            var line = text(_clock.Elapsed);
            writer.Write('\r' + line.PadRight(_shownLength));
            writer.Flush();
            _shownLength = line.Length;
        }
    }

    /// <summary>Erases the line (before other output, and at the end).</summary>
    public void Clear()
    {
        if (!enabled) return;
        lock (_gate)
        {
            if (_shownLength == 0) return;
            writer.Write('\r' + new string(' ', _shownLength) + '\r');
            writer.Flush();
            _shownLength = 0;
            _lastTicks = null;
        }
    }

    /// <summary>A rate per second, 0 before any time has passed.</summary>
    public static double PerSecond(double count, TimeSpan elapsed) => elapsed.TotalSeconds > 0 ? count / elapsed.TotalSeconds : 0;
}
