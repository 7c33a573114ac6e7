using System.Runtime.InteropServices;

namespace BeamSync.Bench;

/// <summary>
/// This process's CPU time (all threads, user and system) at nanosecond resolution on Linux through
/// clock_gettime(CLOCK_PROCESS_CPUTIME_ID); elsewhere <see cref="System.Diagnostics.Process.TotalProcessorTime"/>,
/// whose Linux figure has only clock-tick (10 ms) resolution. On a loaded shared machine CPU time is steadier than
/// wall time, because waiting for a core is not counted. Thread-safe.
/// </summary>
internal static partial class ProcessCpu
{
    private const int ClockProcessCpuTimeId = 2;
    private const int ClockThreadCpuTimeId = 3;

    /// <summary>The calling thread's CPU time (Linux; elsewhere the process's): a single-threaded critical path's cost, however loaded the machine.</summary>
    public static double ThreadMilliseconds()
    {
        if (OperatingSystem.IsLinux() && ClockGetTime(ClockThreadCpuTimeId, out var ts) == 0)
            return ts.Seconds * 1000.0 + ts.Nanoseconds / 1_000_000.0;
        return Milliseconds();
    }

    public static double Milliseconds()
    {
        if (OperatingSystem.IsLinux() && ClockGetTime(ClockProcessCpuTimeId, out var ts) == 0)
            return ts.Seconds * 1000.0 + ts.Nanoseconds / 1_000_000.0;
        return System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime.TotalMilliseconds;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [LibraryImport("libc", EntryPoint = "clock_gettime")]
    private static partial int ClockGetTime(int clockId, out TimeSpec time);
}
