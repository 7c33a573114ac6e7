using BeamSync.Chain.Building;
using BeamSync.Chain.Execution;
using BeamSync.Chain.Store;
using BeamSync.Core;
using BeamSync.Core.Crypto;
using BeamSync.Core.Specs;
using BeamSync.Core.Types;
using BeamSync.Db;

namespace BeamSync.Chain.Tests;

/// <summary>
/// Blocks built on the devp2p conformance chain's genesis (proof of work at genesis, the merge at block 1, Cancun at
/// time 60, Prague at time 120, its system contracts) import into a second, fresh chain that re-executes them.
/// </summary>
public class BlockBuilderTests
{
    private static readonly byte[] Key = Keccak256.Hash("block builder test key"u8).Bytes.ToArray();
    private static readonly Address Funded = Secp256k1Curve.ToAddress(Secp256k1Curve.GetPublicKey(Key));
    private static readonly UInt256 Ether = new(1_000_000_000_000_000_000);

    private static ChainSpec Spec()
    {
        var spec = ChainSpec.Load(Path.Combine(BeamSync.Tests.Shared.TestFixtures.PathOf("chains/geth-ethtest"), "genesis.json"));
        var alloc = new Dictionary<Address, GenesisAccount>(spec.Genesis!.Alloc) { [Funded] = new(Ether * new UInt256(1000), 0, [], GenesisAccount.NoStorage) };
        return spec.With(genesis: spec.Genesis with { Alloc = alloc });
    }

    private static Blockchain NewChain(ChainSpec spec, out MemoryKeyValueStore store)
    {
        store = new MemoryKeyValueStore();
        var chain = new Blockchain(spec, new BlockStore(store), new EvmStateFactory(store));
        chain.InitializeGenesis();
        return chain;
    }

    private static Transaction Transfer(ChainSpec spec, ulong nonce, Address to, ulong gasLimit = 21_000, ulong? chainId = null) => new Transaction
    {
        Type = TransactionType.DynamicFee, ChainId = chainId ?? spec.ChainId, Nonce = nonce, MaxPriorityFeePerGas = new UInt256(1_000_000_000),
        MaxFeePerGas = new UInt256(50_000_000_000), GasLimit = gasLimit, To = to, Value = new UInt256(1_000 + nonce),
    }.Sign(Key);

    private static Address Recipient(int i) => new(Keccak256.Hash(BitConverter.GetBytes(i)).Bytes[..20]);

    [Fact]
    public void BuiltBlocksAcrossTheMergeCancunAndPragueImportIntoAFreshChain()
    {
        LargeStack.Run(() =>
        {
            var spec = Spec();
            var producer = NewChain(spec, out var producerStore);
            var verifier = NewChain(spec, out _);
            var builder = new BlockBuilder(spec, new EvmStateFactory(producerStore));
            ulong nonce = 0;
            var parent = producer.Head!;
            // Shanghai (the merge block), Cancun's first block, Cancun, Prague's first block, Prague.
            foreach (ulong time in new ulong[] { 12, 60, 72, 120, 132 })
            {
                var candidates = new List<Transaction>();
                for (int i = 0; i < 5; i++) candidates.Add(Transfer(spec, nonce + (ulong)i, Recipient((int)nonce + i)));
                candidates.Add(Transfer(spec, nonce + 9, Recipient(99)));                       // nonce gap: not executable
                candidates.Add(Transfer(spec, nonce + 5, Recipient(98), gasLimit: 2_000_000_000)); // above the block's gas
                candidates.Add(Transfer(spec, nonce + 5, Recipient(97), chainId: spec.ChainId + 1));  // another chain's
                Withdrawal[] withdrawals = [new(time, 7, Recipient(1000), 1_000_000_000)];
                var attributes = new BlockAttributes(time, Recipient(2000), Keccak256.Hash(BitConverter.GetBytes(time)), Keccak256.Hash(BitConverter.GetBytes(~time)), withdrawals);

                var built = builder.Build(parent, attributes, candidates, n => producer.Store.GetCanonicalHash(n));

                Assert.Equal(5, built.Block.Transactions.Length);
                Assert.Equal([SkipReason.NotExecutable, SkipReason.BlockGasExhausted, SkipReason.InvalidTransaction], built.Skipped.Select(s => s.Reason));
                Assert.All(built.Receipts, r => Assert.True(r.Success));
                Assert.Equal(5 * 21_000UL, built.Block.Header.GasUsed);
                Assert.True(producer.Import(built.Block));
                Assert.True(verifier.Import(built.Block));
                parent = built.Block.Header;
                nonce += 5;
            }
            Assert.Equal(producer.Head!.StateRoot, verifier.Head!.StateRoot);
            Assert.Equal(5UL, verifier.Head.Number);
            Assert.NotNull(verifier.Head.RequestsHash);
            Assert.NotNull(verifier.Head.ExcessBlobGas);
        });
    }

    [Fact]
    public void TheStateWritesHoldEveryNodeTheImporterWrites()
    {
        LargeStack.Run(() =>
        {
            var spec = Spec();
            var chain = NewChain(spec, out var store);
            var builder = new BlockBuilder(spec, new EvmStateFactory(store));
            var attributes = new BlockAttributes(12, Recipient(1), Hash256.Zero, Hash256.Zero, []);
            var built = builder.Build(chain.Head!, attributes, [Transfer(spec, 0, Recipient(5))], n => chain.Store.GetCanonicalHash(n));
            int before = store.Count(Column.TrieNodes);
            int alreadyStored = built.StateWrites.Nodes.Keys.Count(k => store.Has(Column.TrieNodes, k.Bytes));
            Assert.True(chain.Import(built.Block));
            // The importer's re-execution writes exactly the nodes the builder's commit produced.
            Assert.Equal(built.StateWrites.NodeCount - alreadyStored, store.Count(Column.TrieNodes) - before);
            foreach (var hash in built.StateWrites.Nodes.Keys) Assert.True(store.Has(Column.TrieNodes, hash.Bytes));
        });
    }

    /// <summary>Counts every state read that reaches the store.</summary>
    private sealed class ReadCounter { public int Reads; }

    private sealed class CountingNodeSource(IKeyValueStore store, ReadCounter counter) : BeamSync.Trie.INodeSource
    {
        private readonly BeamSync.Trie.StoreNodeSource _inner = new(store);
        public byte[]? GetNode(Hash256 hash, BeamSync.Trie.TrieOwner owner, ReadOnlySpan<byte> path, ReadOnlySpan<byte> keyNibbles)
        { Interlocked.Increment(ref counter.Reads); return _inner.GetNode(hash, owner, path, keyNibbles); }
        public byte[]? GetCode(Hash256 codeHash) { Interlocked.Increment(ref counter.Reads); return _inner.GetCode(codeHash); }
    }

    [Fact]
    public void A_block_this_chain_built_imports_with_the_builds_state_writes_and_others_are_executed()
    {
        LargeStack.Run(() =>
        {
            var spec = Spec();
            var store = new MemoryKeyValueStore();
            var source = new ReadCounter();
            var chain = new Blockchain(spec, new BlockStore(store), new EvmStateFactory(store, s => new CountingNodeSource(s, source)));
            chain.InitializeGenesis();
            var verifier = NewChain(spec, out _);
            var attributes = new BlockAttributes(12, Recipient(1), Hash256.Zero, Hash256.Zero, []);

            var built = chain.Build(chain.Head!, attributes, [Transfer(spec, 0, Recipient(5)), Transfer(spec, 1, Recipient(6))]);
            int readsAfterBuild = source.Reads;
            Assert.True(readsAfterBuild > 0);
            Assert.True(chain.Import(built.Block));
            Assert.Equal(readsAfterBuild, source.Reads); // not executed again
            Assert.True(verifier.Import(built.Block));
            Assert.Equal(verifier.Head!.StateRoot, chain.Head!.StateRoot);
            Assert.True(new BeamSync.State.TrieStateStore(store, chain.Head.StateRoot).TryGetAccount(Recipient(6), out var account));
            Assert.Equal(new UInt256(1_001), account.Balance);
            Assert.Equal(2, chain.Store.GetReceipts(chain.Head.Hash)!.Length);

            // A block built elsewhere on the same parent is executed.
            var other = new BlockBuilder(spec, new EvmStateFactory(verifier.Store.Store)).Build(verifier.Head, attributes with { Timestamp = 24 },
                [Transfer(spec, 2, Recipient(7))], n => verifier.Store.GetCanonicalHash(n));
            int before = source.Reads;
            Assert.True(chain.Import(other.Block));
            Assert.True(source.Reads > before);
        });
    }
}
