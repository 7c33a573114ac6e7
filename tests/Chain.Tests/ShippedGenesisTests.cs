using BeamSync.Chain.Genesis;
using BeamSync.Core;
using BeamSync.Core.Specs;

namespace BeamSync.Chain.Tests;

/// <summary>The genesis files shipped inside BeamSync.Core give each public network's published genesis hash.</summary>
public class ShippedGenesisTests
{
    [Theory]
    [InlineData("mainnet", "0xd4e56740f876aef8c010b86a40d5f56745a118d0906a34e69aec8c0db1cb8fa3", 8893)]
    [InlineData("sepolia", "0x25a5cc106eea7138acab33231d7160d69cb777ee0c2c553fcddf5138993e6dd9", 15)]
    [InlineData("hoodi", "0xbbe312868b376a3001692a646dd2d7d1e4406380dfd86b98aa8a34d1557c971b", 335)]
    public void ShippedGenesisHashesToThePublishedHash(string network, string hash, int accounts)
    {
        var spec = KnownNetworks.WithShippedGenesis(network);

        var header = GenesisBlock.HeaderOfAlloc(spec);

        Assert.Equal(Hash256.Parse(hash), header.Hash);
        Assert.Equal(spec.KnownGenesisHash, header.Hash);
        Assert.Equal(accounts, spec.Genesis!.Alloc.Count);
        Assert.NotNull(spec.TimeOf(Fork.Bpo2));
    }

    [Fact]
    public void AnUnknownNetworkIsATypedError() =>
        Assert.Throws<ChainSpecException>(() => KnownNetworks.WithShippedGenesis("goerli"));
}
