using BeamSync.Chain;
using BeamSync.Chain.Execution;
using BeamSync.Chain.Store;
using BeamSync.Core;
using BeamSync.Core.Types;
using BeamSync.Db;
using BeamSync.Node.Devnet;
using static BeamSync.Node.Tests.DevnetTestSupport;

namespace BeamSync.Node.Tests;

public class DevnetProducerTests
{
    [Fact]
    public void EveryWorkloadKindIsIncludedAndSucceedsOrRevertsAsDesigned()
    {
        var state = DevnetState.Generate(Small());
        using var store = new MemoryKeyValueStore();
        var producer = new DevnetProducer(state, store);
        var seen = new Dictionary<WorkloadKind, int>();
        for (int n = 0; n < 3; n++)
        {
            var produced = OnExecutionThread(producer.ProduceBlock);
            Assert.Empty(produced.LeftOut);
            var block = produced.Block;
            Assert.Equal(150, block.Transactions.Length);
            for (int i = 0; i < block.Transactions.Length; i++)
            {
                var work = produced.Workload[block.Transactions[i].Hash];
                var receipt = produced.Receipts[i];
                Assert.True(work.ExpectSuccess == receipt.Success, $"{work.Kind} transaction {i}: success {receipt.Success}, gas {receipt.CumulativeGasUsed - (i == 0 ? 0 : produced.Receipts[i - 1].CumulativeGasUsed)} of {block.Transactions[i].GasLimit}, data {Convert.ToHexString(block.Transactions[i].Data)} al {string.Join(",", block.Transactions[i].AccessList.SelectMany(a => a.StorageKeys))}");
                Assert.Equal((byte)ExpectedType(work.Kind, block.Transactions[i].Type), (byte)block.Transactions[i].Type);
                if (work.Kind is WorkloadKind.TokenTransfer or WorkloadKind.AccessListTokenTransfer)
                    Assert.Equal(DevnetContracts.TransferTopic, Assert.Single(receipt.Logs).Topics[0]);
                seen[work.Kind] = seen.GetValueOrDefault(work.Kind) + 1;
            }
        }
        foreach (var kind in Enum.GetValues<WorkloadKind>()) Assert.True(seen.GetValueOrDefault(kind) > 0, $"no {kind} in three blocks");

        // Delegations left code (the EIP-7702 designator) on their authorities.
        var head = producer.Head;
        var delegated = state.Accounts[state.DelegationAccountsStart..].Where(a => HasCode(store, state, head, a.Address)).Count();
        Assert.True(delegated > 0);
    }

    private static TransactionType ExpectedType(WorkloadKind kind, TransactionType actual) => kind switch
    {
        WorkloadKind.LegacyTransfer => TransactionType.Legacy,
        WorkloadKind.AccessListTokenTransfer => TransactionType.AccessList,
        WorkloadKind.Delegation => TransactionType.SetCode,
        // A value transfer can stand in for a token transfer or a delegation that found no free account.
        _ => TransactionType.DynamicFee,
    };

    private static bool HasCode(IKeyValueStore store, DevnetState devnet, BlockHeader head, Address address) =>
        new EvmStateFactory(store).Open(head.StateRoot, head, devnet.Options.Fork, devnet.Spec, _ => null).HasCode(address);

    [Fact]
    public void A_side_branch_replaces_the_head_keeps_the_abandoned_block_and_includes_its_transactions_over_two_blocks()
    {
        var state = DevnetState.Generate(Small());
        using var store = new MemoryKeyValueStore();
        var producer = new DevnetProducer(state, store);
        OnExecutionThread(producer.ProduceBlock);
        var abandoned = OnExecutionThread(producer.ProduceBlock).Block;

        var (gone, branch) = OnExecutionThread(() => producer.ProduceBranch(abandon: 1, count: 2));

        Assert.Equal(abandoned.Hash, Assert.Single(gone).Hash);
        Assert.Equal(2, branch.Count);
        Assert.Equal(1, producer.Reorgs);
        var (first, second) = (branch[0].Block, branch[1].Block);
        Assert.Equal(abandoned.Header.ParentHash, first.Header.ParentHash);
        Assert.Equal(second.Hash, producer.Head.Hash);
        Assert.Equal(first.Hash, producer.Chain.Store.GetCanonicalHash(abandoned.Number));
        Assert.NotNull(producer.Chain.Store.GetBlock(abandoned.Hash)); // a node given it still finds it here
        // Every other abandoned transaction goes into the sibling, the rest into the block after it: none is lost. (The
        // pool orders each block by tip, so the legacy ones, whose gas price is all tip above the base fee, come first.)
        var abandonedHashes = abandoned.Transactions.Select(t => t.Hash).ToList();
        var (firstHashes, secondHashes) = (first.Transactions.Select(t => t.Hash).ToHashSet(), second.Transactions.Select(t => t.Hash).ToHashSet());
        Assert.All(abandonedHashes.Where((_, i) => i % 2 == 1), h => Assert.Contains(h, firstHashes));
        Assert.All(abandonedHashes.Where((_, i) => i % 2 == 0), h => { Assert.Contains(h, secondHashes); Assert.DoesNotContain(h, firstHashes); });
        Assert.DoesNotContain(branch.SelectMany(b => b.LeftOut), t => abandonedHashes.Contains(t.Hash));
        // The chain goes on from the branch, with the workload's nonces still right.
        var next = OnExecutionThread(producer.ProduceBlock);
        Assert.Equal(second.Hash, next.Block.Header.ParentHash);
        Assert.Equal(state.Options.TransactionsPerBlock, next.Block.Transactions.Length);
    }

    [Fact]
    public void FiveProducedBlocksImportIntoAFreshChainWithIdenticalRoots()
    {
        var state = DevnetState.Generate(Small());
        using var producerStore = new MemoryKeyValueStore();
        var producer = new DevnetProducer(state, producerStore);
        var blocks = new List<Block>();
        for (int i = 0; i < 5; i++) blocks.Add(OnExecutionThread(producer.ProduceBlock).Block);

        using var verifierStore = new MemoryKeyValueStore();
        var verifier = new Blockchain(state.Spec, new BlockStore(verifierStore), new EvmStateFactory(verifierStore));
        Assert.Equal(producer.Chain.Store.GetCanonicalHash(0), verifier.InitializeGenesis().Hash);
        foreach (var block in blocks)
        {
            Assert.True(OnExecutionThread(() => verifier.Import(block)));
            Assert.Equal(block.Header.StateRoot, verifier.Head!.StateRoot);
        }
        Assert.Equal(producer.Head.Hash, verifier.Head!.Hash);
        Assert.Equal(5UL, verifier.Head.Number);
    }

    [Fact]
    public void TheLoopProducesOnItsOwnThreadKeepsTheStateWindowAndTakesSubmissions()
    {
        var state = DevnetState.Generate(Small() with { BlockTime = TimeSpan.FromMilliseconds(50), TransactionsPerBlock = 10 });
        using var store = new MemoryKeyValueStore();
        using var producer = new DevnetProducer(state, store);
        var external = new Transaction
        {
            Type = TransactionType.DynamicFee, ChainId = new UInt256(state.Spec.ChainId), Nonce = 0, GasLimit = 21_000, To = Address.Parse("0x00000000000000000000000000000000000000ee"),
            // A tip above the workload's 1 gwei: the pool puts it first, before the workload's delegations touch the account.
            Value = new UInt256(5), MaxFeePerGas = new UInt256(100_000_000_000), MaxPriorityFeePerGas = new UInt256(2_000_000_000),
        }.Sign(DevnetAccounts.PrivateKey(state.Options.Seed, state.DelegationAccountsStart));
        Assert.True(producer.Submit(external));
        var produced = new List<Block>();
        using var enough = new ManualResetEventSlim();
        var failures = new List<Exception>();
        producer.ProductionFailed += e => { lock (failures) failures.Add(e); };
        producer.BlockProduced += built => { lock (produced) { produced.Add(built.Block); if (produced.Count >= 4) enough.Set(); } };

        producer.Start();
        Assert.True(enough.Wait(TimeSpan.FromSeconds(60)), "four blocks within a minute at a 50 ms block time");
        producer.Stop();

        Assert.Empty(failures);
        ulong head = producer.Head.Number;
        Assert.True(head >= 4);
        Assert.Contains(produced, b => b.Transactions.Any(t => t.Hash == external.Hash));
        var roots = producer.RecentStateRoots;
        Assert.Equal(3, roots.Count);
        Assert.Equal(head, roots[^1].Number);
        Assert.Equal(producer.Head.StateRoot, roots[^1].Root);
        Thread.Sleep(200);
        Assert.Equal(head, producer.Head.Number); // stopped means stopped
        using var resumed = new DevnetProducer(state, store);
        Assert.Equal(producer.Head.Hash, resumed.Head.Hash);
        Assert.Equal(roots, resumed.RecentStateRoots);
    }
}
