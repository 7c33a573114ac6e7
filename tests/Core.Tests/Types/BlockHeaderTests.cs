using BeamSync.Core.Types;
using BeamSync.Tests.Shared;

namespace BeamSync.Core.Tests.Types;

public class BlockHeaderTests
{
    [Fact]
    public void MainnetGenesisHashIsTheKnownAnswer()
    {
        var genesis = new BlockHeader
        {
            ParentHash = Hash256.Zero,
            StateRoot = Hash256.Parse("0xd7f8974fb5ac78d9ac099b9ad5018bedc2ce0a72dad1827a1709da30580f0544"),
            Difficulty = new UInt256(0x400000000),
            GasLimit = 5000,
            ExtraData = Hex.Parse("0x11bbe8db4e347b4e8c937c1c8370e4b5ed33adb3db69cbdb7a38e1e50b1b82fa"),
            Nonce = 0x42,
        };
        Assert.Equal(Hash256.Parse("0xd4e56740f876aef8c010b86a40d5f56745a118d0906a34e69aec8c0db1cb8fa3"), genesis.Hash);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)]
    public void RoundTripsWithEachSetOfOptionalFields(int optionalFields)
    {
        var header = Samples.Header(optionalFields);
        var encoded = header.Encode();
        var decoded = BlockHeader.Decode(encoded);
        Assert.Equal(encoded, decoded.Encode());
        Assert.Equal(header.Hash, decoded.Hash);
        Assert.Equal(header.BaseFeePerGas, decoded.BaseFeePerGas);
        Assert.Equal(header.WithdrawalsRoot, decoded.WithdrawalsRoot);
        Assert.Equal(header.ExcessBlobGas, decoded.ExcessBlobGas);
        Assert.Equal(header.ParentBeaconBlockRoot, decoded.ParentBeaconBlockRoot);
        Assert.Equal(header.RequestsHash, decoded.RequestsHash);
        Assert.Equal(header.Nonce, decoded.Nonce);
    }

    [Fact]
    public void OptionalFieldsMustNotHaveGaps()
    {
        var gap = new BlockHeader { WithdrawalsRoot = Hash256.EmptyTrieRoot };
        Assert.Throws<InvalidOperationException>(() => gap.Encode());
    }

    [Fact]
    public void NonceMustBeEightBytes()
    {
        var encoded = Samples.Header(0).Encode();
        // The nonce is the last item: 0x88 followed by 8 bytes. Re-encode it as 7 bytes inside a fixed-up list.
        var reader = new RlpReader(encoded);
        var list = reader.ReadList();
        var items = new List<byte[]>();
        while (list.HasMore) items.Add(list.ReadEncodedItem().ToArray());
        items[^1] = Rlp.EncodeBytes(new byte[] { 1, 2, 3, 4, 5, 6, 7 });
        var bad = Rlp.EncodeList(items);
        Assert.Equal(RlpError.WrongLength, Assert.Throws<RlpException>(() => BlockHeader.Decode(bad)).Error);
    }

    [Fact]
    public void GethEthTestHeadBlockHashIsTheKnownAnswer()
    {
        var blocks = ChainFile.ReadItems(TestFixtures.PathOf("chains/geth-ethtest/chain.rlp"));
        var head = Block.Decode(blocks[^1]);
        Assert.Equal(600UL, head.Number);
        Assert.Equal(Hash256.Parse("0x44e3809c9a3cda717f00aea3a9da336d149612c8d5657fbc0028176ef8d94d2a"), head.Hash);
        Assert.Equal(Hash256.Parse("0x8fcfb02cfca007773bd55bc1c3e50a3c8612a59c87ce057e5957e8bf17c1728b"), head.Header.StateRoot);
        Assert.NotNull(head.Header.RequestsHash);
    }
}
