using System.Net.Sockets;
using BeamSync.Network.P2p;
using BeamSync.Network.Peers;
using BeamSync.Network.Rlpx;

namespace BeamSync.Network.Tests.Peers;

public class PeerPoolTests
{
    [Fact]
    public async Task Static_peers_are_dialled_and_redialled()
    {
        await using var b = new LoopbackNode(2);
        await using var a = new LoopbackNode(2, options: new PeerPoolOptions { StaticPeers = [b.Pool.LocalEnode], StaticRedialInterval = TimeSpan.FromMilliseconds(200) });
        await Wait.Until(() => a.Pool.Peers.Count == 1, "static peer not dialled");
        await a.Pool.Peers.Single().DisconnectAsync(DisconnectReason.Requested);
        await Wait.Until(() => a.Pool.Peers.Count == 0, "peer not dropped");
        await Wait.Until(() => a.Pool.Peers.Count == 1, "static peer not redialled");
    }

    [Fact]
    public async Task Peers_beyond_the_limit_are_told_too_many_peers()
    {
        await using var server = new LoopbackNode(2, options: new PeerPoolOptions { MaxPeers = 1 });
        await using var first = new LoopbackNode(2);
        await using var second = new LoopbackNode(2);
        await first.Pool.ConnectAsync(server.Pool.LocalEnode);
        var reason = await ConnectAndAwaitEndAsync(second, server);
        Assert.Equal(DisconnectReason.TooManyPeers, reason);
    }

    private static async Task<DisconnectReason> ConnectAndAwaitEndAsync(LoopbackNode from, LoopbackNode to)
    {
        try
        {
            var session = await from.Pool.ConnectAsync(to.Pool.LocalEnode);
            return await session.Closed.WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (RlpxException e) { return e.Reason; }
    }

    [Fact]
    public async Task A_peer_that_breaches_the_protocol_is_banned()
    {
        await using var server = new LoopbackNode(2);
        var key = NodeKey.Generate();
        using (var client = new TcpClient())
        {
            await client.ConnectAsync(server.Pool.LocalEnode.EndPoint);
            await using var connection = await RlpxConnection.ConnectAsync(client.GetStream(), key.PrivateKey, server.Key.PublicKey, CancellationToken.None);
            await connection.SendAsync(P2pMessageId.Ping, Core.Rlp.EmptyList); // anything but Hello first is a breach
            using var reply = await connection.ReceiveAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));
            // The server's Hello may come first; the Disconnect follows.
            var message = reply.Id == P2pMessageId.Hello ? await connection.ReceiveAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10)) : reply;
            Assert.Equal((ulong)P2pMessageId.Disconnect, message.Id);
            Assert.Equal(DisconnectReason.BreachOfProtocol, DisconnectMessage.Decode(message.Payload));
        }
        await Wait.Until(() => server.Pool.IsBanned(key.PublicKey), "peer not banned");
    }

    [Fact]
    public async Task Unanswered_pings_end_the_session_with_ping_timeout()
    {
        var fast = new PeerPoolOptions { Session = new SessionOptions { PingInterval = TimeSpan.FromMilliseconds(100), IdleTimeout = TimeSpan.FromMilliseconds(400) } };
        await using var server = new LoopbackNode(2, options: fast);
        var key = NodeKey.Generate();
        using var client = new TcpClient();
        await client.ConnectAsync(server.Pool.LocalEnode.EndPoint);
        await using var connection = await RlpxConnection.ConnectAsync(client.GetStream(), key.PrivateKey, server.Key.PublicKey, CancellationToken.None);
        await connection.SendAsync(P2pMessageId.Hello, new HelloMessage(5, "silent", [new("eth", 68)], 0, key.PublicKey).Encode());
        // Never answer anything: the server pings, hears nothing, and gives up.
        DisconnectReason? reason = null;
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (reason is null && DateTime.UtcNow < deadline)
        {
            using var m = await connection.ReceiveAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));
            if (m.Id == P2pMessageId.Hello) connection.Compression = true;
            if (m.Id == P2pMessageId.Disconnect) reason = DisconnectMessage.Decode(m.Payload);
        }
        Assert.Equal(DisconnectReason.PingTimeout, reason);
    }
}
