using System.Threading.Channels;
using BeamSync.Chain;
using BeamSync.Chain.Execution;
using BeamSync.Chain.Store;
using BeamSync.Core;
using BeamSync.Core.Specs;
using BeamSync.Core.Types;
using BeamSync.Db;
using BeamSync.Sync.Accelerators;
using BeamSync.Sync.Backfill;
using BeamSync.Sync.Peers;
using BeamSync.Sync.Scheduling;
using BeamSync.Trie;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace BeamSync.Sync.Beam;

/// <summary>
/// Beam Sync: follows the head a head source names (only its hash; headers and bodies come from peers), anchors at
/// the first head with its 256 ancestors' headers and no state, executes and verifies every block from there on a
/// dedicated thread with state fetched on demand through <see cref="StateScheduler"/>, speeds that up with prefetch,
/// preview and witnesses, pivots when it lags too far, backfills the rest of the state in the background, and becomes
/// a full node once a walk of its own store finds nothing absent. A restart resumes where it stood (a full node stays
/// full). Public members are thread-safe.
/// </summary>
public sealed partial class BeamSyncer : IAsyncDisposable
{
    private static readonly byte[] FullMarkerKey = "beam-full"u8.ToArray();

    private readonly ChainSpec _spec;
    private readonly IKeyValueStore _store;
    private readonly SyncOptions _options;
    private readonly ILogger _log;
    private readonly StateScheduler _scheduler;
    private readonly StallMeter _urgent;
    private readonly Blockchain _chain;
    private readonly KeyWarmer _warmer;
    private readonly Previewer? _previewer;
    private readonly AcceleratorChain _accelerators;
    private readonly Healer? _healer;
    private readonly PendingBlocks _pending = new();
    private readonly Channel<Hash256> _heads = Channel.CreateUnbounded<Hash256>(new UnboundedChannelOptions { SingleReader = true });
    private readonly List<ISyncPeer> _peers = [];
    private readonly SemaphoreSlim _chainLock = new(1, 1);
    private readonly CancellationTokenSource _cts = new();
    private Thread? _executor;
    private Task? _headerLoop, _backfillLoop;
    private volatile bool _full, _anchored;
    private ulong _nextToExecute;
    private int _executedSincePivot;
    private Hash256 _latestHead;
    private ulong _latestHeadNumber;

    public BeamSyncer(ChainSpec spec, IKeyValueStore store, SyncOptions? options = null, SyncMetrics? metrics = null,
        SchedulerOptions? schedulerOptions = null, ILogger? log = null)
    {
        _spec = spec;
        _store = store;
        _options = options ?? new SyncOptions();
        _log = log ?? NullLogger.Instance;
        Metrics = metrics ?? new SyncMetrics();
        _scheduler = new StateScheduler(store, Metrics, schedulerOptions);
        _urgent = new StallMeter(_scheduler.FetcherFor(FetchKinds.Urgent), OnUrgentStall, InExecutingWitness);
        _chain = new Blockchain(spec, new BlockStore(store), new EvmStateFactory(store, SourceFor));
        _warmer = new KeyWarmer(store, _scheduler);
        _accelerators = new AcceleratorChain(_options.AcceleratorWait, _cts.Token);
        if (_options.Preview) _previewer = new Previewer(_chain, store, _scheduler, _options.PreviewThreads, _options.ReadTimeout);
        if (_options.Backfill) _healer = new Healer(store, _scheduler, Metrics, _options, _log);
        _full = store.Get(Column.Metadata, FullMarkerKey) is not null;
        Metrics.LocalStateNodesAtStart = CountStateNodes();
        Metrics.LocalStateNodeCounter = () => Metrics.LocalStateNodesAtStart + Metrics.DistinctReceived;
    }

    /// <summary>
    /// Marks <paramref name="store"/>, which holds the whole state under <paramref name="stateRoot"/> (its head's: a
    /// genesis the node built itself, as a devnet server does), as a full node's: a syncer over it starts full and
    /// executes every block from that head on, fetching no state.
    /// </summary>
    public static void MarkFull(IKeyValueStore store, Hash256 stateRoot) => store.Put(Column.Metadata, FullMarkerKey, stateRoot.Bytes);

    public Blockchain Chain => _chain;
    public StateScheduler Scheduler => _scheduler;
    public SyncMetrics Metrics { get; }
    public bool IsFull => _full;

    /// <summary>Raised on the executor thread after each verified block (serving windows, RPC head, witnesses).</summary>
    public event Action<BlockHeader>? BlockExecuted;
    /// <summary>Raised once when the node becomes full.</summary>
    public event Action? BecameFull;

    /// <summary>The node source a reader outside block execution (an RPC query) uses: local, fetching what is absent while beam syncing.</summary>
    public INodeSource ReaderSource(TimeSpan timeout, CancellationToken ct) => _full
        ? new StoreNodeSource(_store)
        : new WaitingNodeSource(new StoreNodeSource(_store), _scheduler.FetcherFor(FetchKinds.Urgent), timeout, ct);

    private INodeSource SourceFor(IKeyValueStore pending) => _full
        ? new StoreNodeSource(pending)
        : new WaitingNodeSource(new StoreNodeSource(pending), _urgent, _options.ReadTimeout, _cts.Token);

    public void AddPeer(ISyncPeer peer)
    {
        lock (_peers) _peers.Add(peer);
        _scheduler.AddPeer(peer);
        Metrics.MarkFirstBlockStep(FirstBlockSteps.PeerAdded);
        _heads.Writer.TryWrite(default); // a waiting follower may now reach a peer
    }

    public void RemovePeer(ISyncPeer peer)
    {
        lock (_peers) _peers.Remove(peer);
        _scheduler.RemovePeer(peer);
    }

    /// <summary>The head source names a new head (by hash only).</summary>
    public void OnNewHead(Hash256 blockHash)
    {
        Metrics.MarkFirstBlockStep(FirstBlockSteps.HeadKnown);
        _heads.Writer.TryWrite(blockHash);
    }

    /// <summary>An executing block waits for <paramref name="missing"/>: the first block's misses are what its witness and prefetch left out, worth a line each.</summary>
    private void OnUrgentStall(MissingNode missing)
    {
        if (Metrics.TimeToFirstVerifiedBlockMs is not null) { _log.LogDebug("block {Number} waits for {Missing}", Metrics.Executing, missing); return; }
        Metrics.MarkFirstBlockStep(FirstBlockSteps.FirstUrgentMiss);
        _log.LogInformation("first block {Number} waits for {Missing}", Metrics.Executing, missing);
    }

    /// <summary>Whether <paramref name="number"/> is the block the first-block timeline follows: the first pivot, not yet verified.</summary>
    private bool IsFirstBlock(ulong number) => Metrics.TimeToFirstVerifiedBlockMs is null && Metrics.Pivot == number;

    private void MarkFirstBlockStep(ulong number, string step)
    {
        if (IsFirstBlock(number)) Metrics.MarkFirstBlockStep(step);
    }

    public void Start()
    {
        var head = _chain.Head;
        if (head is not null && (head.Number > 0 || _full) && _chain.IsExecuted(head.Hash))
        {
            // A restart: carry on from the stored head (beam or full); a full node at its genesis follows from block 1.
            _anchored = true;
            _nextToExecute = head.Number + 1;
            Metrics.Executed = head.Number;
            _scheduler.CurrentRoot = head.StateRoot;
        }
        Metrics.Mode = _full ? "full" : _anchored ? "beam" : "idle";
        _headerLoop = Task.Run(() => HeaderLoopAsync(_cts.Token));
        _executor = new Thread(ExecuteLoop, Evm.VirtualMachine.RequiredStackSize) { IsBackground = true, Name = "beam-executor" };
        _executor.Start();
        StartBackfill();
    }

    private long CountStateNodes()
    {
        long n = 0;
        foreach (var _ in _store.Iterate(Column.TrieNodes, [])) n++;
        return n;
    }

    private ISyncPeer[] PeersForChainData()
    {
        lock (_peers)
            return _peers.OrderBy(p => p.IsBeamSyncing).ThenBy(p => _chainDataFaults.GetValueOrDefault(p)).ThenBy(_ => Random.Shared.Next()).ToArray();
    }

    /// <summary>Faults of header and body requests per peer: a peer that failed goes to the back of the line.</summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<ISyncPeer, int> _chainDataFaults = new();

    private void ChainDataFault(ISyncPeer peer, PeerFault fault)
    {
        _chainDataFaults.AddOrUpdate(peer, 1, (_, n) => n + 1);
        peer.Penalize(fault);
    }

    /// <summary>One header or body request under this layer's deadline; a miss of the deadline is the peer's fault, not ours.</summary>
    private async Task<IReadOnlyList<byte[]>> AskChainDataAsync(ISyncPeer peer, Func<ISyncPeer, CancellationToken, Task<IReadOnlyList<byte[]>>> ask, CancellationToken ct)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(_options.ChainDataTimeout);
        try
        {
            var answer = await ask(peer, deadline.Token).WaitAsync(deadline.Token).ConfigureAwait(false);
            if (answer.Count == 0) ChainDataFault(peer, PeerFault.Empty);
            return answer;
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            ChainDataFault(peer, PeerFault.Late);
            throw new TimeoutException($"peer {peer.Id} gave no chain data within {_options.ChainDataTimeout.TotalSeconds:0.#} s");
        }
    }

    public async ValueTask DisposeAsync()
    {
        _cts.Cancel();
        _heads.Writer.TryComplete();
        _pending.Signal();
        // A block being imported commits in one batch: the store must outlive it, so this waits for the executor however
        // long it takes. Its reads of absent nodes are cancelled with _cts, so what is left is bounded CPU work.
        if (_executor is not null && !_executor.Join(TimeSpan.FromSeconds(5)))
        {
            _log.LogWarning("the executor is still running block {Number} 5 s after shutdown began; waiting for it", Metrics.Executing);
            _executor.Join();
        }
        foreach (var task in new[] { _headerLoop, _backfillLoop })
            if (task is not null) try { await task.ConfigureAwait(false); } catch (Exception) { }
        _previewer?.Dispose();
        await _scheduler.DisposeAsync().ConfigureAwait(false);
        _cts.Dispose();
    }
}
