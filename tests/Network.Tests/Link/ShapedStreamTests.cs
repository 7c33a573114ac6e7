using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using BeamSync.Network.Eth;
using BeamSync.Network.Link;
using BeamSync.Network.Peers;
using BeamSync.Network.Tests.Peers;
using Xunit.Abstractions;

namespace BeamSync.Network.Tests.Link;

/// <summary>
/// The devnet link model measured end to end over loopback TCP: delay, bandwidth, one uplink shared by all of a
/// node's connections, order. Margins are wide (the machine is shared); the lower bounds are the model's own.
/// </summary>
public class ShapedStreamTests(ITestOutputHelper output)
{
    private static async Task<(TcpClient Sender, TcpClient Receiver)> TcpPairAsync()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var sender = new TcpClient { NoDelay = true };
        var accept = listener.AcceptTcpClientAsync();
        await sender.ConnectAsync((IPEndPoint)listener.LocalEndpoint);
        var receiver = await accept;
        listener.Stop();
        return (sender, receiver);
    }

    private static async Task ReadExactlyAsync(Stream stream, int count, Action<byte[], int>? onData = null)
    {
        var buffer = new byte[64 * 1024];
        int total = 0;
        while (total < count)
        {
            int n = await stream.ReadAsync(buffer.AsMemory(0, Math.Min(buffer.Length, count - total)));
            if (n == 0) throw new EndOfStreamException();
            onData?.Invoke(buffer, n);
            total += n;
        }
    }

    [Fact]
    public async Task Bytes_arrive_after_the_one_way_delay_and_writes_do_not_wait_for_it()
    {
        var shaper = new UplinkShaper(new LinkModel(TimeSpan.FromMilliseconds(200), 10_000_000, 64 * 1024));
        var (a, b) = await TcpPairAsync();
        using var _a = a; using var _b = b;
        await using var shaped = new ShapedStream(a.GetStream(), shaper);
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < 10; i++) await shaped.WriteAsync(new byte[100]);
        var writeTime = clock.Elapsed;
        await ReadExactlyAsync(b.GetStream(), 1000);
        var arrival = clock.Elapsed;
        output.WriteLine($"writes returned after {writeTime.TotalMilliseconds:0.0} ms, bytes arrived after {arrival.TotalMilliseconds:0.0} ms");
        Assert.True(writeTime < TimeSpan.FromMilliseconds(50), $"writes blocked for {writeTime}");
        Assert.InRange(arrival.TotalMilliseconds, 100, 400);
    }

    [Fact]
    public async Task A_large_transfer_runs_at_the_uplink_rate()
    {
        const int Rate = 4_000_000, Burst = 64 * 1024, Size = 2_000_000;
        var shaper = new UplinkShaper(new LinkModel(TimeSpan.Zero, Rate, Burst));
        var (a, b) = await TcpPairAsync();
        using var _a = a; using var _b = b;
        await using var shaped = new ShapedStream(a.GetStream(), shaper);
        var clock = Stopwatch.StartNew();
        var read = ReadExactlyAsync(b.GetStream(), Size);
        for (int i = 0; i < Size / 50_000; i++) await shaped.WriteAsync(new byte[50_000]);
        await read;
        double expected = (double)(Size - Burst) / Rate;
        output.WriteLine($"{Size} bytes at {Rate} B/s: {clock.Elapsed.TotalSeconds:0.000} s (model {expected:0.000} s)");
        Assert.InRange(clock.Elapsed.TotalSeconds, expected * 0.95, expected * 2);
    }

    [Fact]
    public async Task Two_connections_of_one_node_share_its_uplink()
    {
        const int Rate = 4_000_000, Size = 1_000_000;
        var shaper = new UplinkShaper(new LinkModel(TimeSpan.Zero, Rate, 0));
        var (a1, b1) = await TcpPairAsync();
        var (a2, b2) = await TcpPairAsync();
        using var _a1 = a1; using var _b1 = b1; using var _a2 = a2; using var _b2 = b2;
        await using var s1 = new ShapedStream(a1.GetStream(), shaper);
        await using var s2 = new ShapedStream(a2.GetStream(), shaper);
        var clock = Stopwatch.StartNew();
        var reads = Task.WhenAll(ReadExactlyAsync(b1.GetStream(), Size), ReadExactlyAsync(b2.GetStream(), Size));
        for (int i = 0; i < Size / 50_000; i++) { await s1.WriteAsync(new byte[50_000]); await s2.WriteAsync(new byte[50_000]); }
        await reads;
        double shared = 2.0 * Size / Rate;
        output.WriteLine($"2 x {Size} bytes over one {Rate} B/s uplink: {clock.Elapsed.TotalSeconds:0.000} s (model {shared:0.000} s)");
        Assert.InRange(clock.Elapsed.TotalSeconds, shared * 0.95, shared * 2.5); // the lower bound is the point: one connection alone would take half
    }

    [Fact]
    public async Task Order_is_kept_and_a_writer_that_outpaces_the_uplink_is_held_back()
    {
        var link = new LinkModel(TimeSpan.FromMilliseconds(20), 2_000_000, 16 * 1024) { MaxQueuedBytesPerConnection = 100_000 };
        var shaper = new UplinkShaper(link);
        var (a, b) = await TcpPairAsync();
        using var _a = a; using var _b = b;
        await using var shaped = new ShapedStream(a.GetStream(), shaper);
        const int Messages = 3000, Size = 200; // 600 KB: 0.3 s at the rate
        int next = 0; bool inOrder = true;
        var read = ReadExactlyAsync(b.GetStream(), Messages * Size, (buffer, n) =>
        {
            for (int i = 0; i < n; i++) { if (buffer[i] != (byte)(next / Size)) inOrder = false; next++; }
        });
        long maxQueued = 0;
        for (int m = 0; m < Messages; m++)
        {
            var message = new byte[Size];
            Array.Fill(message, (byte)m);
            await shaped.WriteAsync(message);
            maxQueued = Math.Max(maxQueued, shaped.QueuedBytes);
        }
        await read;
        Assert.True(inOrder, "bytes arrived out of order");
        Assert.InRange(maxQueued, 1, link.MaxQueuedBytesPerConnection + Size);
    }

    [Fact]
    public async Task A_request_over_two_shaped_nodes_takes_the_configured_round_trip()
    {
        var options = new PeerPoolOptions { Link = new LinkModel(TimeSpan.FromMilliseconds(100), 2_000_000, 64 * 1024) };
        await using var server = new LoopbackNode(10, [69], options: options);
        await using var client = new LoopbackNode(0, [69], options: options);
        var connect = Stopwatch.StartNew();
        var eth = (await client.Pool.ConnectAsync(server.Pool.LocalEnode)).Protocol<EthHandler>()!;
        // auth goes out and ack comes back before anything else: the handshake bytes pay a round trip too.
        Assert.True(connect.Elapsed.TotalMilliseconds >= 99, $"connected in {connect.Elapsed.TotalMilliseconds} ms, under one round trip");
        await eth.StatusExchanged;
        var times = new List<double>();
        for (int i = 0; i < 5; i++)
        {
            var clock = Stopwatch.StartNew();
            Assert.Single(await eth.GetBlockHeadersAsync(HeadersQuery.ByNumber((ulong)i, 1)));
            times.Add(clock.Elapsed.TotalMilliseconds);
        }
        output.WriteLine("round trips (ms): " + string.Join(", ", times.Select(t => t.ToString("0.0"))));
        Assert.All(times, t => Assert.True(t >= 99, $"round trip {t} ms is shorter than the link's 100 ms"));
        Assert.True(times.Min() < 200, $"best round trip {times.Min()} ms is far above the link's 100 ms"); // loose: CI shares its cores
    }
}
