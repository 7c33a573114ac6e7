using System.Buffers.Binary;
using BeamSync.Cli.Devnet;

namespace BeamSync.Cli.Tests;

public sealed class DevnetReportTests
{
    private static readonly byte[] PngSignature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    [Fact]
    public void The_report_writes_valid_png_charts_and_a_page_that_shows_them()
    {
        var dir = Path.Combine(Path.GetTempPath(), $"beamsync-report-{Guid.NewGuid():N}");
        try
        {
            var first = new NodeTimeline("beam-1");
            var second = new NodeTimeline("beam-2");
            for (int i = 0; i < 30; i++)
            {
                first.Add(i * 0.5, DevnetSummaryTests.Stats((ulong)(12 + i), i < 25 ? "beam" : "full"));
                if (i > 10) second.Add(i * 0.5, DevnetSummaryTests.Stats((ulong)(12 + i), "beam"));
            }
            var page = DevnetReport.Write(dir, [first, second, new NodeTimeline("beam-3")]);

            var html = File.ReadAllText(page);
            Assert.StartsWith("<!DOCTYPE html>", html);
            foreach (var (file, _) in DevnetReport.Charts)
            {
                Assert.Contains($"src=\"{file}\"", html);
                var png = File.ReadAllBytes(Path.Combine(dir, file));
                Assert.True(png.AsSpan(0, 8).SequenceEqual(PngSignature), $"{file} lacks the PNG signature");
                // The first chunk is IHDR: length 13, then width and height, big-endian.
                Assert.Equal("IHDR", System.Text.Encoding.ASCII.GetString(png, 12, 4));
                Assert.Equal(DevnetReport.Width, BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)));
                Assert.Equal(DevnetReport.Height, BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(20)));
                Assert.True(png.Length > 5_000, $"{file} is suspiciously small ({png.Length} bytes)");
                Assert.Equal("IEND", System.Text.Encoding.ASCII.GetString(png, png.Length - 8, 4));
            }
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        }
    }
}
