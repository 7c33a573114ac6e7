using System.Text.Json;
using System.Text.Json.Nodes;
using BeamSync.Core;
using BeamSync.Rpc;
using BeamSync.Rpc.Engine;
using BeamSync.Sync;
using BeamSync.Trie;
using Microsoft.Extensions.Logging;

namespace BeamSync.Node;

internal sealed partial class NodeHost : IRpcSyncStatus, IRpcNodeInfo, ITransactionSink
{
    /// <summary>eth_sendRawTransaction's transactions, built into blocks when a consensus client asks (engine API).</summary>
    private readonly Chain.Pool.TransactionPool _txPool = new();

    /// <summary>The execution requests of the producer's recent blocks: a block's newPayloadV4 carries them, its header only their hash.</summary>
    private readonly BoundedMap<Hash256, byte[][]?> _producedRequests = new(1024);

    private static readonly JsonSerializerOptions StatsJson = new(JsonSerializerDefaults.Web);
    private static readonly TimeSpan StateReadTimeout = TimeSpan.FromSeconds(30);

    private async Task StartRpcAsync(CancellationToken ct)
    {
        IRpcStateSource states = _syncer is null
            ? new StoreRpcStateSource(store)
            : new FetchingRpcStateSource(store, _syncer.Scheduler.FetcherFor(FetchKinds.Urgent), StateReadTimeout);
        var methods = new EthRpc(new BlockStoreRpcChain(_blocks, _spec!, () => HeaderAt(_blocks.SafeHash), () => HeaderAt(_blocks.FinalizedHash)), states, this, options.AuthRpc ? this : null, this).Register(new RpcMethods());
        methods.Add("beamsync_syncStats", 0, _ => JsonSerializer.SerializeToNode(_metrics.Snapshot(), StatsJson));
        methods.Add("beamsync_newHead", 1, p =>
        {
            if (_syncer is null) throw new RpcException(RpcErrorCodes.InvalidRequest, "this node does not follow a head source");
            _syncer.OnNewHead(p.Hash(0));
            return true;
        });
        methods.Add("beamsync_waitForHead", 2, p => WaitForHead(NumberOrQuantity(p, 0), TimeSpan.FromMilliseconds(Math.Min(p.Has(1) ? NumberOrQuantity(p, 1) : 10_000, 60_000))));
        methods.Add("beamsync_schedulerState", 0, _ => _syncer is null ? null : JsonValue.Create(_syncer.Scheduler.DescribeAsync().GetAwaiter().GetResult()));
        methods.Add("beamsync_enginePayload", 1, p => EnginePayload(IsHash(p, 0) ? p.Hash(0) : _blocks.GetCanonicalHash(NumberOrQuantity(p, 0))));
        methods.Add("beamsync_produceBranch", 2, p => ProduceBranch(NumberOrQuantity(p, 0), NumberOrQuantity(p, 1)));
        methods.Add("beamsync_stateNodeCount", 1, p => RpcJson.Quantity(CountStateNodes(p.Hash(0))));
        _rpc = new RpcServer(options.Http ? methods : null, new RpcServerOptions { Host = options.HttpAddress, Port = options.HttpPort }, EngineEndpoint());
        await _rpc.StartAsync(ct).ConfigureAwait(false);
        if (options.Http) _log.LogInformation("JSON-RPC on http://{Host}:{Port}", options.HttpAddress, _rpc.Port);
        if (options.AuthRpc) _log.LogInformation("engine API on http://{Host}:{Port}", options.AuthRpcAddress, _rpc.EnginePort);
        if (options.AuthRpc && _producer is not null)
        {
            // The built-in consensus driver goes through the endpoint as an outside consensus client would: HTTP and JWT.
            string host = options.AuthRpcAddress is "0.0.0.0" or "::" ? "127.0.0.1" : options.AuthRpcAddress;
            _engineHttp = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
            _producer.DriveThrough(new EngineClient(_engineHttp, new Uri($"http://{(host.Contains(':') ? $"[{host}]" : host)}:{_rpc.EnginePort}/"), _jwtSecret!));
            _log.LogInformation("the devnet producer drives its engine API over http with the JWT");
        }
    }

    /// <summary>The safe or finalized block fork choice named (null before it named one: RPC then answers the head).</summary>
    private Core.Types.BlockHeader? HeaderAt(Hash256? hash) => hash is { } h ? _blocks.GetHeader(h) : null;

    /// <summary>The client the devnet producer's driver calls its own authenticated endpoint with (null without one).</summary>
    private HttpClient? _engineHttp;
    private byte[]? _jwtSecret;

    /// <summary>
    /// The engine API: over the follower's chain and its syncer, or the devnet producer's own (the one its built-in
    /// consensus driver calls).
    /// </summary>
    private EngineEndpoint? EngineEndpoint()
    {
        if (!options.AuthRpc) return null;
        var secretFile = options.JwtSecretFile ?? Path.Combine(options.DataDir, "jwtsecret");
        _jwtSecret = JwtAuthenticator.LoadOrCreateSecret(secretFile);
        var methods = _producer is not null
            ? _producer.EngineMethods
            : new EngineRpc(_syncer!.Chain, _txPool, executor: _syncer, payloadBudget: options.EnginePayloadBudget).Register(new RpcMethods());
        return new EngineEndpoint(methods, _jwtSecret) { Host = options.AuthRpcAddress, Port = options.AuthRpcPort };
    }

    /// <summary>
    /// The newPayload call a consensus client would send for block <paramref name="hash"/> (the canonical one when
    /// asked by number; any branch's by hash), and its hash: what the devnet's follower driver relays to beam nodes'
    /// engine API, with the safe and finalized blocks the consensus side names beside it as the head
    /// (<see cref="Devnet.DevnetFinality"/>). Null when the block is not here.
    /// </summary>
    private JsonNode? EnginePayload(Hash256? hash)
    {
        if (hash is not { } blockHash || _blocks.GetBlock(blockHash) is not { } block) return null;
        _producedRequests.TryGet(blockHash, out var requests);
        var call = EngineRpc.NewPayloadCall(_spec!, block, requests);
        call["blockHash"] = RpcJson.Hash(blockHash);
        call["parentHash"] = RpcJson.Hash(block.Header.ParentHash);
        call["timestamp"] = RpcJson.Quantity(block.Header.Timestamp);
        var (safe, finalized) = Devnet.DevnetFinality.Of(block.Header, _blocks.GetHeader);
        call["safeBlockHash"] = RpcJson.Hash(safe);
        call["finalizedBlockHash"] = RpcJson.Hash(finalized);
        return call;
    }

    /// <summary>
    /// The devnet producer abandons its newest <paramref name="abandon"/> blocks (0: none) for <paramref name="count"/>
    /// new ones (<see cref="Devnet.DevnetProducer.ProduceBranch"/>), at once rather than on its block time: the hashes of
    /// both, oldest first.
    /// </summary>
    private JsonNode ProduceBranch(ulong abandon, ulong count)
    {
        if (_producer is null) throw new RpcException(RpcErrorCodes.InvalidRequest, "only the devnet producer makes blocks");
        if (abandon > 64 || count is < 1 or > 64) throw RpcException.InvalidParams("abandon at most 64 blocks and make between 1 and 64");
        // Block building needs the deep stack of an execution thread, which an RPC worker lacks.
        (IReadOnlyList<Core.Types.Block> Abandoned, IReadOnlyList<Devnet.ProducedBlock> Branch)? made = null;
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try { made = _producer.ProduceBranch((int)abandon, (int)count); }
            catch (Exception e) { failure = e; }
        }, Evm.VirtualMachine.RequiredStackSize);
        thread.Start();
        thread.Join();
        if (failure is not null || made is not { } produced) throw new RpcException(RpcErrorCodes.Internal, $"producing the branch failed: {failure?.Message}");
        return new JsonObject
        {
            ["abandoned"] = new JsonArray([.. produced.Abandoned.Select(b => (JsonNode)RpcJson.Hash(b.Hash))]),
            ["branch"] = new JsonArray([.. produced.Branch.Select(b => (JsonNode)RpcJson.Hash(b.Block.Hash))]),
        };
    }

    private static bool IsHash(RpcParams p, int index) => p[index].ValueKind == JsonValueKind.String && p[index].GetString()!.Length == 66;

    /// <summary>A plain JSON number or a hex quantity (the devnet driver sends numbers).</summary>
    private static ulong NumberOrQuantity(RpcParams p, int index) =>
        p[index].ValueKind == JsonValueKind.Number && p[index].TryGetUInt64(out var n) ? n : p.Quantity(index);

    /// <summary>Long-polls until the head is above <paramref name="after"/> (runs on an RPC worker thread, which may wait).</summary>
    private JsonNode WaitForHead(ulong after, TimeSpan wait)
    {
        var deadline = DateTime.UtcNow + wait;
        lock (_headLock)
        {
            while ((_blocks.Head?.Number ?? 0) <= after && DateTime.UtcNow < deadline)
                Monitor.Wait(_headLock, deadline - DateTime.UtcNow is var left && left > TimeSpan.Zero ? left : TimeSpan.Zero);
        }
        var head = _blocks.Head!;
        return new JsonObject { ["number"] = RpcJson.Quantity(head.Number), ["hash"] = RpcJson.Hash(head.Hash) };
    }

    /// <summary>State trie nodes (account and storage tries) under a root in the local store, by the Trie layer's walker.</summary>
    private long CountStateNodes(Hash256 root)
    {
        var walker = new MissingNodeWalker(new StoreNodeSource(store), AccountLeafDescender.Instance);
        foreach (var _ in walker.Walk(root)) { }
        return walker.NodesVisited;
    }

    string? ITransactionSink.Submit(Core.Types.Transaction transaction, Core.Types.BlobTransactionWithSidecar? sidecar) => _txPool.Submit(transaction, sidecar);

    SyncProgress? IRpcSyncStatus.Progress
    {
        get
        {
            if (_syncer is null || _syncer.IsFull) return null;
            var s = _metrics.Snapshot();
            return new SyncProgress(s.Pivot ?? 0, s.Executed, s.Head, s.Pivot ?? 0, (ulong)Math.Max(0, s.Lag),
                (ulong)s.DistinctNodesReceived, 0, s.Pivot ?? 0);
        }
    }

    /// <summary>History below the first executed block (the pivot) is not local on a beam node.</summary>
    ulong IRpcSyncStatus.OldestLocalBlock => _syncer is null ? 0 : _metrics.Pivot ?? 0;

    NodeInfo IRpcNodeInfo.NodeInfo
    {
        get
        {
            var enode = _pool!.LocalEnode;
            return new NodeInfo(Hex.ToHex(enode.Id, false), "BeamSync/v0.1/dotnet", enode.ToString(), enode.Address.ToString(), _pool.ListenPort,
                new Dictionary<string, object?> { ["eth"] = new { network = _spec!.ChainId } });
        }
    }

    IReadOnlyList<PeerInfo> IRpcNodeInfo.Peers => _pool is null ? [] : _pool.Peers.Select(p => new PeerInfo(
        p.RemoteIdHex, p.RemoteHello?.ClientId ?? "", "", "", !p.IsInitiator, p.Shared.Select(c => $"{c.Name}/{c.Version}").ToList())).ToList();
}
