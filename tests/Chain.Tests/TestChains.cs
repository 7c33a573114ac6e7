using BeamSync.Chain.Execution;
using BeamSync.Chain.Store;
using BeamSync.Chain.Validation;
using BeamSync.Core;
using BeamSync.Core.Specs;
using BeamSync.Core.Types;
using BeamSync.Db;
using BeamSync.Trie;

namespace BeamSync.Chain.Tests;

/// <summary>Small hand-built chains of empty blocks paying one withdrawal, on a fixture network.</summary>
internal static class TestChains
{
    public static readonly Address Validator = Address.Parse("0x2000000000000000000000000000000000000002");

    /// <summary>A fixture chain folder's spec (genesis.json) and blocks (chain.rlp, genesis excluded).</summary>
    public static (ChainSpec Spec, List<Block> Blocks) LoadChainFile(string folder) =>
        (ChainSpec.Load(Path.Combine(folder, "genesis.json")), ChainFile.Read(File.ReadAllBytes(Path.Combine(folder, "chain.rlp"))).ToList());

    /// <summary>A chain on <paramref name="network"/> initialized with <paramref name="genesis"/> carrying the real root of <paramref name="alloc"/>.</summary>
    public static (Blockchain Chain, MemoryKeyValueStore Store, BlockHeader Genesis) New(
        string network, IReadOnlyDictionary<Address, GenesisAccount> alloc, BlockHeader genesis)
    {
        Assert.True(FixtureNetworks.TryGet(network, out var spec));
        var store = new MemoryKeyValueStore();
        var states = new EvmStateFactory(store);
        genesis = (HeaderFields.From(genesis) with { StateRoot = states.WriteGenesis(alloc, DiscardingStateSink.Instance) }).ToHeader();
        var chain = new Blockchain(spec, new BlockStore(store), states);
        chain.InitializeGenesis(genesis, alloc);
        return (chain, store, genesis);
    }

    /// <summary>
    /// A chain over an empty store that reads state it lacks from <paramref name="full"/> through the Trie layer's
    /// fetching seam, as a beam node does; <paramref name="fetcher"/> counts what it fetched.
    /// </summary>
    public static Blockchain Fetching(ChainSpec spec, IKeyValueStore full, out MemoryKeyValueStore store, out CopyingFetcher fetcher)
    {
        var local = store = new MemoryKeyValueStore();
        var copying = fetcher = new CopyingFetcher(full);
        var states = new EvmStateFactory(local, pending => new WaitingNodeSource(new StoreNodeSource(pending), copying, TimeSpan.FromSeconds(60)));
        return new Blockchain(spec, new BlockStore(local), states);
    }

    /// <summary>A child of <paramref name="parent"/> paying one withdrawal (with the Cancun fields when the parent has them).</summary>
    public static Block Child(BlockHeader parent, Hash256 stateRoot)
    {
        Withdrawal[] withdrawals = [new Withdrawal(parent.Number, 1, Validator, 5)];
        bool cancun = parent.ExcessBlobGas is not null;
        var header = new BlockHeader
        {
            ParentHash = parent.Hash, Number = parent.Number + 1, Timestamp = parent.Timestamp + 12, GasLimit = parent.GasLimit,
            BaseFeePerGas = BaseFee.Calculate(parent, true), WithdrawalsRoot = OrderedTrie.WithdrawalsRoot(withdrawals), StateRoot = stateRoot,
            BlobGasUsed = cancun ? 0 : null, ExcessBlobGas = cancun ? 0 : null, ParentBeaconBlockRoot = cancun ? Hash256.Zero : null,
        };
        return new Block(header, new BlockBody([], [], withdrawals));
    }

    /// <summary>Imports the valid child of <paramref name="parent"/>: its state root is the one a first attempt reports.</summary>
    public static Block ImportChild(Blockchain chain, BlockHeader parent)
    {
        var error = Assert.Throws<InvalidBlockException>(() => chain.Import(Child(parent, Hash256.Zero)));
        Assert.Equal(BlockError.StateRootMismatch, error.Error);
        var block = Child(parent, Hash256.Parse(error.Message.Split(' ')[3].TrimEnd(',')));
        Assert.True(chain.Import(block));
        return block;
    }

    /// <summary>Imports <paramref name="count"/> valid blocks on top of <paramref name="parent"/>, oldest first.</summary>
    public static List<Block> ImportChildren(Blockchain chain, BlockHeader parent, int count)
    {
        var blocks = new List<Block>(count);
        for (int i = 0; i < count; i++) { blocks.Add(ImportChild(chain, parent)); parent = blocks[^1].Header; }
        return blocks;
    }
}

/// <summary>
/// Serves missing nodes and code from a store that has them (a full node's), as a peer would; counts the fetches.
/// Thread-safe.
/// </summary>
internal sealed class CopyingFetcher(IKeyValueStore full) : IMissingNodeFetcher
{
    private int _fetches;

    public int Fetches => Volatile.Read(ref _fetches);

    public Task<byte[]> Fetch(MissingNode missing, FetchPriority priority, CancellationToken cancellation)
    {
        Interlocked.Increment(ref _fetches);
        var bytes = full.Get(missing.IsCode ? Column.Code : Column.TrieNodes, missing.Hash.Bytes);
        return bytes is null ? Task.FromException<byte[]>(new KeyNotFoundException($"{missing} is not in the full store")) : Task.FromResult(bytes);
    }
}
