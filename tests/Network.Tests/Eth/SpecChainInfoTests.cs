using BeamSync.Chain.Store;
using BeamSync.Core;
using BeamSync.Core.Specs;
using BeamSync.Core.Types;
using BeamSync.Db;
using BeamSync.Network.Eth;

namespace BeamSync.Network.Tests.Eth;

public class SpecChainInfoTests
{
    [Fact]
    public void Mainnet_genesis_status_carries_the_EIP2124_fork_id_and_checks_peers_by_it()
    {
        var spec = KnownNetworks.Mainnet;
        // The Frontier genesis header (its allocation is not needed: only the header's hash enters the fork id).
        var genesis = new BlockHeader
        {
            StateRoot = Hash256.Parse("0xd7f8974fb5ac78d9ac099b9ad5018bedc2ce0a72dad1827a1709da30580f0544"),
            Difficulty = new UInt256(0x400000000), GasLimit = 5000, Nonce = 0x42,
            ExtraData = Hex.Parse("0x11bbe8db4e347b4e8c937c1c8370e4b5ed33adb3db69cbdb7a38e1e50b1b82fa"),
        };
        Assert.Equal(Hash256.Parse("0xd4e56740f876aef8c010b86a40d5f56745a118d0906a34e69aec8c0db1cb8fa3"), genesis.Hash);
        var blocks = new BlockStore(new MemoryKeyValueStore());
        using (var batch = blocks.Store.StartBatch())
        {
            BlockStore.WriteBlock(batch, new Block(genesis, BlockBody.Empty), [], genesis.Difficulty);
            blocks.WriteHead(batch, genesis, new Dictionary<Hash256, BlockHeader> { [genesis.Hash] = genesis });
            batch.Commit();
        }
        var info = new SpecChainInfo(spec, blocks);
        var status = info.GetStatus(68, null);
        Assert.Equal(new ForkId(0xfc64ec04, 1_150_000), status.ForkId); // EIP-2124's mainnet genesis vector
        Assert.Equal(1UL, status.NetworkId);
        Assert.Equal(status, EthStatus.Decode(status.Encode(), 68));

        Assert.True(info.IsCompatible(status, status, out _));
        Assert.False(info.IsCompatible(status, status with { ForkId = new ForkId(0xdeadbeef, 0) }, out var why));
        Assert.Contains("fork id", why);
        Assert.False(info.IsCompatible(status, status with { NetworkId = 5 }, out _));
    }
}
