using BeamSync.Core;
using BeamSync.Network.P2p;
using BeamSync.Network.Rlpx;
using BeamSync.Network.Tests.Rlpx;

namespace BeamSync.Network.Tests.Peers;

public class P2pTests
{
    [Fact]
    public void Decodes_the_EIP8_hello_with_a_future_version_and_extra_elements()
    {
        var hello = HelloMessage.Decode(Hex.Parse(Eip8Vectors.Hello));
        Assert.Equal(55, hello.ProtocolVersion); // the bytes say 0x37; the EIP prose says 22, which is the mork capability version
        Assert.Equal("kneth/v0.91/plan9", hello.ClientId);
        Assert.Equal([new Capability("eth", 61), new Capability("mork", 22)], hello.Capabilities);
        Assert.Equal(9999, hello.ListenPort);
        Assert.Equal(64, hello.NodeId.Length);
    }

    [Fact]
    public void Hello_round_trips()
    {
        var key = NodeKey.Generate();
        var hello = new HelloMessage(5, "BeamSync/test", [new("eth", 68), new("snap", 1)], 30303, key.PublicKey);
        var back = HelloMessage.Decode(hello.Encode());
        Assert.Equal(hello.Capabilities, back.Capabilities);
        Assert.Equal(key.PublicKey, back.NodeId);
    }

    [Fact]
    public void Capabilities_get_alphabetical_offsets_and_the_highest_shared_version()
    {
        var local = new List<(Capability, int)> { (new("snap", 1), 8), (new("eth", 66), 17), (new("eth", 68), 17), (new("eth", 69), 18), (new("wit", 0), 3) };
        var shared = CapabilityNegotiation.Negotiate(local, [new("eth", 66), new("eth", 68), new("snap", 1), new("les", 4)]);
        Assert.Equal([new SharedCapability("eth", 68, 0x10, 17), new SharedCapability("snap", 1, 0x21, 8)], shared);
    }

    [Fact]
    public void Disconnect_reason_accepts_list_and_bare_forms()
    {
        Assert.Equal(DisconnectReason.TooManyPeers, DisconnectMessage.Decode(DisconnectMessage.Encode(DisconnectReason.TooManyPeers)));
        Assert.Equal(DisconnectReason.UselessPeer, DisconnectMessage.Decode([0x03]));
        Assert.Equal(DisconnectReason.Requested, DisconnectMessage.Decode(Rlp.EmptyList));
    }

    [Fact]
    public void Node_key_is_created_once_and_reloaded()
    {
        var dir = Path.Combine(Path.GetTempPath(), "beamsync-key-" + Guid.NewGuid().ToString("N"));
        try
        {
            var first = NodeKey.LoadOrCreate(dir);
            var again = NodeKey.LoadOrCreate(dir);
            Assert.Equal(first.PrivateKey, again.PrivateKey);
            var enode = new Enode(first.PublicKey, System.Net.IPAddress.Loopback, 30303);
            Assert.Equal(enode, Enode.Parse(enode.ToString()));
        }
        finally { Directory.Delete(dir, true); }
    }

    [Theory]
    [InlineData("enode://1234@127.0.0.1:30303")]
    [InlineData("http://x")]
    [InlineData("enode://" + "00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000" + "@127.0.0.1:30303")]
    public void Bad_enode_urls_are_refused(string url) => Assert.False(Enode.TryParse(url, out _, out _));
}
