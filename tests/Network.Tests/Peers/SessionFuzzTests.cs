using System.Net.Sockets;
using BeamSync.Core;
using BeamSync.Network.Eth;
using BeamSync.Network.P2p;
using BeamSync.Network.Rlpx;
using BeamSync.Network.Snap;
using BeamSync.Network.Wit;
using Xunit.Abstractions;

namespace BeamSync.Network.Tests.Peers;

/// <summary>
/// Feeds random and mutated frames and messages to a live node's sessions. Each hostile session must end with a
/// Disconnect carrying a reason (or stay responsive to Ping when the input happened to be harmless); the node
/// must keep serving fresh peers and its memory must stay bounded. BEAMSYNC_FUZZ_ITERATIONS sets the session count
/// (default 40, a few seconds).
/// </summary>
public class SessionFuzzTests(ITestOutputHelper output)
{
    private static int Iterations => TestEnvironment.IntOr("BEAMSYNC_FUZZ_ITERATIONS", 40);

    private static byte[][] Seeds(LoopbackNode target)
    {
        var head = target.Chain.HeadHash;
        return
        [
            Rlp.EncodeList(Rlp.Encode(1UL), new HeadersQuery(0, null, 10, 0, false).Encode()),
            Rlp.EncodeList(Rlp.Encode(2UL), WireLists.EncodeHashes([head, Hash256.Zero])),
            Rlp.EncodeList(Rlp.Encode(3UL), WireLists.EncodeHashes([head])),
            EthAnnouncements.EncodeNewBlockHashes([new BlockAnnouncement(head, 5)]),
            Rlp.EncodeList(Rlp.EncodeBytes([0x02, 0xc0])),
            new PooledTransactionAnnouncement([2], [100], [head]).Encode(),
            Rlp.EncodeList(Rlp.Encode(4UL), Rlp.EncodeBytes(head.Bytes), Rlp.EncodeBytes(new byte[32]), Rlp.EncodeBytes(SnapHandler.MaxHash.Bytes), Rlp.Encode(1000UL)),
            Rlp.EncodeList(Rlp.Encode(5UL), Rlp.EncodeBytes(head.Bytes)),
        ];
    }

    private static byte[] Mutate(byte[] seed, Random rng)
    {
        var b = seed.ToList();
        int edits = rng.Next(1, 4);
        for (int i = 0; i < edits; i++)
        {
            switch (rng.Next(4))
            {
                case 0 when b.Count > 0: b[rng.Next(b.Count)] ^= (byte)(1 << rng.Next(8)); break;
                case 1 when b.Count > 1: b.RemoveRange(rng.Next(b.Count), 1); break;
                case 2: b.Insert(rng.Next(b.Count + 1), (byte)rng.Next(256)); break;
                default: if (b.Count > 2) { int cut = rng.Next(1, b.Count); b.RemoveRange(cut, b.Count - cut); } break; // truncate
            }
        }
        return b.ToArray();
    }

    [Fact]
    public async Task Hostile_frames_and_messages_end_sessions_with_a_reason_and_leave_the_node_healthy()
    {
        await using var target = new LoopbackNode(20, [68], n => [new SnapProtocol(new InMemorySnapServer()), new WitProtocol(n.Nodes)]);
        var seeds = Seeds(target);
        var rng = new Random(Environment.GetEnvironmentVariable("BEAMSYNC_FUZZ_SEED") is { } s ? int.Parse(s) : 5);
        GC.Collect();
        long memoryBefore = GC.GetTotalMemory(forceFullCollection: true);
        var outcomes = new Dictionary<string, int>();

        for (int i = 0; i < Iterations; i++)
        {
            string outcome = await OneHostileSessionAsync(target, seeds, rng, mode: i % 4);
            outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
        }
        output.WriteLine(string.Join(", ", outcomes.Select(kv => $"{kv.Key}: {kv.Value}")));
        Assert.DoesNotContain("hang", outcomes.Keys);

        // Still healthy: a fresh, well-behaved peer is served.
        await using var good = new LoopbackNode(1, [68]);
        var session = await good.Pool.ConnectAsync(target.Pool.LocalEnode);
        var headers = await session.Protocol<EthHandler>()!.GetBlockHeadersAsync(HeadersQuery.ByNumber(0, 5));
        Assert.Equal(5, headers.Count);

        GC.Collect();
        long growth = GC.GetTotalMemory(forceFullCollection: true) - memoryBefore;
        output.WriteLine($"managed heap growth after {Iterations} hostile sessions: {growth / 1024} KiB");
        Assert.True(growth < 64L * 1024 * 1024, $"memory grew by {growth} bytes");
    }

    /// <summary>Modes: 0 raw garbage after the handshake, 1 mutated messages before Status, 2 mutated messages after Status, 3 random ids and payloads.</summary>
    private static async Task<string> OneHostileSessionAsync(LoopbackNode target, byte[][] seeds, Random rng, int mode)
    {
        var key = NodeKey.Generate();
        using var client = new TcpClient();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        await client.ConnectAsync(target.Pool.LocalEnode.EndPoint, timeout.Token);
        var stream = client.GetStream();
        await using var connection = await RlpxConnection.ConnectAsync(stream, key.PrivateKey, target.Key.PublicKey, timeout.Token);
        try
        {
            if (mode == 0)
            {
                var garbage = new byte[rng.Next(1, 4000)];
                rng.NextBytes(garbage);
                await stream.WriteAsync(garbage, timeout.Token);
                return await AwaitEndAsync(connection, timeout.Token);
            }
            await connection.SendAsync(P2pMessageId.Hello, new HelloMessage(5, "fuzz", [new("eth", 68), new("snap", 1), new("wit", 0)], 0, key.PublicKey).Encode(), timeout.Token);
            using (var hello = await connection.ReceiveAsync(timeout.Token)) Assert.Equal((ulong)P2pMessageId.Hello, hello.Id);
            connection.Compression = true;
            if (mode == 2)
            {
                var status = new TestChain.ChainInfo(target.Chain).GetStatus(68, null);
                await connection.SendAsync(0x10, status.Encode(), timeout.Token);
            }
            for (int m = 0; m < 20; m++)
            {
                ulong id; byte[] payload;
                if (mode == 3) { id = (ulong)rng.Next(0, 0x40); payload = new byte[rng.Next(0, 200)]; rng.NextBytes(payload); }
                else
                {
                    int which = rng.Next(seeds.Length);
                    id = which switch { 0 => 0x13, 1 => 0x15, 2 => 0x1f, 3 => 0x11, 4 => 0x12, 5 => 0x18, 6 => 0x21, _ => 0x2a };
                    payload = Mutate(seeds[which], rng);
                }
                await connection.SendAsync(id, payload, timeout.Token);
            }
            return await AwaitEndAsync(connection, timeout.Token);
        }
        catch (Exception e) when (e is IOException or SocketException or RlpxException) { return "closed"; }
        catch (OperationCanceledException) { return "hang"; }
    }

    /// <summary>Reads until the node disconnects; if it stays quiet, a Ping must still be answered (no hang).</summary>
    private static async Task<string> AwaitEndAsync(RlpxConnection connection, CancellationToken ct)
    {
        bool pinged = false;
        while (true)
        {
            using var quiet = CancellationTokenSource.CreateLinkedTokenSource(ct);
            quiet.CancelAfter(TimeSpan.FromSeconds(2));
            try
            {
                using var message = await connection.ReceiveAsync(quiet.Token);
                if (message.Id == P2pMessageId.Disconnect) return "disconnect:" + DisconnectMessage.Decode(message.Payload);
                if (message.Id == P2pMessageId.Pong && pinged) return "alive";
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                if (pinged) return "hang";
                pinged = true;
                await connection.SendAsync(P2pMessageId.Ping, Rlp.EmptyList, ct);
            }
        }
    }
}
