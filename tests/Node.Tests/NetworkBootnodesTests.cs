using BeamSync.Network.P2p;
using BeamSync.Node.Networks;

namespace BeamSync.Node.Tests;

public class NetworkBootnodesTests
{
    [Theory]
    [InlineData("mainnet", 4)]
    [InlineData("Sepolia", 5)]
    [InlineData("hoodi", 4)]
    public void EachPublicNetworkShipsBootnodesThatParse(string network, int count)
    {
        var bootnodes = NetworkBootnodes.Of(network);
        Assert.Equal(count, bootnodes.Count);
        foreach (var url in bootnodes) Assert.Equal(30303, Enode.Parse(url).TcpPort);
    }

    [Theory]
    [InlineData("devnet")]
    [InlineData(null)]
    public void OtherNetworksHaveNone(string? network) => Assert.Empty(NetworkBootnodes.Of(network));
}
