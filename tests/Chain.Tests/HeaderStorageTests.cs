using BeamSync.Chain.Store;
using BeamSync.Core;
using BeamSync.Core.Types;
using BeamSync.Db;

namespace BeamSync.Chain.Tests;

/// <summary>Headers stored apart from execution: the executed marker, <see cref="Blockchain.InsertHeaders"/> and typed errors for missing data.</summary>
public class HeaderStorageTests
{
    /// <summary>Blocks 1..<paramref name="count"/> imported on a reference chain, so their state roots are real.</summary>
    private static List<Block> ReferenceBlocks(int count)
    {
        var (chain, _, genesis) = BlockchainTests.NewShanghaiChain();
        return TestChains.ImportChildren(chain, genesis, count);
    }

    [Fact]
    public void StoringAHeaderDoesNotMarkItExecutedWritingTheBlockDoes()
    {
        var header = ReferenceBlocks(1)[0].Header;
        var store = new BlockStore(new MemoryKeyValueStore());
        using (var batch = store.Store.StartBatch())
        {
            store.WriteHeader(batch, header);
            batch.Commit();
        }
        Assert.Equal(header.Hash, store.GetHeader(header.Hash)!.Hash);
        Assert.False(store.IsExecuted(header.Hash));
        Assert.Null(store.GetTotalDifficulty(header.Hash));
        Assert.Null(store.GetBody(header.Hash));

        using (var batch = store.Store.StartBatch())
        {
            BlockStore.WriteBlock(batch, new Block(header, new BlockBody([], [], [])), [], UInt256.One);
            batch.Commit();
        }
        Assert.True(store.IsExecuted(header.Hash));
    }

    [Fact]
    public void InsertedHeadersWaitUnexecutedAndTheirBlocksStillExecuteInOrder()
    {
        var blocks = ReferenceBlocks(2);
        var (chain, _, genesis) = BlockchainTests.NewShanghaiChain();
        chain.InsertHeaders([blocks[0].Header, blocks[1].Header]);

        Assert.Equal(genesis.Hash, chain.Head!.Hash);
        Assert.NotNull(chain.GetHeader(blocks[1].Hash));
        Assert.False(chain.IsExecuted(blocks[0].Hash));
        Assert.Equal(UInt256.Zero, chain.Store.GetTotalDifficulty(blocks[1].Hash));
        // The child of a header-only block cannot execute: its parent's state is not there.
        Assert.Equal(BlockError.ParentStateUnavailable, Assert.Throws<InvalidBlockException>(() => chain.Import(blocks[1])).Error);

        // A stored header is not an executed block: the import executes it.
        Assert.True(chain.Import(blocks[0]));
        Assert.True(chain.IsExecuted(blocks[0].Hash));
        Assert.NotNull(chain.Store.GetReceipts(blocks[0].Hash));
        Assert.True(chain.Import(blocks[1]));
        Assert.False(chain.Import(blocks[1]));
        Assert.Equal(blocks[1].Hash, chain.Head!.Hash);
    }

    [Fact]
    public void ABrokenLinkOrAnInvalidHeaderInTheRunWritesNothing()
    {
        var blocks = ReferenceBlocks(3);
        var (chain, store, _) = BlockchainTests.NewShanghaiChain();
        int headers = store.Count(Column.Headers), metadata = store.Count(Column.Metadata);

        var gap = Assert.Throws<InvalidBlockException>(() => chain.InsertHeaders([blocks[0].Header, blocks[2].Header]));
        Assert.Equal(BlockError.UnknownParent, gap.Error);
        var badFee = (HeaderFields.From(blocks[1].Header) with { BaseFee = UInt256.One }).ToHeader();
        Assert.Equal(BlockError.InvalidBaseFee, Assert.Throws<InvalidBlockException>(() => chain.InsertHeaders([blocks[0].Header, badFee])).Error);
        Assert.Equal(BlockError.UnknownParent, Assert.Throws<InvalidBlockException>(() => chain.InsertHeaders([blocks[1].Header])).Error);

        Assert.Equal(headers, store.Count(Column.Headers));
        Assert.Equal(metadata, store.Count(Column.Metadata));
        Assert.Null(chain.GetHeader(blocks[0].Hash));
    }

    [Fact]
    public void AParentWithoutATotalDifficultyIsATypedErrorNotZero()
    {
        var blocks = ReferenceBlocks(2);
        var (chain, store, _) = BlockchainTests.NewShanghaiChain();
        // Block 1 stored and marked executed, as a damaged or half-migrated store might hold it, without its total difficulty.
        using (var batch = store.StartBatch())
        {
            chain.Store.WriteHeader(batch, blocks[0].Header);
            BlockStore.MarkExecuted(batch, blocks[0].Hash);
            batch.Commit();
        }

        var import = Assert.Throws<ChainDataMissingException>(() => chain.Import(blocks[1]));
        Assert.Equal(blocks[0].Hash, import.BlockHash);
        Assert.Equal(blocks[0].Hash, Assert.Throws<ChainDataMissingException>(() => chain.ForkOf(blocks[1].Header)).BlockHash);
        Assert.Equal(blocks[0].Hash, Assert.Throws<ChainDataMissingException>(() => chain.InsertHeaders([blocks[1].Header])).BlockHash);
        Assert.Null(chain.GetHeader(blocks[1].Hash));
    }
}
