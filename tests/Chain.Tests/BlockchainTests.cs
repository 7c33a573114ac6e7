using BeamSync.Chain.Execution;
using BeamSync.Chain.Store;
using BeamSync.Chain.Validation;
using BeamSync.Core;
using BeamSync.Core.Specs;
using BeamSync.Core.Types;
using BeamSync.Db;
using BeamSync.Trie;

namespace BeamSync.Chain.Tests;

public class BlockchainTests
{
    private static readonly Address Rich = Address.Parse("0x1000000000000000000000000000000000000001");

    internal static (Blockchain Chain, MemoryKeyValueStore Store, BlockHeader Genesis) NewShanghaiChain() =>
        TestChains.New("Shanghai", new Dictionary<Address, GenesisAccount> { [Rich] = new(new UInt256(1_000_000), 0, [], GenesisAccount.NoStorage) },
            new BlockHeader { GasLimit = 30_000_000, BaseFeePerGas = 7UL, WithdrawalsRoot = Hash256.EmptyTrieRoot, Timestamp = 1 });

    private static Block Child(BlockHeader parent, Hash256 stateRoot) => TestChains.Child(parent, stateRoot);

    [Fact]
    public void AValidBlockBecomesTheHeadAndABadStateRootLeavesNoTrace()
    {
        var (chain, store, genesis) = NewShanghaiChain();
        var bad = Child(genesis, Hash256.Zero);
        var error = Assert.Throws<InvalidBlockException>(() => chain.Import(bad));
        Assert.Equal(BlockError.StateRootMismatch, error.Error);
        Assert.Equal(genesis.Hash, chain.Head!.Hash);
        Assert.Null(chain.GetHeader(bad.Hash));

        // The right root, computed independently of execution: the genesis account plus the 5 gwei withdrawal.
        var empty = new Dictionary<UInt256, UInt256>();
        var root = StateTrieBuilder.ComputeRoot([
            new AccountAlloc(Rich, 0, new UInt256(1_000_000), [], empty),
            new AccountAlloc(TestChains.Validator, 0, new UInt256(5_000_000_000), [], empty),
        ]);
        var good = Child(genesis, root);
        Assert.True(chain.Import(good));
        Assert.Equal(good.Hash, chain.Head!.Hash);
        Assert.Equal(good.Hash, chain.Store.GetCanonicalHash(1));
        Assert.Empty(chain.Store.GetReceipts(good.Hash)!);
    }

    [Fact]
    public void ABlockWithAWrongWithdrawalsRootIsRejectedBeforeExecution()
    {
        var (chain, _, genesis) = NewShanghaiChain();
        var block = Child(genesis, Hash256.Zero);
        var tampered = new Block(HeaderFields.From(block.Header) with { WithdrawalsRoot = Hash256.EmptyTrieRoot } is var f ? f.ToHeader() : null!, block.Body);
        Assert.Equal(BlockError.WithdrawalsRootMismatch, Assert.Throws<InvalidBlockException>(() => chain.Import(tampered)).Error);
    }

    [Fact]
    public void UnknownParentsAreRejected()
    {
        var (chain, _, genesis) = NewShanghaiChain();
        var orphan = Child(HeaderFields.From(genesis) with { Number = 7 } is var f ? f.ToHeader() : null!, Hash256.Zero);
        Assert.Equal(BlockError.UnknownParent, Assert.Throws<InvalidBlockException>(() => chain.Import(orphan)).Error);
    }
}
