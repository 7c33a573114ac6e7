using BeamSync.Chain.Store;
using BeamSync.Core;
using BeamSync.Core.Types;
using BeamSync.Db;
using BeamSync.Network.Eth;
using BeamSync.Network.Serving;

namespace BeamSync.Network.Tests.Serving;

public class BlockStoreChainSourceTests
{
    [Fact]
    public void Serves_the_chain_layers_stored_bytes()
    {
        var blocks = new BlockStore(new MemoryKeyValueStore());
        var genesis = new BlockHeader { Number = 0, GasLimit = 30_000_000, Timestamp = 1 };
        var child = new BlockHeader { Number = 1, ParentHash = genesis.Hash, GasLimit = 30_000_000, Timestamp = 13 };
        var receipt = new Receipt { Type = TransactionType.DynamicFee, Success = true, CumulativeGasUsed = 21000 };
        using (var batch = blocks.Store.StartBatch())
        {
            BlockStore.WriteBlock(batch, new Block(genesis, BlockBody.Empty), [], UInt256.Zero);
            BlockStore.WriteBlock(batch, new Block(child, BlockBody.Empty), [receipt], UInt256.Zero);
            blocks.WriteHead(batch, child, new Dictionary<Hash256, BlockHeader> { [genesis.Hash] = genesis, [child.Hash] = child });
            batch.Commit();
        }
        var source = new BlockStoreChainSource(blocks);
        Assert.Equal(child.Encode(), source.GetCanonicalHeader(1));
        Assert.Equal(genesis.Encode(), source.GetHeader(genesis.Hash));
        Assert.Equal(BlockBody.Empty.Encode(), source.GetBody(child.Hash));
        var receipts = source.GetReceipts(child.Hash)!;
        Assert.Equal(receipt.EncodeCanonical(), Assert.Single(receipts));
        // The eth/69 form drops the bloom but keeps type, status, gas and logs.
        Assert.Equal(Rlp.EncodeList(Rlp.Encode(2UL), Rlp.Encode(1UL), Rlp.Encode(21000UL), Rlp.EmptyList), ReceiptWire.ToEth69(receipts[0]));
        Assert.Null(source.GetCanonicalHeader(2));
    }
}
