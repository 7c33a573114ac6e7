using System.Buffers.Binary;
using System.Diagnostics;

namespace BeamSync.Db.Tests;

public sealed class CrashConsistencyTests
{
    [Fact]
    public async Task Store_reopens_consistent_after_sigkill_between_batches()
    {
        var dir = Path.Combine(Path.GetTempPath(), "beamsync-crash-" + Guid.NewGuid().ToString("N"));
        try
        {
            for (int round = 0; round < 2; round++)
            {
                var assembly = typeof(CrashWriter).Assembly.Location;
                var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, UseShellExecute = false };
                start.ArgumentList.Add(assembly);
                start.ArgumentList.Add("crash-writer");
                start.ArgumentList.Add(dir);
                using var child = Process.Start(start)!;
                var ready = await child.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60));
                Assert.Equal("ready", ready);
                await Task.Delay(300 + Random.Shared.Next(400));
                child.Kill(); // SIGKILL on Unix: no managed or native cleanup runs
                child.WaitForExit();

                using var store = RocksKeyValueStore.Open(dir);
                var counter = store.Get(Column.Metadata, CrashWriter.CounterKey);
                Assert.NotNull(counter);
                int last = BinaryPrimitives.ReadInt32BigEndian(counter);
                Assert.True(last >= 100);
                // Every batch up to the counter is complete; the one after it is wholly absent.
                for (int b = 0; b <= last + 1; b++)
                {
                    int present = 0;
                    for (int i = 0; i < CrashWriter.KeysPerBatch; i++)
                        if (store.Has(i % 2 == 0 ? Column.TrieNodes : Column.Receipts, CrashWriter.Key(b, i))) present++;
                    Assert.True(b <= last ? present == CrashWriter.KeysPerBatch : present == 0,
                        $"round {round}: batch {b} has {present} of {CrashWriter.KeysPerBatch} keys (last committed {last})");
                }
            }
        }
        finally
        {
            try { Directory.Delete(dir, true); } catch (IOException) { }
        }
    }
}
