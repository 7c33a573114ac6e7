using BeamSync.Chain.Processing;
using BeamSync.Core;
using BeamSync.Core.Specs;
using BeamSync.Core.Types;
using BeamSync.Db;

namespace BeamSync.Chain.Tests;

/// <summary>
/// <see cref="Blockchain.Anchor"/>: a beam node's start from headers alone, with state fetched on demand, and the
/// BLOCKHASH window over what the anchor stored.
/// </summary>
public class AnchorTests
{
    /// <summary>Blocks 1..<paramref name="count"/> on a reference Shanghai chain, and that chain's store.</summary>
    private static (List<Block> Blocks, MemoryKeyValueStore Full, Blockchain Reference) ShanghaiBlocks(int count)
    {
        var (chain, store, genesis) = BlockchainTests.NewShanghaiChain();
        return (TestChains.ImportChildren(chain, genesis, count), store, chain);
    }

    [Fact]
    public void TheAnchorBecomesAnExecutedHeadOverHeadersAloneAndItsChildExecutesOnFetchedState()
    {
        var (blocks, full, reference) = ShanghaiBlocks(3);
        var chain = TestChains.Fetching(reference.Spec, full, out var local, out var fetcher);

        chain.Anchor([blocks[0].Header, blocks[1].Header], UInt256.Zero);
        Assert.Equal(blocks[1].Hash, chain.Head!.Hash);
        Assert.True(chain.IsExecuted(blocks[1].Hash));
        Assert.False(chain.IsExecuted(blocks[0].Hash));
        Assert.Equal(blocks[0].Hash, chain.Store.GetCanonicalHash(1));
        Assert.Equal(UInt256.Zero, chain.Store.GetTotalDifficulty(blocks[0].Hash));
        Assert.Equal(0, local.Count(Column.TrieNodes));

        Assert.True(chain.Import(blocks[2]));
        Assert.Equal(blocks[2].Hash, chain.Head!.Hash);
        Assert.True(fetcher.Fetches > 0);
    }

    [Fact]
    public void ReAnchoringMovesTheHeadToTheNewAnchor()
    {
        var (blocks, full, reference) = ShanghaiBlocks(5);
        var chain = TestChains.Fetching(reference.Spec, full, out _, out _);
        chain.Anchor([blocks[0].Header], UInt256.Zero);
        chain.Anchor([blocks[2].Header, blocks[3].Header], UInt256.Zero);

        Assert.Equal(blocks[3].Hash, chain.Head!.Hash);
        Assert.True(chain.IsExecuted(blocks[3].Hash));
        Assert.Equal(blocks[3].Hash, chain.Store.GetCanonicalHash(4));
        // Block 2 was never stored: the anchor run need not reach back to what is already there.
        Assert.Null(chain.GetHeader(blocks[1].Hash));
        Assert.False(chain.Import(blocks[3]));
        Assert.True(chain.Import(blocks[4]));
    }

    [Fact]
    public void ABrokenRunOrATotalDifficultyBelowItsDifficultiesAnchorsNothing()
    {
        var (blocks, full, reference) = ShanghaiBlocks(3);
        var chain = TestChains.Fetching(reference.Spec, full, out var local, out _);

        var gap = Assert.Throws<InvalidBlockException>(() => chain.Anchor([blocks[0].Header, blocks[2].Header], UInt256.Zero));
        Assert.Equal(BlockError.UnknownParent, gap.Error);
        var heavy = (HeaderFields.From(blocks[0].Header) with { Difficulty = new UInt256(10) }).ToHeader();
        var td = Assert.Throws<InvalidBlockException>(() => chain.Anchor([heavy], new UInt256(9)));
        Assert.Equal(BlockError.InvalidTotalDifficulty, td.Error);
        Assert.Throws<ArgumentException>(() => chain.Anchor([], UInt256.Zero));

        Assert.Null(chain.Head);
        Assert.Equal(0, local.Count(Column.Headers));
        Assert.Equal(0, local.Count(Column.Metadata));
    }

    /// <summary>
    /// The beacon-roots system call runs whatever code sits at its address: here code that stores BLOCKHASH(NUMBER-3)
    /// in slot 0, so every Cancun block reads an ancestor three back without any signed transaction.
    /// </summary>
    private static readonly byte[] StoreBlockHashThreeBack = [0x60, 0x03, 0x43, 0x03, 0x40, 0x60, 0x00, 0x55, 0x00];

    [Fact]
    public void BlockHashOfAnAncestorInsideTheWindowThatIsNotStoredIsATypedErrorNotZero()
    {
        LargeStack.Run(() =>
        {
            var alloc = new Dictionary<Address, GenesisAccount> { [SystemContracts.BeaconRoots] = new(UInt256.Zero, 1, StoreBlockHashThreeBack, GenesisAccount.NoStorage) };
            var genesis = new BlockHeader
            {
                GasLimit = 30_000_000, BaseFeePerGas = 7UL, WithdrawalsRoot = Hash256.EmptyTrieRoot, Timestamp = 1,
                BlobGasUsed = 0, ExcessBlobGas = 0, ParentBeaconBlockRoot = Hash256.Zero,
            };
            var (reference, full, referenceGenesis) = TestChains.New("Cancun", alloc, genesis);
            // Block 3 stores the genesis hash: its root is the one a correct BLOCKHASH gives (zero would leave slot 0 empty).
            var blocks = TestChains.ImportChildren(reference, referenceGenesis, 3);
            var chain = TestChains.Fetching(reference.Spec, full, out var local, out _);

            chain.Anchor([blocks[1].Header], UInt256.Zero);
            int nodes = local.Count(Column.TrieNodes);
            var missing = Assert.Throws<MissingAncestorException>(() => chain.Import(blocks[2]));
            Assert.Equal(0UL, missing.Number);
            Assert.Equal(1UL, missing.MissingNumber);
            Assert.Equal(blocks[0].Hash, missing.BlockHash);
            Assert.Equal(blocks[1].Hash, chain.Head!.Hash);
            Assert.Equal(nodes, local.Count(Column.TrieNodes));

            // With block 1's header the window is covered (block 0's hash is block 1's parent hash) and the root matches.
            chain.Anchor([blocks[0].Header, blocks[1].Header], UInt256.Zero);
            Assert.True(chain.Import(blocks[2]));
        });
    }
}
