using System.Net.Sockets;
using BeamSync.Core;
using BeamSync.Core.Crypto;
using BeamSync.Network.Eth;
using BeamSync.Network.NodeData;
using BeamSync.Network.P2p;
using BeamSync.Network.Peers;
using BeamSync.Network.Rlpx;
using BeamSync.Network.Serving;
using BeamSync.Network.Tests.Peers;

namespace BeamSync.Network.Tests.NodeData;

/// <summary>nodedata/1 (Nethermind's by-hash state capability) beside eth/69, between two of our nodes and on the raw wire.</summary>
public class NodeDataTests
{
    private static byte[] Value(int i) => Rlp.EncodeList(Rlp.EncodeBytes(System.Text.Encoding.ASCII.GetBytes($"trie node {i}")));

    private static async Task<(PeerSession AtoB, PeerSession BtoA)> ConnectAsync(LoopbackNode a, LoopbackNode b)
    {
        var atob = await a.Pool.ConnectAsync(b.Pool.LocalEnode);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (b.Pool.Peers.Count == 0 && DateTime.UtcNow < deadline) await Task.Delay(10);
        var btoa = b.Pool.Peers.Single();
        await btoa.Ready;
        return (atob, btoa);
    }

    [Fact]
    public async Task Two_nodes_on_eth69_fetch_state_by_hash_both_ways_with_absent_values_left_out()
    {
        await using var a = new LoopbackNode(3, [69], n => [new NodeDataProtocol(n.Nodes)]);
        await using var b = new LoopbackNode(3, [69], n => [new NodeDataProtocol(n.Nodes)]);
        var inA = Enumerable.Range(0, 5).Select(i => a.Nodes.AddNode(Value(i))).ToList();
        var inB = Enumerable.Range(10, 5).Select(i => b.Nodes.AddNode(Value(i))).ToList();
        var (atob, btoa) = await ConnectAsync(a, b);
        Assert.Equal(["eth/69", "nodedata/1"], atob.Shared.Select(s => $"{s.Name}/{s.Version}"));

        var fromB = await atob.Protocol<NodeDataHandler>()!.GetNodeDataAsync([inB[0], Keccak256.Hash("absent"u8), inB[3], inA[0]]);
        Assert.Equal([Value(10), Value(13)], fromB);
        var fromA = await btoa.Protocol<NodeDataHandler>()!.GetNodeDataAsync([.. inA]);
        Assert.Equal(Enumerable.Range(0, 5).Select(Value), fromA);
        Assert.Empty(await atob.Protocol<NodeDataHandler>()!.GetNodeDataAsync([Keccak256.Hash("absent"u8)]));
    }

    [Fact]
    public async Task Pipelined_requests_are_matched_to_their_answers_in_order()
    {
        await using var a = new LoopbackNode(1, [69], n => [new NodeDataProtocol(n.Nodes)]);
        await using var b = new LoopbackNode(1, [69], n => [new NodeDataProtocol(n.Nodes)]);
        var hashes = Enumerable.Range(0, 64).Select(i => b.Nodes.AddNode(Value(i))).ToList();
        var (atob, _) = await ConnectAsync(a, b);
        var handler = atob.Protocol<NodeDataHandler>()!;
        var requests = hashes.Select(h => handler.GetNodeDataAsync([h])).ToList();
        var answers = await Task.WhenAll(requests);
        for (int i = 0; i < answers.Length; i++) Assert.Equal(Value(i), Assert.Single(answers[i]));
        Assert.Equal(0, handler.Outstanding);
        Assert.Equal(0, atob.Score.Value);
    }

    /// <summary>A store that answers every hash with the same wrong value (a lying or broken peer).</summary>
    private sealed class LyingStore : INodeStore { public byte[]? GetNodeOrCode(Hash256 hash) => Value(999); }

    [Fact]
    public async Task A_value_that_hashes_to_nothing_requested_fails_the_request_and_costs_the_peer()
    {
        await using var a = new LoopbackNode(1, [69], n => [new NodeDataProtocol(n.Nodes)]);
        await using var liar = new LoopbackNode(1, [69], _ => [new NodeDataProtocol(new LyingStore())]);
        var (atob, _) = await ConnectAsync(a, liar);
        var error = await Assert.ThrowsAsync<RlpxException>(() => atob.Protocol<NodeDataHandler>()!.GetNodeDataAsync([Keccak256.Hash("x"u8)]));
        Assert.Equal(DisconnectReason.UselessPeer, error.Reason);
        Assert.Equal(PeerScore.Useless, atob.Score.Value);
    }

    /// <summary>
    /// The envelope Nethermind uses: nodedata/1 follows eth in the id space (capabilities sorted by name), and its
    /// messages are bare lists with no request id: GetNodeData = [hash, ...], NodeData = [value, ...].
    /// </summary>
    [Fact]
    public async Task On_the_wire_requests_and_answers_are_bare_lists_after_eth()
    {
        await using var node = new LoopbackNode(1, [69], n => [new NodeDataProtocol(n.Nodes)]);
        var h = node.Nodes.AddNode(Value(7));
        var key = NodeKey.Generate();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        using var client = new TcpClient();
        await client.ConnectAsync(node.Pool.LocalEnode.EndPoint, timeout.Token);
        await using var connection = await RlpxConnection.ConnectAsync(client.GetStream(), key.PrivateKey, node.Key.PublicKey, timeout.Token);
        await connection.SendAsync(P2pMessageId.Hello, new HelloMessage(5, "raw", [new("nodedata", 1), new("eth", 69)], 0, key.PublicKey).Encode(), timeout.Token);
        using (var hello = await connection.ReceiveAsync(timeout.Token)) Assert.Equal((ulong)P2pMessageId.Hello, hello.Id);
        connection.Compression = true;
        ulong nodeDataOffset = 0x10 + (ulong)EthMessageId.MessageCount(69);

        await connection.SendAsync(nodeDataOffset + 0x00, Rlp.EncodeList(Rlp.EncodeBytes(h.Bytes), Rlp.EncodeBytes(new byte[32])), timeout.Token);
        while (true)
        {
            using var message = await connection.ReceiveAsync(timeout.Token);
            if (message.Id != nodeDataOffset + 0x01) continue; // eth Status, Ping
            Assert.Equal(Rlp.EncodeList(Rlp.EncodeBytes(Value(7))), message.Payload.ToArray());
            break;
        }
    }
}
