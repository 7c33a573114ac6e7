using System.Text.Json.Nodes;
using BeamSync.Core;
using BeamSync.Core.Types;
using BeamSync.Db;
using BeamSync.Node.Devnet;
using BeamSync.Node.Options;
using BeamSync.Rpc;
using BeamSync.Rpc.Engine;
using static BeamSync.Node.Tests.DevnetTestSupport;

namespace BeamSync.Node.Tests;

/// <summary>
/// The devnet producer's built-in consensus driver: every block goes through the node's own engine API as a consensus
/// client drives it (forkchoiceUpdated with attributes, getPayload, newPayload, forkchoiceUpdated to the new block, in the
/// versions of the devnet's fork), with safe and finalized blocks below the head that the node then keeps.
/// </summary>
public class DevnetConsensusDriverTests
{
    /// <summary>Records each call's method and parameters before passing it on.</summary>
    private sealed class RecordingCaller(IEngineCaller inner) : IEngineCaller
    {
        public List<(string Method, JsonArray Params)> Calls { get; } = [];

        public JsonNode? Call(string method, JsonArray parameters)
        {
            Calls.Add((method, (JsonArray)parameters.DeepClone()));
            return inner.Call(method, parameters);
        }
    }

    [Fact]
    public void Every_block_is_made_by_fcu_with_attributes_get_payload_new_payload_and_fcu_naming_safe_and_finalized_below_the_head()
    {
        var state = DevnetState.Generate(Small() with { TransactionsPerBlock = 10 });
        using var store = new MemoryKeyValueStore();
        var producer = new DevnetProducer(state, store);
        var recorder = new RecordingCaller(new InProcessEngineCaller(producer.EngineMethods));
        producer.DriveThrough(recorder);

        for (int n = 1; n <= 4; n++)
        {
            recorder.Calls.Clear();
            var parent = producer.Head;
            var block = OnExecutionThread(producer.ProduceBlock).Block;

            // Prague: forkchoiceUpdatedV3, getPayloadV4, newPayloadV4.
            Assert.Equal(["engine_forkchoiceUpdatedV3", "engine_getPayloadV4", "engine_newPayloadV4", "engine_forkchoiceUpdatedV3"], recorder.Calls.Select(c => c.Method));
            var (building, payloadId, newPayload, choice) = (recorder.Calls[0].Params, recorder.Calls[1].Params, recorder.Calls[2].Params, recorder.Calls[3].Params);
            Assert.Equal(parent.Hash.ToString(), (string)building[0]!["headBlockHash"]!);
            var attributes = building[1]!;
            Assert.Equal(parent.Timestamp + 2, Convert.ToUInt64((string)attributes["timestamp"]!, 16));
            Assert.Equal(block.Header.MixHash.ToString(), (string)attributes["prevRandao"]!);
            Assert.Equal(block.Header.ParentBeaconBlockRoot.ToString(), (string)attributes["parentBeaconBlockRoot"]!);
            Assert.Single(attributes["withdrawals"]!.AsArray());
            Assert.StartsWith("0x", (string)payloadId[0]!);
            Assert.Equal(block.Hash.ToString(), (string)newPayload[0]!["blockHash"]!);
            Assert.Equal(block.Hash.ToString(), (string)choice[0]!["headBlockHash"]!);
            Assert.Equal(1, choice.Count); // no attributes: nothing is built on the new head until the next slot

            // Safe two blocks below the head, finalized the genesis this early; the node keeps both.
            var expectedSafe = producer.Chain.Store.GetCanonicalHash(DevnetFinality.SafeNumber(block.Number))!.Value;
            Assert.Equal(expectedSafe.ToString(), (string)choice[0]!["safeBlockHash"]!);
            Assert.Equal(producer.Chain.Store.GetCanonicalHash(0)!.Value.ToString(), (string)choice[0]!["finalizedBlockHash"]!);
            Assert.Equal(expectedSafe, producer.Chain.Store.SafeHash);
            Assert.Equal(producer.Chain.Store.GetCanonicalHash(0), producer.Chain.Store.FinalizedHash);
            Assert.Equal(block.Hash, producer.Head.Hash);
        }
    }

    [Fact]
    public void A_side_branch_is_built_through_the_engine_api_on_the_block_below_the_abandoned_one_and_safe_stays_on_the_new_branch()
    {
        var state = DevnetState.Generate(Small() with { TransactionsPerBlock = 10 });
        using var store = new MemoryKeyValueStore();
        var producer = new DevnetProducer(state, store);
        for (int i = 0; i < 4; i++) OnExecutionThread(producer.ProduceBlock);
        var recorder = new RecordingCaller(new InProcessEngineCaller(producer.EngineMethods));
        producer.DriveThrough(recorder);

        var (abandoned, branch) = OnExecutionThread(() => producer.ProduceBranch(abandon: 1, count: 2));

        Assert.Equal(8, recorder.Calls.Count);
        Assert.Equal(abandoned[0].Header.ParentHash.ToString(), (string)recorder.Calls[0].Params[0]!["headBlockHash"]!);
        Assert.Equal(branch[1].Block.Hash, producer.Head.Hash);
        var safe = producer.Chain.Store.SafeHash!.Value;
        Assert.Equal(branch[1].Block.Number - DevnetFinality.SafeDistance, producer.Chain.GetHeader(safe)!.Number);
        Assert.Equal(safe, producer.Chain.Store.GetCanonicalHash(branch[1].Block.Number - DevnetFinality.SafeDistance));
    }

    [Theory]
    [InlineData(0UL, 0UL, 0UL)]
    [InlineData(1UL, 0UL, 0UL)]
    [InlineData(2UL, 0UL, 0UL)]
    [InlineData(3UL, 1UL, 0UL)]
    [InlineData(95UL, 93UL, 0UL)]
    [InlineData(96UL, 94UL, 32UL)]
    [InlineData(130UL, 128UL, 64UL)]
    public void Safe_is_two_blocks_below_the_head_and_finalized_the_first_block_of_the_epoch_two_before_the_heads(ulong head, ulong safe, ulong finalized)
    {
        Assert.Equal(safe, DevnetFinality.SafeNumber(head));
        Assert.Equal(finalized, DevnetFinality.FinalizedNumber(head));
        Assert.True(DevnetFinality.FinalizedNumber(head) <= DevnetFinality.SafeNumber(head));
    }
}

/// <summary>
/// <c>beamsync run --dev</c> with an authenticated engine endpoint: its built-in consensus driver calls that endpoint over
/// HTTP with the JWT, builds from the node's transaction pool (so eth_sendRawTransaction's transactions go into blocks),
/// and eth_getBlockByNumber answers the safe and finalized blocks the driver named.
/// </summary>
[Collection(LoopbackNodesCollection.Name)]
public sealed class DevProducerOverAuthRpcTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("beamsync-dev-authrpc-").FullName;

    [Fact]
    public async Task The_dev_producer_drives_its_own_engine_endpoint_takes_sent_transactions_and_answers_safe_and_finalized()
    {
        var options = LoopbackNode.DevnetOptions(accounts: 2_000, contracts: 20, stateWindow: 16, pivotLag: 8) with
        {
            DataDir = _root, Dev = true, Port = LoopbackNode.FreePort(),
            AuthRpc = true, AuthRpcAddress = "127.0.0.1", AuthRpcPort = LoopbackNode.FreePort(), JwtSecretFile = Path.Combine(_root, "jwtsecret"),
        };
        await using var producer = await LoopbackNode.StartAsync(options);
        ulong chainId = Convert.ToUInt64((string)(await producer.CallAsync("eth_chainId"))!, 16);
        var key = DevnetAccounts.PrivateKey(options.Seed, 10);
        // The workload may send from the same account meanwhile: read its nonce, send, and try again if a workload
        // transaction took that nonce first.
        JsonNode? receipt = null;
        for (int attempt = 0; attempt < 3 && receipt is null; attempt++)
        {
            var sender = Transfer(chainId, 0).Sign(key).Sender;
            ulong nonce = Convert.ToUInt64((string)(await producer.CallAsync("eth_getTransactionCount", sender.ToString(), "latest"))!, 16);
            var transfer = Transfer(chainId, nonce).Sign(key);
            string hash = (string)(await producer.CallAsync("eth_sendRawTransaction", Hex.ToHex(transfer.EncodeCanonical())))!;
            var head = Convert.ToUInt64((string)(await producer.CallAsync("eth_blockNumber"))!, 16);
            await producer.CallAsync("beamsync_waitForHead", LoopbackNode.Quantity(head + 2), LoopbackNode.Quantity(30_000));
            receipt = await producer.CallAsync("eth_getTransactionReceipt", hash);
        }
        Assert.NotNull(receipt);
        Assert.Equal("0x1", (string)receipt!["status"]!);
        await producer.CallAsync("beamsync_waitForHead", LoopbackNode.Quantity(4), LoopbackNode.Quantity(30_000));

        var safe = (await producer.CallAsync("eth_getBlockByNumber", "safe", false))!;
        var latest = (await producer.CallAsync("eth_getBlockByNumber", "latest", false))!;
        var finalized = (await producer.CallAsync("eth_getBlockByNumber", "finalized", false))!;
        ulong safeNumber = Convert.ToUInt64((string)safe["number"]!, 16), latestNumber = Convert.ToUInt64((string)latest["number"]!, 16);
        Assert.InRange(safeNumber, 1UL, latestNumber - DevnetFinality.SafeDistance);
        Assert.Equal("0x0", (string)finalized["number"]!);
        // The safe block is on the head's chain.
        Assert.Equal((string)safe["hash"]!, (string)(await producer.CallAsync("eth_getBlockByNumber", LoopbackNode.Quantity(safeNumber), false))!["hash"]!);
    }

    /// <summary>A 2 gwei tip: above the workload's 1 gwei, so the pool puts it first in its block.</summary>
    private static Transaction Transfer(ulong chainId, ulong nonce) => new()
    {
        Type = TransactionType.DynamicFee, ChainId = new UInt256(chainId), Nonce = nonce, GasLimit = 21_000,
        To = Address.Parse("0x00000000000000000000000000000000000000ee"), Value = new UInt256(5),
        MaxFeePerGas = new UInt256(100_000_000_000), MaxPriorityFeePerGas = new UInt256(2_000_000_000),
    };

    public void Dispose()
    {
        try { Directory.Delete(_root, recursive: true); }
        catch (IOException) { }
    }
}
