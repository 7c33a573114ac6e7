using BeamSync.Chain;
using BeamSync.Chain.Execution;
using BeamSync.Chain.Store;
using BeamSync.Core;
using BeamSync.Core.Specs;
using BeamSync.Core.Types;
using BeamSync.Db;

namespace BeamSync.Cli.Fixtures;

/// <summary>
/// Where a blockchain fixture's blocks are imported: a chain whose own store holds the pre-state (the normal run), or
/// the executing side of a beam run, which starts with no state at all (<see cref="BeamExecutingSide"/>).
/// </summary>
internal interface IFixtureChainSide : IDisposable
{
    Blockchain Chain { get; }

    /// <summary>The root the fixture's pre-state built to (the caller checks it against the genesis header).</summary>
    Hash256 PreStateRoot { get; }

    /// <summary>State nodes and code fetched from another node for this case; null when nothing is fetched (the normal run).</summary>
    long? NodesFetched { get; }

    /// <summary><see cref="NodesFetched"/> by wire form; null when nothing is fetched.</summary>
    IReadOnlyDictionary<string, long>? NodesFetchedByForm { get; }

    /// <summary>Something that fails the case whatever the blocks did (a serving peer penalized or short of data), or null.</summary>
    string? Problem { get; }

    ImportOutcome Import(Block block);
}

/// <summary>The normal run: one store with the pre-state, every read local.</summary>
internal sealed class LocalChainSide : IFixtureChainSide
{
    private readonly MemoryKeyValueStore _store = new();

    public LocalChainSide(ChainSpec spec, BlockHeader genesis, IReadOnlyDictionary<Address, GenesisAccount> preState)
    {
        Chain = new Blockchain(spec, new BlockStore(_store), new EvmStateFactory(_store));
        PreStateRoot = Chain.InitializeGenesis(genesis, preState);
    }

    public Blockchain Chain { get; }
    public Hash256 PreStateRoot { get; }
    public long? NodesFetched => null;
    public IReadOnlyDictionary<string, long>? NodesFetchedByForm => null;
    public string? Problem => null;

    public ImportOutcome Import(Block block) => ImportOutcome.Of(Chain, block);

    public void Dispose() => _store.Dispose();
}
