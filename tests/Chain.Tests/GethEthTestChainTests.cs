using BeamSync.Chain.Execution;
using BeamSync.Chain.Store;
using BeamSync.Core;
using BeamSync.Core.Specs;
using BeamSync.Core.Types;
using BeamSync.Db;
using BeamSync.Evm;

namespace BeamSync.Chain.Tests;

/// <summary>
/// The devp2p conformance chain (Shanghai at genesis, Cancun at block 6, Prague at block 12, EIP-7702 transactions,
/// system contracts and requests) imported block by block with full execution.
/// </summary>
public class GethEthTestChainTests
{
    private static readonly string Folder = BeamSync.Tests.Shared.TestFixtures.PathOf("chains/geth-ethtest");

    private static (Blockchain Chain, MemoryKeyValueStore Store, List<Block> Blocks) Load()
    {
        var (spec, blocks) = TestChains.LoadChainFile(Folder);
        var store = new MemoryKeyValueStore();
        var chain = new Blockchain(spec, new BlockStore(store), new EvmStateFactory(store));
        chain.InitializeGenesis();
        return (chain, store, blocks);
    }

    [Fact]
    public void AllSixHundredBlocksImportToTheKnownHead()
    {
        LargeStack.Run(() =>
        {
            var (chain, _, blocks) = Load();
            foreach (var block in blocks) Assert.True(chain.Import(block));
            Assert.Equal(600UL, chain.Head!.Number);
            Assert.Equal(Hash256.Parse("0x44e3809c9a3cda717f00aea3a9da336d149612c8d5657fbc0028176ef8d94d2a"), chain.Head.Hash);
            Assert.Equal(Hash256.Parse("0x8fcfb02cfca007773bd55bc1c3e50a3c8612a59c87ce057e5957e8bf17c1728b"), chain.Head.StateRoot);
        });
    }

    [Fact]
    public void APragueBlockWithAWrongRequestsHashIsRejectedAndWritesNothing()
    {
        LargeStack.Run(() =>
        {
            var (chain, store, blocks) = Load();
            foreach (var block in blocks.Take(11)) chain.Import(block);
            var prague = blocks[11];
            Assert.Equal(12UL, prague.Number);
            Assert.NotNull(prague.Header.RequestsHash);
            var tampered = new Block(HeaderFields.From(prague.Header) with { RequestsHash = Hash256.Zero } is var f ? f.ToHeader() : null!, prague.Body);
            int nodes = store.Count(Column.TrieNodes), code = store.Count(Column.Code);

            var error = Assert.Throws<InvalidBlockException>(() => chain.Import(tampered));
            Assert.Equal(BlockError.RequestsHashMismatch, error.Error);
            Assert.Equal(nodes, store.Count(Column.TrieNodes));
            Assert.Equal(code, store.Count(Column.Code));
            Assert.Equal(blocks[10].Hash, chain.Head!.Hash);
            Assert.True(chain.Import(prague));
        });
    }
}
