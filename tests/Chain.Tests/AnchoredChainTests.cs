using BeamSync.Chain.Execution;
using BeamSync.Chain.Store;
using BeamSync.Core;
using BeamSync.Core.Specs;
using BeamSync.Core.Types;
using BeamSync.Db;
using BeamSync.Tests.Shared;
using Xunit.Abstractions;

namespace BeamSync.Chain.Tests;

/// <summary>
/// Beam Sync's start on real chains: a node with no state at all, only an anchor's headers, executes the next blocks
/// on state fetched on demand (through the Trie layer's waiting source, from a full node's store) and reaches the
/// roots their headers commit to.
/// </summary>
public class AnchoredChainTests(ITestOutputHelper output)
{
    /// <summary>A chain file imported in full up to <paramref name="through"/>: the store a fetcher serves from.</summary>
    private sealed record Reference(ChainSpec Spec, List<Block> Blocks, MemoryKeyValueStore Full, BlockStore Store);

    private static Reference ImportFull(string folder, int through)
    {
        var (spec, blocks) = TestChains.LoadChainFile(folder);
        var full = new MemoryKeyValueStore();
        var chain = new Blockchain(spec, new BlockStore(full), new EvmStateFactory(full));
        chain.InitializeGenesis();
        foreach (var block in blocks.TakeWhile(b => b.Number <= (ulong)through)) Assert.True(chain.Import(block));
        return new Reference(spec, blocks, full, chain.Store);
    }

    /// <summary>
    /// Anchors an empty store at block <paramref name="anchor"/> with <paramref name="headers"/> headers up to it, then
    /// imports the blocks after it up to <paramref name="last"/> with every state read fetched; returns the fetches.
    /// </summary>
    private static int ExecuteFromAnchor(Reference reference, ulong anchor, int headers, ulong last)
    {
        var chain = TestChains.Fetching(reference.Spec, reference.Full, out var local, out var fetcher);
        var run = reference.Blocks.Where(b => b.Number <= anchor).TakeLast(headers).Select(b => b.Header).ToList();
        Assert.Equal(anchor, run[^1].Number);
        chain.Anchor(run, reference.Store.GetTotalDifficulty(run[^1].Hash)!.Value);
        Assert.Equal(0, local.Count(Column.TrieNodes));
        Assert.Equal(0, local.Count(Column.Code));
        Assert.Equal(0, local.Count(Column.Bodies));

        foreach (var block in reference.Blocks.Where(b => b.Number > anchor && b.Number <= last))
        {
            Assert.True(chain.Import(block), $"block {block.Number} did not become the head");
            Assert.Equal(block.Header.StateRoot, chain.Head!.StateRoot);
        }
        Assert.Equal(last, chain.Head!.Number);
        Assert.True(fetcher.Fetches > 0);
        return fetcher.Fetches;
    }

    private static readonly Lazy<Reference> GethEthTest = new(() => ImportFull(TestFixtures.PathOf("chains/geth-ethtest"), 303));

    /// <summary>Null when the fixture is absent outside CI (as in <see cref="RpcCompatChainTests"/>).</summary>
    private static readonly Lazy<Reference?> RpcCompat = new(() =>
        TestFixtures.TryLocate("rpc-compat", out var folder) ? ImportFull(folder, 54) : null);

    /// <summary>Block 300 of the devp2p conformance chain (Prague) as the anchor: the pivot's parent and its 255 ancestors, or the anchor alone.</summary>
    [Theory]
    [InlineData(256)]
    [InlineData(1)]
    public void GethEthTestBlocksAfterAnAnchorExecuteFromEmptyStateToTheKnownRoots(int headers)
    {
        LargeStack.Run(() =>
        {
            output.WriteLine($"{ExecuteFromAnchor(GethEthTest.Value, 300, headers, 303)} fetches for blocks 301-303");
        });
    }

    /// <summary>
    /// Block 50 of the hive rpc-compat chain (post-merge, Prague; the blocks after it cross Osaka and both blob
    /// parameter forks) as the anchor: all 50 headers (the run crosses the merge at 36 by total difficulty, derived
    /// backwards from the anchor's), or the anchor alone.
    /// </summary>
    [Theory]
    [InlineData(50)]
    [InlineData(1)]
    public void RpcCompatBlocksAfterAPostMergeAnchorExecuteFromEmptyStateToTheKnownRoots(int headers)
    {
        if (RpcCompat.Value is null) return;
        LargeStack.Run(() =>
        {
            output.WriteLine($"{ExecuteFromAnchor(RpcCompat.Value!, 50, headers, 54)} fetches for blocks 51-54");
        });
    }

    /// <summary>
    /// The rpc-compat chain's headers validate as one run over the genesis (proof of work, the merge by total
    /// difficulty, Shanghai, Cancun, Prague, Osaka and both blob parameter forks) without executing anything, and the
    /// first block then executes over them.
    /// </summary>
    [Fact]
    public void RpcCompatHeadersInsertAcrossEveryForkWithoutExecution()
    {
        if (!TestFixtures.TryLocate("rpc-compat", out var folder)) return;
        var (spec, blocks) = TestChains.LoadChainFile(folder);
        var store = new MemoryKeyValueStore();
        var chain = new Blockchain(spec, new BlockStore(store), new EvmStateFactory(store));
        var genesis = chain.InitializeGenesis();

        chain.InsertHeaders(blocks.Select(b => b.Header).ToList());
        Assert.Equal(genesis.Hash, chain.Head!.Hash);
        Assert.False(chain.IsExecuted(blocks[^1].Hash));
        Assert.Equal(Fork.Paris, chain.ForkOf(blocks[35].Header));
        Assert.True(chain.ForkOf(blocks[34].Header) < Fork.Paris);
        Assert.Equal(Fork.Bpo2, chain.ForkOf(blocks[^1].Header));
        LargeStack.Run(() => Assert.True(chain.Import(blocks[0])));
    }
}
