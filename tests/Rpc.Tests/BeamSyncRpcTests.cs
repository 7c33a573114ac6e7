using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using BeamSync.Core;
using BeamSync.Core.Specs;
using BeamSync.Core.Types;
using BeamSync.Trie;

namespace BeamSync.Rpc.Tests;

/// <summary>
/// The RPC during Beam Sync: state reads that wait for fetched nodes run on the RPC's own threads and answer the
/// true value; state that cannot be had is an error, never zero; history before the oldest local block is the
/// documented history error, never null; eth_syncing reports pivot, lag and backfill.
/// </summary>
[Collection(RpcCompatChain.Collection)]
public sealed class BeamSyncRpcTests(RpcCompatChain chain)
{
    private const string Contract = "0x7dcd17433742f4c0ca53122ab541d0ba67fc27df";   // balance 0x76 at the head (rpc-compat)

    [Fact]
    public async Task AStateReadWaitsForTheFetchOnAnRpcWorkerAndOtherCallsGoOn()
    {
        if (!chain.Available) return;
        var source = new GatedStateSource(chain.Store);
        var methods = new EthRpc(new BlockStoreRpcChain(chain.Blocks, chain.Spec!), source).Register(new RpcMethods());
        await using var server = await RpcTestServer.StartAsync(methods, new RpcServerOptions { WorkerThreads = 2 });

        var balance = server.CallAsync("eth_getBalance", $"[\"{Contract}\",\"latest\"]");
        Assert.True(source.FetchStarted.Wait(TimeSpan.FromSeconds(30)), "the state read never reached the node source");
        // While that read blocks a worker, the other worker answers.
        var chainId = await server.CallAsync("eth_chainId");
        Assert.Equal("0xc72dd9d5e883e", chainId["result"]!.GetValue<string>());
        await Task.Delay(200);
        Assert.False(balance.IsCompleted);

        source.Release();
        var response = await balance;
        Assert.Equal("0x76", response["result"]!.GetValue<string>());
        Assert.NotEmpty(source.ReadingThreads);
        Assert.All(source.ReadingThreads, name => Assert.StartsWith("rpc-worker-", name));
    }

    [Fact]
    public async Task AnEmptyBeamNodeAnswersEveryStateReadFromFetchedNodes()
    {
        if (!chain.Available) return;
        // The node's store holds the chain but not one trie node or code: everything comes through the fetcher,
        // which answers from the full node's store after a delay, on a timer thread (as the network would).
        var emptyState = new Db.MemoryKeyValueStore();
        var fetcher = new DelayedFetcher(chain.Store, TimeSpan.FromMilliseconds(2));
        var methods = new EthRpc(new BlockStoreRpcChain(chain.Blocks, chain.Spec!),
            new FetchingRpcStateSource(emptyState, fetcher, TimeSpan.FromSeconds(30))).Register(new RpcMethods());
        await using var server = await RpcTestServer.StartAsync(methods);

        Assert.Equal("0x76", (await server.CallAsync("eth_getBalance", $"[\"{Contract}\"]"))["result"]!.GetValue<string>());
        Assert.Equal("0x3680600080376000206000548082558060010160005560005263656d697460206000a2",
            (await server.CallAsync("eth_getCode", $"[\"{Contract}\"]"))["result"]!.GetValue<string>());
        Assert.Equal("0x0000000000000000000000000000000000000000000000000000000000000038",
            (await server.CallAsync("eth_getStorageAt", $"[\"{Contract}\",\"0x0\"]"))["result"]!.GetValue<string>());
        Assert.Equal("0xffee", (await server.CallAsync("eth_call",
            "[{\"to\":\"0x17e7eedce4ac02ef114a7ed9fe6e2f33feba1667\",\"input\":\"0xff01\"}]"))["result"]!.GetValue<string>());
        Assert.True(fetcher.Fetched > 0);
    }

    [Fact]
    public async Task StateThatCannotBeFetchedIsAnErrorNotZero()
    {
        if (!chain.Available) return;
        var methods = new EthRpc(new BlockStoreRpcChain(chain.Blocks, chain.Spec!), new NothingLocal()).Register(new RpcMethods());
        await using var server = await RpcTestServer.StartAsync(methods);
        foreach (var call in new[] { ("eth_getBalance", $"[\"{Contract}\"]"), ("eth_getCode", $"[\"{Contract}\"]"), ("eth_getStorageAt", $"[\"{Contract}\",\"0x0\"]") })
        {
            var response = await server.CallAsync(call.Item1, call.Item2);
            Assert.Null(response["result"]);
            Assert.Equal(RpcErrorCodes.StateNotAvailable, response["error"]!["code"]!.GetValue<int>());
        }
    }

    [Fact]
    public async Task HistoryBeforeTheOldestLocalBlockIsTheHistoryError()
    {
        if (!chain.Available) return;
        var status = new SyncingStatus(new SyncProgress(0, 40, 54, 10, 14, 1234, 5678, 40), 40);
        var methods = new EthRpc(new PartialHistoryChain(new BlockStoreRpcChain(chain.Blocks, chain.Spec!), 40), new StoreRpcStateSource(chain.Store), status)
            .Register(new RpcMethods());
        await using var server = await RpcTestServer.StartAsync(methods);

        async Task<int?> ErrorOf(string method, string args) => (await server.CallAsync(method, args))["error"]?["code"]?.GetValue<int>();
        Assert.Equal(RpcErrorCodes.HistoryNotLocal, await ErrorOf("eth_getBlockByNumber", "[\"0x5\",false]"));
        Assert.Equal(RpcErrorCodes.HistoryNotLocal, await ErrorOf("eth_getBlockByHash", "[\"0x80e911b62f552f563a2544dfef5eb39ec8863d9082c998ca6b657f76e19de38e\",false]"));
        // A transaction in block 3, and one nobody knows: neither can be told absent while history is missing.
        Assert.Equal(RpcErrorCodes.HistoryNotLocal, await ErrorOf("eth_getTransactionByHash", "[\"0x3fbac8b19b59077cd29bbacc3815d73577b45a4d976cae80b04c98c793684c07\"]"));
        Assert.Equal(RpcErrorCodes.HistoryNotLocal, await ErrorOf("eth_getTransactionReceipt", "[\"0x00000000000000000000000000000000000000000000000000000000deadbeef\"]"));
        Assert.Equal(RpcErrorCodes.HistoryNotLocal, await ErrorOf("eth_getLogs", "[{\"fromBlock\":\"0x1\",\"toBlock\":\"0x4\"}]"));

        // Local history answers as usual: block 42 and its blob transaction.
        var block = await server.CallAsync("eth_getBlockByNumber", "[\"0x2a\",false]");
        Assert.Equal("0x9e5e1e79c57f257def6a0e882d10863e2a98b034e6e0fdaccd7ff7b31312105d", block["result"]!["hash"]!.GetValue<string>());
        var tx = await server.CallAsync("eth_getTransactionReceipt", "[\"0x4bb6fa064c302d27ea9ac821e061bcc336b8fa40de77f01e116c6461d47e7ac1\"]");
        Assert.Equal("0x2a", tx["result"]!["blockNumber"]!.GetValue<string>());

        // The fee methods sample only local blocks.
        Assert.NotNull((await server.CallAsync("eth_gasPrice"))["result"]);

        var syncing = (await server.CallAsync("eth_syncing"))["result"]!;
        Assert.Equal("0xa", syncing["pivotBlock"]!.GetValue<string>());
        Assert.Equal("0xe", syncing["lagBlocks"]!.GetValue<string>());
        Assert.Equal("0x36", syncing["highestBlock"]!.GetValue<string>());
        Assert.Equal("0x4d2", syncing["stateNodesFetched"]!.GetValue<string>());
        Assert.Equal("0x28", syncing["oldestLocalBlock"]!.GetValue<string>());
    }

    /// <summary>Serves nodes from the store, but the first read blocks (a fetch in flight) until the test releases it.</summary>
    private sealed class GatedStateSource(Db.IKeyValueStore store) : IRpcStateSource, INodeSource
    {
        private readonly StoreNodeSource _store = new(store);
        private readonly ManualResetEventSlim _gate = new(false);
        public ManualResetEventSlim FetchStarted { get; } = new(false);
        public ConcurrentBag<string> ReadingThreads { get; } = [];

        public INodeSource Open(Hash256 stateRoot) => this;
        public void Release() => _gate.Set();

        public byte[]? GetNode(Hash256 hash, TrieOwner owner, ReadOnlySpan<byte> path, ReadOnlySpan<byte> keyNibbles)
        {
            Wait();
            return _store.GetNode(hash, owner, path, keyNibbles);
        }

        public byte[]? GetCode(Hash256 codeHash)
        {
            Wait();
            return _store.GetCode(codeHash);
        }

        private void Wait()
        {
            ReadingThreads.Add(Thread.CurrentThread.Name ?? "(unnamed)");
            FetchStarted.Set();
            if (!_gate.Wait(TimeSpan.FromSeconds(60))) throw new TimeoutException("the test never released the fetch");
        }
    }

    /// <summary>Fetches from another store after a delay, completing on a timer thread.</summary>
    private sealed class DelayedFetcher(Db.IKeyValueStore full, TimeSpan delay) : IMissingNodeFetcher
    {
        private int _fetched;
        public int Fetched => _fetched;

        public async Task<byte[]> Fetch(MissingNode missing, FetchPriority priority, CancellationToken cancellation)
        {
            await Task.Delay(delay, cancellation);
            Interlocked.Increment(ref _fetched);
            return full.Get(missing.IsCode ? Db.Column.Code : Db.Column.TrieNodes, missing.Hash.Bytes)
                ?? throw new InvalidOperationException($"{missing} is not in the full node either");
        }
    }

    /// <summary>A beam node whose fetches all time out: every node is absent.</summary>
    private sealed class NothingLocal : IRpcStateSource
    {
        public INodeSource Open(Hash256 stateRoot) => EmptyNodeSource.Instance;
    }

    private sealed class SyncingStatus(SyncProgress progress, ulong oldestLocal) : IRpcSyncStatus
    {
        public SyncProgress? Progress => progress;
        public ulong OldestLocalBlock => oldestLocal;
    }

    /// <summary>The imported chain with bodies and receipts below <paramref name="oldestLocal"/> not yet backfilled.</summary>
    private sealed class PartialHistoryChain(IRpcChain inner, ulong oldestLocal) : IRpcChain
    {
        public ChainSpec Spec => inner.Spec;
        public BlockHeader? Head => inner.Head;
        public BlockHeader? SafeHead => inner.SafeHead;
        public BlockHeader? FinalizedHead => inner.FinalizedHead;
        public BlockHeader? GetHeader(Hash256 hash) => inner.GetHeader(hash);
        public Hash256? GetCanonicalHash(ulong number) => inner.GetCanonicalHash(number);
        public BlockBody? GetBody(Hash256 hash) => IsLocal(hash) ? inner.GetBody(hash) : null;
        public Receipt[]? GetReceipts(Hash256 hash) => IsLocal(hash) ? inner.GetReceipts(hash) : null;
        public Fork ForkOf(BlockHeader header) => inner.ForkOf(header);
        private bool IsLocal(Hash256 hash) => inner.GetHeader(hash) is { } h && h.Number >= oldestLocal;
    }
}
