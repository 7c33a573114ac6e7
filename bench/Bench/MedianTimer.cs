using System.Diagnostics;

namespace BeamSync.Bench;

/// <summary>Timing for the one-shot suites: rounds that each repeat a call until a minimum time passed, median of them.</summary>
internal static class MedianTimer
{
    /// <summary>Median microseconds per call over <paramref name="rounds"/> rounds of at least <paramref name="minMs"/> each.</summary>
    public static double MicrosecondsPerCall(Action call, int rounds, double minMs)
    {
        var perCall = new double[rounds];
        for (int r = 0; r < rounds; r++)
        {
            int calls = 0;
            var watch = Stopwatch.StartNew();
            do { call(); calls++; } while (watch.Elapsed.TotalMilliseconds < minMs);
            perCall[r] = watch.Elapsed.TotalMicroseconds / calls;
        }
        Array.Sort(perCall);
        return perCall[rounds / 2];
    }
}
