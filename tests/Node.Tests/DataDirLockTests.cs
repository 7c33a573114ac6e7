using System.Diagnostics;
using BeamSync.Node.DataDir;

namespace BeamSync.Node.Tests;

public sealed class DataDirLockTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), $"beamsync-lock-{Guid.NewGuid():N}");

    public void Dispose()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
        if (File.Exists(_dir)) File.Delete(_dir);
    }

    [Fact]
    public void Second_open_of_a_locked_datadir_is_refused_and_allowed_after_release()
    {
        using (var first = DataDirLock.Acquire(_dir))
        {
            var refused = Assert.Throws<DataDirLockException>(() => DataDirLock.Acquire(_dir));
            Assert.Equal(DataDirLockError.InUse, refused.Error);
            Assert.Contains("in use by another beamsync process", refused.Message);
            Assert.DoesNotContain('\n', refused.Message);
        }
        using var again = DataDirLock.Acquire(_dir);
        Assert.Equal(Path.GetFullPath(_dir), again.DataDir);
    }

    [Fact]
    public void A_datadir_that_is_a_file_is_refused()
    {
        File.WriteAllText(_dir, "not a directory");
        var refused = Assert.Throws<DataDirLockException>(() => DataDirLock.Acquire(_dir));
        Assert.Equal(DataDirLockError.NotADirectory, refused.Error);
        Assert.Contains("is a file", refused.Message);
    }

    [Fact]
    public void The_lock_is_seen_by_another_process_both_ways()
    {
        if (OperatingSystem.IsWindows()) return;
        // flock(1) takes the same advisory lock as another beamsync process would: an independent holder.
        Directory.CreateDirectory(_dir);
        var lockFile = Path.Combine(_dir, DataDirLock.FileName);
        using (var holder = Process.Start(new ProcessStartInfo("flock", ["-x", lockFile, "sleep", "30"]) { UseShellExecute = false })!)
        {
            try
            {
                // Wait (with a wide margin) until the other process holds the lock.
                var deadline = Stopwatch.StartNew();
                DataDirLockException? refused = null;
                while (refused is null && deadline.Elapsed < TimeSpan.FromSeconds(20))
                {
                    try { DataDirLock.Acquire(_dir).Dispose(); Thread.Sleep(50); }
                    catch (DataDirLockException e) { refused = e; }
                }
                Assert.NotNull(refused);
                Assert.Equal(DataDirLockError.InUse, refused!.Error);
            }
            finally
            {
                holder.Kill(entireProcessTree: true); // sleep inherited the locked descriptor
                holder.WaitForExit();
            }
        }

        // The killed holder's child releases the lock when the kernel reaps it: wait for that, with a wide margin.
        using var held = AcquireWithin(TimeSpan.FromSeconds(20));
        using var probe = Process.Start(new ProcessStartInfo("flock", ["-n", "-x", lockFile, "true"]) { UseShellExecute = false })!;
        probe.WaitForExit();
        Assert.NotEqual(0, probe.ExitCode); // flock -n fails while we hold it
    }

    private DataDirLock AcquireWithin(TimeSpan limit)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try { return DataDirLock.Acquire(_dir); }
            catch (DataDirLockException) when (clock.Elapsed < limit) { Thread.Sleep(50); }
        }
    }
}
