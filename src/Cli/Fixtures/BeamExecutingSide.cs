using BeamSync.Chain;
using BeamSync.Chain.Execution;
using BeamSync.Chain.Store;
using BeamSync.Core;
using BeamSync.Core.Specs;
using BeamSync.Core.Types;
using BeamSync.Db;
using BeamSync.Network.Snap;
using BeamSync.Sync;
using BeamSync.Sync.Peers;
using BeamSync.Sync.Scheduling;
using BeamSync.Trie;

namespace BeamSync.Cli.Fixtures;

/// <summary>
/// How <c>test-fixtures --beam</c> runs a blockchain case: how the serving node's peer is made over its store (tests
/// make one that misbehaves), how long an executing read may wait for a node, and the scheduler's tunables.
/// </summary>
public sealed record BeamMode
{
    /// <summary>The serving node's peer over its store and the state roots it holds (every block it imported).</summary>
    public Func<IKeyValueStore, RecentStateRoots, StoreSyncPeer> ServingPeer { get; init; } = (store, roots) => new StoreSyncPeer(store, "serving", roots);

    /// <summary>Generous: the serving node is in this process, so only a lost request (a bug) waits this long.</summary>
    public TimeSpan ReadTimeout { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>The scheduler's tunables: by default the deadlines of a peer in this process.</summary>
    public SchedulerOptions Scheduler { get; init; } = StoreSyncPeer.InProcessDeadlines;
}

/// <summary>
/// The executing side of a beam run of one blockchain case. A serving node holds the pre-state in a store of its own
/// and answers through a <see cref="StoreSyncPeer"/>; the executing side has its own store, empty but for the genesis
/// header as its anchor (no state), and reads every node and code it lacks through the Sync layer's
/// <see cref="StateScheduler"/> and the seam's <see cref="WaitingNodeSource"/>, verified as if from the wire. A
/// problem at the serving peer (a penalty, a hash it does not hold) stops waiting readers at once and fails the case:
/// this run exists to catch an absent node read as empty, so nothing may paper over one.
/// </summary>
internal sealed class BeamExecutingSide : IFixtureChainSide
{
    private readonly MemoryKeyValueStore _servingStore = new();
    private readonly MemoryKeyValueStore _store = new();
    private readonly SyncMetrics _metrics = new();
    private readonly StateScheduler _scheduler;
    private readonly StoreSyncPeer _peer;
    // Not disposed: a serving answer still running when the case ends may report a problem into it.
    private readonly CancellationTokenSource _problem = new();
    private readonly Blockchain _serving;
    // Every root the serving node reached: a fixture's chain is short, so none leaves the window.
    private readonly RecentStateRoots _servedRoots = new(window: 1 << 16);
    private readonly List<string> _verdictsDiffer = [];

    public BeamExecutingSide(ChainSpec spec, BlockHeader genesis, IReadOnlyDictionary<Address, GenesisAccount> preState, BeamMode mode)
    {
        _serving = new Blockchain(spec, new BlockStore(_servingStore), new EvmStateFactory(_servingStore));
        PreStateRoot = _serving.InitializeGenesis(genesis, preState);
        _servedRoots.Add(PreStateRoot);

        _peer = mode.ServingPeer(_servingStore, _servedRoots);
        _peer.ProblemFound += _ => _problem.Cancel();
        _scheduler = new StateScheduler(_store, _metrics, mode.Scheduler);
        _scheduler.AddPeer(_peer);
        var fetcher = _scheduler.FetcherFor(FetchKinds.Urgent);
        Chain = new Blockchain(spec, new BlockStore(_store), new EvmStateFactory(_store,
            pending => new WaitingNodeSource(new StoreNodeSource(pending), fetcher, mode.ReadTimeout, _problem.Token)));
        Chain.Anchor([genesis], genesis.Difficulty);
    }

    public Blockchain Chain { get; }
    public Hash256 PreStateRoot { get; }
    public long? NodesFetched => _metrics.DistinctReceived;
    public IReadOnlyDictionary<string, long>? NodesFetchedByForm => _metrics.Snapshot().NodesFetchedByForm;

    public string? Problem
    {
        get
        {
            var problems = _peer.Problems;
            if (problems.Count > 0)
                return $"serving peer {_peer.Id}: {string.Join("; ", problems.Take(3))}{(problems.Count > 3 ? $" (+{problems.Count - 3} more)" : "")}";
            return _verdictsDiffer.Count > 0 ? string.Join("; ", _verdictsDiffer) : null;
        }
    }

    public ImportOutcome Import(Block block)
    {
        var served = ImportOutcome.Of(_serving, block);
        if (served.Result == ImportResult.Accepted) _servedRoots.Add(block.Header.StateRoot);
        _scheduler.CurrentRoot = Chain.GetHeader(block.Header.ParentHash)?.StateRoot ?? default;
        var executed = ImportOutcome.Of(Chain, block);
        // A state read that failed is reported as such by the caller; any other difference is a wrong verdict.
        if (executed != served && executed.Result != ImportResult.StateUnavailable)
            _verdictsDiffer.Add($"block {block.Number}: beam syncing gives {executed.Result} {executed.Message}, the serving node {served.Result} {served.Message}");
        return executed;
    }

    public void Dispose()
    {
        _scheduler.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _store.Dispose();
        _servingStore.Dispose();
    }
}
