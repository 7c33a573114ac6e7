using System.Text;
using System.Text.Json.Nodes;
using BeamSync.Chain.Pool;
using BeamSync.Core;
using BeamSync.Core.Types;
using BeamSync.Db;
using BeamSync.Node.Devnet;
using BeamSync.Node.Options;
using BeamSync.Rpc;
using BeamSync.Rpc.Engine;
using BeamSync.State;
using BeamSync.Sync.Beam;
using Xunit.Abstractions;

namespace BeamSync.Node.Tests;

/// <summary>
/// Reorganizations through the engine API: a forkchoiceUpdated to a sibling head moves the head, the state and the
/// transaction index to the new branch, on a full node (in this process, its genesis state local) and on a beam node
/// during Beam Sync (on loopback, no backfill, so the state stays mostly absent); a beam node whose pivot's branch is
/// abandoned below its anchor pivots again. The side branches come from the devnet producer
/// (<see cref="DevnetProducer.ProduceBranch"/>): the new branch's first block holds every other transaction of the
/// block it replaces, its second block the rest. The full node's test about 1 s, each beam node's 5-15 s (loaded machine).
/// </summary>
[Collection(LoopbackNodesCollection.Name)]
public sealed class EngineReorgTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("beamsync-engine-reorg-").FullName;

    [Fact]
    public async Task A_full_node_moves_head_state_and_transaction_index_to_the_branch_fork_choice_names_and_back()
    {
        var state = DevnetState.Generate(DevnetTestSupport.Small() with { TransactionsPerBlock = 40 });
        var producerStore = new MemoryKeyValueStore();
        using var producer = DevnetTestSupport.OnExecutionThread(() => new DevnetProducer(state, producerStore));
        var requests = new Dictionary<Hash256, byte[][]?>();
        ProducedBlock Produce() => Remember(DevnetTestSupport.OnExecutionThread(producer.ProduceBlock));
        ProducedBlock Remember(ProducedBlock b) { requests[b.Block.Hash] = b.Requests; return b; }

        // The full node: the devnet's genesis state local, payloads executed by the syncer's executor as `beamsync run --sync full` does.
        var store = new MemoryKeyValueStore();
        DevnetGenesis.Write(state, store);
        await using var syncer = new BeamSyncer(state.Spec, store);
        syncer.Start();
        var engine = new RpcDispatcher(new EngineRpc(syncer.Chain, new TransactionPool(), executor: syncer, payloadBudget: TimeSpan.FromSeconds(30)).Register(new RpcMethods()));
        var eth = new RpcDispatcher(new EthRpc(new BlockStoreRpcChain(syncer.Chain.Store, state.Spec), new StoreRpcStateSource(store)).Register(new RpcMethods()));

        var common = new[] { Produce(), Produce() };
        var (a1, a2) = (Produce().Block, Produce().Block);
        var (abandoned, branch) = DevnetTestSupport.OnExecutionThread(() => producer.ProduceBranch(abandon: 2, count: 2));
        Assert.Equal([a1.Hash, a2.Hash], abandoned.Select(b => b.Hash));
        var (b1, b2) = (Remember(branch[0]).Block, Remember(branch[1]).Block);
        var onA = a1.Transactions.Concat(a2.Transactions).ToList();
        var onB = b1.Transactions.Concat(b2.Transactions).ToList();

        // Both branches arrive before either is chosen, as a consensus client relays what it hears.
        foreach (var block in new[] { common[0].Block, common[1].Block, a1, a2, b1, b2 })
        {
            var answer = Call(engine, NewPayload(state, block, requests))!;
            Assert.True((string)answer["status"]! == PayloadStatus.Valid, $"block {block.Number} {block.Hash}: {answer.ToJsonString()}");
        }

        Choose(engine, a2);
        AssertFollows(eth, producerStore, a2, onBranch: onA, offBranch: Except(onB, onA));
        // Down to b1, a sibling of a1 one block below the head: half of a1's and a2's transactions wait for b2, so on b1's
        // branch they are nowhere.
        Choose(engine, b1);
        var onlyOnA = Except(onA, b1.Transactions);
        Assert.NotEmpty(onlyOnA);
        AssertFollows(eth, producerStore, b1, onBranch: b1.Transactions, offBranch: onlyOnA.Concat(Except(b2.Transactions, onA)));
        // Back up to a2: a1's transactions are found again, not only a2's.
        Choose(engine, a2);
        AssertFollows(eth, producerStore, a2, onBranch: onA, offBranch: Except(onB, onA));
        Choose(engine, b2);
        AssertFollows(eth, producerStore, b2, onBranch: onB, offBranch: Except(onA, onB));
    }

    private static List<Transaction> Except(IEnumerable<Transaction> these, IEnumerable<Transaction> those) =>
        [.. these.ExceptBy(those.Select(t => t.Hash), t => t.Hash)];

    [Fact]
    public async Task A_beam_node_during_beam_sync_moves_head_state_and_transaction_index_to_a_sibling_branch()
    {
        var (producer, beam, engine) = await StartAsync();
        await using var _ = producer;
        await using var __ = beam;
        var follower = new EngineFollower(engine);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));

        // The pivot, then one block on it: the beam node verifies both with their state fetched on demand.
        var pivot = (string)(await ProduceAsync(producer, 0, 1))["branch"]![0]!;
        await RelayAsync(producer, follower, pivot, timeout.Token);
        var a1 = (string)(await ProduceAsync(producer, 0, 1))["branch"]![0]!;
        await RelayAsync(producer, follower, a1, timeout.Token);
        await AssertHeadAsync(beam, producer, a1);

        var reorg = await ProduceAsync(producer, 1, 2);
        Assert.Equal(a1, (string)reorg["abandoned"]![0]!);
        string b1 = (string)reorg["branch"]![0]!, b2 = (string)reorg["branch"]![1]!;
        var a1Txs = await TransactionHashesAsync(producer, a1);
        var b1Txs = await TransactionHashesAsync(producer, b1);
        var b2Txs = await TransactionHashesAsync(producer, b2);
        var onlyOnA1 = a1Txs.Except(b1Txs).ToList();
        Assert.NotEmpty(onlyOnA1);

        await RelayAsync(producer, follower, b1, timeout.Token);
        await AssertHeadAsync(beam, producer, b1);
        await AssertTransactionsAsync(beam, found: b1Txs, missing: onlyOnA1);
        await RelayAsync(producer, follower, b2, timeout.Token);
        await AssertHeadAsync(beam, producer, b2);
        await AssertTransactionsAsync(beam, found: b1Txs.Concat(b2Txs), missing: []);

        // And back: fork choice alone moves the head to the executed block of the abandoned branch.
        await ForkchoiceAsync(engine, a1);
        await AssertHeadAsync(beam, producer, a1);
        await AssertTransactionsAsync(beam, found: a1Txs, missing: b2Txs.Except(a1Txs));
        var stats = (await beam.CallAsync("beamsync_syncStats"))!;
        output.WriteLine($"beam node: pivot {stats["pivot"]}, pivots {stats["pivots"]}, reorgs {stats["reorgs"]}, local state nodes {stats["localStateNodes"]}");
        Assert.True((int)stats["reorgs"]! >= 1, "the beam node counted no reorg");
        Assert.Equal(0, (int)stats["pivots"]!);
    }

    [Fact]
    public async Task A_beam_node_whose_pivot_is_reorged_out_below_its_anchor_pivots_again_and_verifies_the_new_branch()
    {
        var (producer, beam, engine) = await StartAsync();
        await using var _ = producer;
        await using var __ = beam;
        var follower = new EngineFollower(engine);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));

        await ProduceAsync(producer, 0, 2);
        var pivot = (string)(await ProduceAsync(producer, 0, 1))["branch"]![0]!;
        await RelayAsync(producer, follower, pivot, timeout.Token);
        var before = (await beam.CallAsync("beamsync_syncStats"))!;

        // The pivot and its parent (the anchor, whose state the node fetches) leave the chain: the new branch forks below
        // the anchor, where the node holds headers but no state.
        var reorg = await ProduceAsync(producer, 2, 3);
        Assert.Contains(pivot, reorg["abandoned"]!.AsArray().Select(h => (string)h!));
        var branch = reorg["branch"]!.AsArray().Select(h => (string)h!).ToList();
        foreach (var hash in branch) await RelayAsync(producer, follower, hash, timeout.Token);
        await AssertHeadAsync(beam, producer, branch[^1]);

        var after = (await beam.CallAsync("beamsync_syncStats"))!;
        output.WriteLine($"pivot {before["pivot"]} -> {after["pivot"]}, pivots {after["pivots"]}, executed {after["executed"]}, blocks executed {after["blocksExecuted"]}");
        Assert.Equal(1, (int)after["pivots"]!);
        Assert.NotEqual((ulong)before["pivot"]!, (ulong)after["pivot"]!);
        Assert.Equal((long)before["blocksExecuted"]! + branch.Count, (long)after["blocksExecuted"]!);
    }

    [Fact]
    public async Task A_block_a_beam_node_executes_from_peers_takes_the_head_only_on_the_chain_toward_the_head_fork_choice_named()
    {
        var (producer, beam, engine) = await StartAsync();
        await using var _ = producer;
        await using var __ = beam;
        var follower = new EngineFollower(engine);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        var pivot = (string)(await ProduceAsync(producer, 0, 1))["branch"]![0]!;
        await RelayAsync(producer, follower, pivot, timeout.Token);

        // Two more blocks; only the second's payload comes. Its parent is fetched from the producer and executed, but
        // no fork choice named either: the head stays.
        var made = (await ProduceAsync(producer, 0, 2))["branch"]!.AsArray().Select(h => (string)h!).ToList();
        var call = (JsonObject)(await producer.CallAsync("beamsync_enginePayload", made[1]))!;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while ((string)(await engine.CallAsync((string)call["method"]!, call["params"]!.DeepClone().AsArray(), timeout.Token))!["status"]! != PayloadStatus.Valid)
            await Task.Delay(EngineFollower.RetryPause, timeout.Token);
        output.WriteLine($"payload of block {made[1][..10]} VALID after {clock.ElapsedMilliseconds} ms");
        Assert.NotNull(await beam.CallAsync("eth_getBlockByHash", made[0], false));
        await AssertHeadAsync(beam, producer, pivot);

        // Fork choice to the second: the head moves there.
        await ForkchoiceAsync(engine, made[1]);
        await AssertHeadAsync(beam, producer, made[1]);
    }

    /// <summary>A producer that makes blocks only when asked (one at its start) and a fresh beam node serving the engine API, without backfill.</summary>
    private Task<(LoopbackNode Producer, LoopbackNode Beam, EngineClient Engine)> StartAsync() =>
        EngineDrivenDevnet.StartAsync(EngineDrivenDevnet.Scaled with { BlockTime = TimeSpan.FromHours(1), Backfill = false }, Folder);

    private static async Task<JsonNode> ProduceAsync(LoopbackNode producer, int abandon, int count) =>
        (await producer.CallAsync("beamsync_produceBranch", abandon, count))!;

    /// <summary>The block's newPayload (asked again until VALID: a beam node may take longer than one call's budget) and fork choice to it.</summary>
    private async Task RelayAsync(LoopbackNode producer, EngineFollower follower, string hash, CancellationToken ct)
    {
        var call = (JsonObject)(await producer.CallAsync("beamsync_enginePayload", hash))!;
        var relayed = await follower.RelayAsync(call, ct);
        output.WriteLine($"block {relayed.Number} {hash[..10]}: first {relayed.FirstStatus}, VALID after {relayed.ToValid.TotalMilliseconds:0} ms");
    }

    private static async Task ForkchoiceAsync(EngineClient engine, string hash)
    {
        var state = new JsonObject { ["headBlockHash"] = hash, ["safeBlockHash"] = hash, ["finalizedBlockHash"] = hash };
        var answer = await engine.CallAsync("engine_forkchoiceUpdatedV3", [state], CancellationToken.None);
        Assert.Equal(PayloadStatus.Valid, (string)answer!["payloadStatus"]!["status"]!);
    }

    /// <summary>The beam node's latest block is <paramref name="hash"/>, by number too, with the producer's state root and fee recipient balance.</summary>
    private static async Task AssertHeadAsync(LoopbackNode beam, LoopbackNode producer, string hash)
    {
        var expected = (await producer.CallAsync("eth_getBlockByHash", hash, false))!;
        var latest = (await beam.CallAsync("eth_getBlockByNumber", "latest", false))!;
        Assert.Equal(hash, (string)latest["hash"]!);
        Assert.Equal((string)expected["stateRoot"]!, (string)latest["stateRoot"]!);
        Assert.Equal(hash, (string)(await beam.CallAsync("eth_getBlockByNumber", (string)expected["number"]!, false))!["hash"]!);
        string miner = (string)expected["miner"]!;
        Assert.Equal((string)(await producer.CallAsync("eth_getBalance", miner, hash))!, (string)(await beam.CallAsync("eth_getBalance", miner, "latest"))!);
    }

    private static async Task AssertTransactionsAsync(LoopbackNode node, IEnumerable<string> found, IEnumerable<string> missing)
    {
        foreach (var hash in found)
        {
            Assert.NotNull(await node.CallAsync("eth_getTransactionByHash", hash));
            Assert.NotNull(await node.CallAsync("eth_getTransactionReceipt", hash));
        }
        foreach (var hash in missing)
            foreach (var method in new[] { "eth_getTransactionByHash", "eth_getTransactionReceipt" })
            {
                // A beam node cannot tell a transaction it does not hold from one in history it has not backfilled: it says so instead of null.
                var response = JsonNode.Parse(await node.RawCallAsync(1, method, hash))!;
                Assert.True(response["result"] is null && (response["error"] is null || (int)response["error"]!["code"]! == RpcErrorCodes.HistoryNotLocal),
                    $"{method} {hash} of the abandoned branch: {response.ToJsonString()}");
            }
    }

    private static async Task<List<string>> TransactionHashesAsync(LoopbackNode node, string blockHash) =>
        (await node.CallAsync("eth_getBlockByHash", blockHash, false))!["transactions"]!.AsArray().Select(t => (string)t!).ToList();

    private static JsonNode NewPayload(DevnetState state, Block block, Dictionary<Hash256, byte[][]?> requests)
    {
        var call = EngineRpc.NewPayloadCall(state.Spec, block, requests[block.Hash]);
        return Request((string)call["method"]!, call["params"]!.DeepClone().AsArray());
    }

    private static JsonNode Request(string method, JsonArray parameters) =>
        new JsonObject { ["jsonrpc"] = "2.0", ["id"] = 1, ["method"] = method, ["params"] = parameters };

    private static JsonNode? Call(RpcDispatcher dispatcher, JsonNode request)
    {
        var response = JsonNode.Parse(Encoding.UTF8.GetString(dispatcher.Handle(Encoding.UTF8.GetBytes(request.ToJsonString()))!))!;
        if (response["error"] is { } error) throw new InvalidOperationException(error.ToJsonString());
        return response["result"];
    }

    private static void Choose(RpcDispatcher engine, Block head)
    {
        var hash = head.Hash.ToString();
        var state = new JsonObject { ["headBlockHash"] = hash, ["safeBlockHash"] = hash, ["finalizedBlockHash"] = hash };
        Assert.Equal(PayloadStatus.Valid, (string)Call(engine, Request("engine_forkchoiceUpdatedV3", [state]))!["payloadStatus"]!["status"]!);
    }

    /// <summary>The full node's head, its block by number, the fee recipient's balance and the transaction index all follow <paramref name="head"/>'s branch.</summary>
    private static void AssertFollows(RpcDispatcher eth, IKeyValueStore producerStore, Block head, IEnumerable<Transaction> onBranch, IEnumerable<Transaction> offBranch)
    {
        var latest = Call(eth, Request("eth_getBlockByNumber", ["latest", false]))!;
        Assert.Equal(head.Hash.ToString(), (string)latest["hash"]!);
        Assert.Equal(head.Header.StateRoot.ToString(), (string)latest["stateRoot"]!);
        Assert.Equal(head.Hash.ToString(), (string)Call(eth, Request("eth_getBlockByNumber", [LoopbackNode.Quantity(head.Number), false]))!["hash"]!);
        var recipient = head.Header.Coinbase;
        Assert.True(new TrieStateStore(producerStore, head.Header.StateRoot).TryGetAccount(recipient, out var account));
        Assert.Equal((string)RpcJson.Quantity(account.Balance)!, (string)Call(eth, Request("eth_getBalance", [recipient.ToString(), "latest"]))!);
        foreach (var tx in onBranch)
        {
            var found = Call(eth, Request("eth_getTransactionByHash", [tx.Hash.ToString()]));
            Assert.NotNull(found);
            Assert.NotNull(Call(eth, Request("eth_getTransactionReceipt", [tx.Hash.ToString()])));
        }
        foreach (var tx in offBranch)
        {
            Assert.Null(Call(eth, Request("eth_getTransactionByHash", [tx.Hash.ToString()])));
            Assert.Null(Call(eth, Request("eth_getTransactionReceipt", [tx.Hash.ToString()])));
        }
    }

    private string Folder(string name) => Directory.CreateDirectory(Path.Combine(_root, name)).FullName;

    public void Dispose()
    {
        try { Directory.Delete(_root, recursive: true); }
        catch (IOException) { }
    }
}
