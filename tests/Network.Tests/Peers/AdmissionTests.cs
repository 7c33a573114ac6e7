using System.Net.Sockets;
using BeamSync.Network.P2p;
using BeamSync.Network.Peers;
using BeamSync.Network.Rlpx;

namespace BeamSync.Network.Tests.Peers;

/// <summary>Inbound handshake limits (per address and in total) and the expiry of bans.</summary>
public class AdmissionTests
{
    /// <summary>Connects without sending anything: a handshake that never progresses, holding its slot.</summary>
    private static async Task<TcpClient> SilentAsync(LoopbackNode node)
    {
        var client = new TcpClient();
        await client.ConnectAsync(node.Pool.LocalEnode.EndPoint);
        return client;
    }

    /// <summary>Whether the node closed the connection within a second (read returns end of stream).</summary>
    private static async Task<bool> ClosedByNodeAsync(TcpClient client)
    {
        try { return await client.GetStream().ReadAsync(new byte[1]).AsTask().WaitAsync(TimeSpan.FromSeconds(1)) == 0; }
        catch (TimeoutException) { return false; }
        catch (IOException) { return true; }
    }

    [Theory]
    [InlineData(3, 50)] // the per-address limit binds (every test connection comes from 127.0.0.1)
    [InlineData(50, 3)] // the total limit binds
    public async Task Handshakes_beyond_the_limit_are_closed_at_once_and_slots_free_up(int perAddress, int total)
    {
        var options = new PeerPoolOptions { MaxInboundHandshakesPerAddress = perAddress, MaxInboundHandshakes = total };
        await using var node = new LoopbackNode(1, options: options);
        var held = new List<TcpClient>();
        try
        {
            for (int i = 0; i < 3; i++) held.Add(await SilentAsync(node));
            await Wait.Until(() => node.Pool.PendingHandshakes == 3, "handshakes not pending");
            using var refused = await SilentAsync(node);
            Assert.True(await ClosedByNodeAsync(refused), "a fourth handshake was admitted");

            held[0].Dispose(); // the node sees the close, the handshake fails, the slot frees
            await Wait.Until(() => node.Pool.PendingHandshakes == 2, "slot not freed");
            using var admitted = await SilentAsync(node);
            Assert.False(await ClosedByNodeAsync(admitted));
        }
        finally { foreach (var c in held) c.Dispose(); }
    }

    [Fact]
    public async Task A_ban_expires_and_is_dropped()
    {
        await using var node = new LoopbackNode(1, options: new PeerPoolOptions { BanDuration = TimeSpan.FromMilliseconds(300) });
        var key = NodeKey.Generate();
        using (var client = new TcpClient())
        {
            await client.ConnectAsync(node.Pool.LocalEnode.EndPoint);
            await using var connection = await RlpxConnection.ConnectAsync(client.GetStream(), key.PrivateKey, node.Key.PublicKey, CancellationToken.None);
            await connection.SendAsync(P2pMessageId.Ping, Core.Rlp.EmptyList); // anything but Hello first is a breach
            await Wait.Until(() => node.Pool.IsBanned(key.PublicKey), "peer not banned");
        }
        Assert.Equal(1, node.Pool.BannedCount);
        await Task.Delay(400);
        Assert.False(node.Pool.IsBanned(key.PublicKey));
        Assert.Equal(0, node.Pool.BannedCount);
    }
}
