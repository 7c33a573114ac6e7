using BeamSync.Chain.Store;
using BeamSync.Core;
using BeamSync.Core.Specs;
using BeamSync.Core.Types;
using BeamSync.Db;
using BeamSync.Network.Eth;
using BeamSync.Network.Serving;
using BeamSync.Network.Link;
using BeamSync.Network.NodeData;
using BeamSync.Network.P2p;
using BeamSync.Network.Peers;
using BeamSync.Network.Snap;
using BeamSync.Network.Wit;
using BeamSync.Node.Devnet;
using BeamSync.Node.Metrics;
using BeamSync.Node.Networks;
using BeamSync.Node.Options;
using BeamSync.Rpc;
using BeamSync.Sync;
using BeamSync.Sync.Accelerators;
using BeamSync.Sync.Beam;
using BeamSync.Sync.Peers;
using Microsoft.Extensions.Logging;

namespace BeamSync.Node;

/// <summary>
/// One running node: its store, chain, peers, sync (or devnet producer), JSON-RPC and metrics, started in order and
/// disposed in reverse. Not thread-safe to start twice; its event handlers run on network and executor threads.
/// </summary>
internal sealed partial class NodeHost(NodeOptions options, IKeyValueStore store, ILoggerFactory logs) : IAsyncDisposable
{
    private readonly ILogger _log = logs.CreateLogger("BeamSync.Node");
    private readonly BlockStore _blocks = new(store);
    private readonly RecentStateRoots _roots = new(options.StateWindow);
    private readonly SyncMetrics _metrics = new();
    private readonly Dictionary<PeerSession, SessionSyncPeer> _syncPeers = [];
    private readonly object _headLock = new();
    private ChainSpec? _spec;
    private DevnetProducer? _producer;
    private BeamSyncer? _syncer;
    private PeerPool? _pool;
    private RpcServer? _rpc;
    private SyncMetricsExporter? _exporter;
    private bool _adoptGenesis;

    /// <summary>Exit code of a producer whose datadir holds a devnet made with other options (the CLI's 5).</summary>
    public const int DevnetOptionsMismatchExitCode = 5;

    public async Task<int> StartAsync(CancellationToken ct)
    {
        var key = NodeKey.LoadOrCreate(options.DataDir);
        if (options.Dev)
        {
            int result = StartProducer();
            if (result != 0) return result;
        }
        else
        {
            int result = StartFollower();
            if (result != 0) return result;
        }
        _pool = new PeerPool(key, Protocols(), PoolOptions());
        _pool.SessionStarted += OnSessionStarted;
        _pool.PeerReady += OnPeerReady;
        _pool.PeerDisconnected += (session, reason) =>
        {
            _log.LogInformation("peer {Peer} disconnected: {Reason} (score {Score}{Error})", session.RemoteIdHex[..8], reason, session.Score.Value,
                session.LastError is { } e ? ", " + e.Message : "");
            OnPeerGone(session);
        };
        _metrics.MarkFirstConnectAttempt();
        _syncer?.Start();
        _pool.Start();
        // With an authenticated endpoint the producer's driver calls it from its first block on: it starts once that listens.
        if (!options.AuthRpc) _producer?.Start();
        _log.LogInformation("node {Enode} listening; {Mode}", _pool.LocalEnode, options.Dev ? "devnet producer"
            : _syncer is { IsFull: true } ? "full (its beam sync finished earlier)" : options.Sync == SyncMode.Beam ? "beam sync" : "full");
        if (options.Http || options.AuthRpc) await StartRpcAsync(ct).ConfigureAwait(false);
        if (options.AuthRpc) _producer?.Start();
        if (options.MetricsPort is { } port)
        {
            _exporter = new SyncMetricsExporter(_metrics.Snapshot);
            _exporter.Start(port);
        }
        return 0;
    }

    private DevnetOptions DevnetOptions() => new()
    {
        Seed = options.Seed == 0 ? 1 : options.Seed,
        Accounts = options.StateAccounts,
        Contracts = options.StateContracts,
        TransactionsPerBlock = options.TxsPerBlock,
        BlockTime = options.BlockTime,
        StateWindow = options.StateWindow,
        ReorgEvery = options.ReorgEvery,
    };

    private int StartProducer()
    {
        bool resuming = _blocks.Head is not null;
        _log.LogInformation("generating the devnet state: {Accounts} accounts, {Contracts} contracts, seed {Seed}", options.StateAccounts, options.StateContracts, options.Seed);
        var state = DevnetState.Generate(DevnetOptions());
        _spec = state.Spec;
        // Witnesses: the trie nodes each block's building read, served over wit/0 so beam nodes fetch them in bulk.
        RecordingNodeSource? reading = null;
        var witnesses = new StoreWitnessStore(store);
        try
        {
            _producer = new DevnetProducer(state, store, _txPool, readSource: pending => reading = new RecordingNodeSource(new Trie.StoreNodeSource(pending)));
        }
        catch (DevnetOptionsMismatchException e)
        {
            _log.LogError("cannot resume the devnet in {DataDir}: {Error}", options.DataDir, e.Message);
            return DevnetOptionsMismatchExitCode;
        }
        if (resuming) _log.LogInformation("resumed the devnet at block {Number} {Hash}", _producer.Head.Number, _producer.Head.Hash);
        else _log.LogInformation("genesis {Hash} state root {Root} written in {Seconds:0.0} s", _producer.Head.Hash, _producer.Head.StateRoot, _producer.GenesisWrite?.Elapsed.TotalSeconds);
        foreach (var (_, root) in _producer.RecentStateRoots) _roots.Add(root);
        _metrics.Head = _metrics.Executed = _producer.Head.Number;
        _producer.BlockProduced += produced =>
        {
            var block = produced.Block;
            _producedRequests.Set(block.Hash, produced.Requests);
            if (options.Witness && reading is { } read) witnesses.Put(block.Hash, read.Read);
            _roots.Add(block.Header.StateRoot);
            _metrics.Head = _metrics.Executed = block.Number;
            _metrics.Reorgs = _producer.Reorgs;
            _log.LogInformation("block {Number} {Hash}: {Transactions} transactions, produced through the engine API in {Times}", block.Number, block.Hash, block.Transactions.Length, produced.Times);
            lock (_headLock) Monitor.PulseAll(_headLock);
        };
        _producer.ProductionFailed += e => _log.LogError("block production failed: {Error}", e.Message);
        _metrics.Mode = "full";
        return 0;
    }

    private int StartFollower()
    {
        if (options.Network == NodeOptions.DevnetNetwork)
        {
            _spec = DevnetState.RulesOnly(DevnetOptions());
            if (options.Sync == SyncMode.Beam) _adoptGenesis = true;
            else if (StartDevnetServer() is var result and not 0) return result;
        }
        else if (options.GenesisFile is { } file) _spec = ChainSpec.Load(file);
        else _spec = KnownNetworks.WithShippedGenesis(options.Network!);
        if (!_adoptGenesis && _blocks.GetCanonicalHash(0) is null)
        {
            if (options.Sync == SyncMode.Full) new Chain.Blockchain(_spec, _blocks, new Chain.Execution.EvmStateFactory(store)).InitializeGenesis();
            else WriteGenesis(Chain.Genesis.GenesisBlock.HeaderOfAlloc(_spec));
        }
        var syncOptions = new SyncOptions
        {
            StateWindow = options.StateWindow, PivotLag = options.PivotLag,
            Prefetch = options.Prefetch, Preview = options.Preview, Witness = options.Witness, Backfill = options.Backfill,
        };
        _syncer = new BeamSyncer(_spec, store, syncOptions, _metrics, log: logs.CreateLogger("BeamSync.Sync"));
        _syncer.BlockExecuted += header => _roots.Add(header.StateRoot);
        return 0;
    }

    /// <summary>
    /// A full node of a devnet (<c>--network devnet --sync full</c>, the devnet's second server): builds the same seeded
    /// genesis state the producer does (the options define it) and marks its store full, so its syncer executes every
    /// block the producer makes from block 1, fetching no state. On a store it made before, it resumes.
    /// </summary>
    private int StartDevnetServer()
    {
        var devnet = DevnetOptions();
        if (_blocks.Head is null)
        {
            _log.LogInformation("generating the devnet state: {Accounts} accounts, {Contracts} contracts, seed {Seed}", options.StateAccounts, options.StateContracts, options.Seed);
            var written = DevnetGenesis.Write(DevnetState.Generate(devnet), store);
            Sync.Beam.BeamSyncer.MarkFull(store, written.Header.StateRoot);
            _log.LogInformation("genesis {Hash} state root {Root} written in {Seconds:0.0} s; following the producer's chain as a full node", written.Header.Hash, written.Header.StateRoot, written.Elapsed.TotalSeconds);
        }
        else
        {
            try { DevnetResumeRecord.CheckOptions(store, devnet); }
            catch (DevnetOptionsMismatchException e)
            {
                _log.LogError("cannot resume the devnet in {DataDir}: {Error}", options.DataDir, e.Message);
                return DevnetOptionsMismatchExitCode;
            }
        }
        _roots.Add(_blocks.Head!.StateRoot);
        return 0;
    }

    /// <summary>
    /// A beam node's genesis: the header and its empty body (so RPC answers block 0 as a full node does), but no
    /// state: the genesis state root is computed, not stored.
    /// </summary>
    private void WriteGenesis(BlockHeader genesis)
    {
        using var batch = store.StartBatch();
        _blocks.WriteHeader(batch, genesis);
        BlockStore.WriteBody(batch, genesis.Hash, new BlockBody([], [], genesis.WithdrawalsRoot is null ? null : []));
        _blocks.WriteTotalDifficulty(batch, genesis.Hash, genesis.Difficulty);
        _blocks.WriteHead(batch, genesis);
        batch.Commit();
    }

    private IReadOnlyList<IProtocolFactory> Protocols()
    {
        var nodes = new StoreNodeStore(store);
        IEthChainInfo chainInfo = _adoptGenesis ? new AdoptingChainInfo(_spec!, _blocks) : new SpecChainInfo(_spec!, _blocks);
        var witnesses = new StoreWitnessStore(store);
        var serve = options.Serve;
        bool modern = serve == ServeMode.Modern;
        // Today's peers: GetNodeData went with eth/67, GetTrieNodes with snap/2, and wit/0 is ours alone. A session speaks
        // the highest version both sides offer, so a legacy server offers only the versions that still had them: offering
        // eth/69 and snap/2 besides, every beam node negotiated those and saw neither its hashes nor its paths. A modern
        // server offers eth/66 too, answering no GetNodeData there, only so that a legacy-only node (the devnet's legacy
        // server) can exchange blocks with it: any peer that speaks eth/68 or later negotiates that, as with today's peers.
        int[]? ethVersions = serve switch { ServeMode.Modern => [66, 68, 69], ServeMode.Legacy => [66], _ => null };
        var snapVersions = serve switch { ServeMode.Modern => SnapVersions.Snap2, ServeMode.Legacy => SnapVersions.Snap1, _ => SnapVersions.Both };
        var factories = new List<IProtocolFactory> { new EthProtocol(chainInfo, new BlockStoreChainSource(_blocks), modern ? null : nodes, versions: ethVersions) };
        factories.Add(new SnapProtocol(new StoreSnapServer(store, _roots), snapVersions));
        if (serve == ServeMode.All) factories.Add(new NodeDataProtocol(nodes));
        if (!modern) factories.Add(new WitProtocol(witnesses));
        return factories;
    }

    private PeerPoolOptions PoolOptions()
    {
        var bootnodes = options.Bootnodes.Count > 0 || options.Dev ? options.Bootnodes : NetworkBootnodes.Of(options.Network);
        var statics = bootnodes.Select(Enode.Parse).ToList();
        LinkModel? link = options.LatencyMs > 0 || options.BandwidthBytesPerSecond is not null
            ? new LinkModel(TimeSpan.FromMilliseconds(options.LatencyMs), options.BandwidthBytesPerSecond ?? long.MaxValue / 4, 64 * 1024)
            : null;
        string role = _syncer is not null && !_syncer.IsFull ? SessionSyncPeer.BeamClientMarker : "/full";
        return new PeerPoolOptions
        {
            ListenPort = options.Port, MaxPeers = options.MaxPeers, StaticPeers = statics, Link = link,
            StaticRedialInterval = TimeSpan.FromSeconds(2),
            Session = new SessionOptions { ClientId = $"BeamSync/v0.1{role}/dotnet" },
        };
    }

    /// <summary>Times the first peer's handshake steps for the first-block timeline.</summary>
    private void OnSessionStarted(PeerSession session)
    {
        if (_syncer is null) return;
        _metrics.MarkFirstBlockStep(FirstBlockSteps.Rlpx);
        _ = session.HelloExchanged.ContinueWith(t => { if (t.IsCompletedSuccessfully) _metrics.MarkFirstBlockStep(FirstBlockSteps.Hello); }, TaskScheduler.Default);
        _ = session.Ready.ContinueWith(t => { if (t.IsCompletedSuccessfully) _metrics.MarkFirstBlockStep(FirstBlockSteps.Status); }, TaskScheduler.Default);
    }

    private void OnPeerReady(PeerSession session)
    {
        if (_syncer is null || session.Protocol<EthHandler>() is not { } eth) return;
        _ = Task.Run(async () =>
        {
            try
            {
                if (_adoptGenesis && _blocks.GetCanonicalHash(0) is null) await AdoptGenesisAsync(eth).ConfigureAwait(false);
                var peer = new SessionSyncPeer(session);
                lock (_syncPeers) _syncPeers[session] = peer;
                _syncer.AddPeer(peer);
                _log.LogInformation("peer {Peer} ready: {Forms}", peer.Id, peer.Forms);
            }
            catch (Exception e) { _log.LogWarning("peer {Peer} could not be used: {Error}", session.RemoteIdHex[..8], e.Message); }
        });
    }

    /// <summary>A devnet beam node takes the genesis its first peer named in Status: that header, checked against the hash.</summary>
    private async Task AdoptGenesisAsync(EthHandler eth)
    {
        var status = await eth.StatusExchanged.ConfigureAwait(false);
        var headers = await eth.GetBlockHeadersAsync(HeadersQuery.ByHash(status.Genesis, 1)).ConfigureAwait(false);
        if (headers.Count != 1) throw new InvalidOperationException("the peer did not give its genesis header");
        var genesis = BlockHeader.Decode(headers[0]);
        if (genesis.Hash != status.Genesis || genesis.Number != 0) throw new InvalidOperationException("the peer's genesis header does not match its Status");
        lock (_headLock) if (_blocks.GetCanonicalHash(0) is null) WriteGenesis(genesis);
        _metrics.MarkFirstBlockStep(FirstBlockSteps.Genesis);
        _log.LogInformation("adopted devnet genesis {Hash}", genesis.Hash);
    }

    private void OnPeerGone(PeerSession session)
    {
        SessionSyncPeer? peer;
        lock (_syncPeers) _syncPeers.Remove(session, out peer);
        if (peer is not null) _syncer?.RemovePeer(peer);
    }

    public async ValueTask DisposeAsync()
    {
        _producer?.Stop();
        if (_rpc is not null) await _rpc.DisposeAsync().ConfigureAwait(false);
        _exporter?.Dispose();
        if (_pool is not null) await _pool.DisposeAsync().ConfigureAwait(false);
        if (_syncer is not null) await _syncer.DisposeAsync().ConfigureAwait(false);
        _producer?.Dispose();
        _engineHttp?.Dispose();
    }
}
