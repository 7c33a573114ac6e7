using System.Diagnostics;

namespace BeamSync.Bench;

/// <summary>Timing for the one-shot suites: rounds that each repeat a call until a minimum time passed, median of them.</summary>
internal static class MedianTimer
{
    /// <summary>Median wall-clock microseconds per call over <paramref name="rounds"/> rounds of at least <paramref name="minMs"/> each.</summary>
    public static double MicrosecondsPerCall(Action call, int rounds, double minMs) => Measure(call, rounds, minMs).Wall;

    /// <summary>
    /// Median wall-clock and process-CPU microseconds per call (each the median of its own rounds). On a loaded shared
    /// machine the CPU figure is the steadier one: time spent waiting for a core is not counted.
    /// </summary>
    public static (double Wall, double Cpu) Measure(Action call, int rounds, double minMs)
    {
        var wall = new double[rounds];
        var cpu = new double[rounds];
        for (int r = 0; r < rounds; r++)
        {
            int calls = 0;
            double cpuStart = ProcessCpu.Milliseconds();
            var watch = Stopwatch.StartNew();
            do { call(); calls++; } while (watch.Elapsed.TotalMilliseconds < minMs);
            wall[r] = watch.Elapsed.TotalMicroseconds / calls;
            cpu[r] = (ProcessCpu.Milliseconds() - cpuStart) * 1000 / calls;
        }
        Array.Sort(wall);
        Array.Sort(cpu);
        return (wall[rounds / 2], cpu[rounds / 2]);
    }
}
