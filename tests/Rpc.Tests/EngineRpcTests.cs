using System.Text;
using System.Text.Json.Nodes;
using BeamSync.Chain;
using BeamSync.Chain.Engine;
using BeamSync.Chain.Execution;
using BeamSync.Chain.Pool;
using BeamSync.Chain.Store;
using BeamSync.Core;
using BeamSync.Core.Specs;
using BeamSync.Core.Types;
using BeamSync.Db;
using BeamSync.Rpc.Engine;
using BeamSync.Tests.Shared;

namespace BeamSync.Rpc.Tests;

/// <summary>
/// The engine API's answers on geth's recorded geth-ethtest payloads (through the dispatcher, no HTTP): statuses,
/// fork choice, building, and the spec's errors for wrong hashes, roots, forks and shapes. Each test a few seconds.
/// </summary>
public sealed class EngineRpcTests
{
    private const string Chain = "chains/geth-ethtest";
    private readonly Blockchain _chain;
    private readonly RpcDispatcher _dispatcher;
    private readonly JsonArray _recorded;
    private readonly TransactionPool _pool = new();
    /// <summary>A key geth-ethtest's genesis funds (accounts.json).</summary>
    private static readonly byte[] FundedKey = Convert.FromHexString("bfcd0e032489319f4e5ca03e643b2025db624be6cf99cbfed90c4502e3754850");

    public EngineRpcTests()
    {
        if (!TestFixtures.TryLocate(Chain, out var dir)) { _chain = null!; _dispatcher = null!; _recorded = []; return; }
        var store = new MemoryKeyValueStore();
        _chain = new Blockchain(ChainSpec.Load(Path.Combine(dir, "genesis.json")), new BlockStore(store), new EvmStateFactory(store));
        _chain.InitializeGenesis();
        _dispatcher = new RpcDispatcher(new EngineRpc(_chain, _pool).Register(new RpcMethods()));
        _recorded = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "newpayload.json")))!.AsArray();
    }

    private JsonNode Call(string method, params JsonNode?[] parameters)
    {
        var request = new JsonObject { ["jsonrpc"] = "2.0", ["id"] = 1, ["method"] = method, ["params"] = new JsonArray(parameters) };
        return JsonNode.Parse(Encoding.UTF8.GetString(_dispatcher.Handle(Encoding.UTF8.GetBytes(request.ToJsonString()))!))!;
    }

    private JsonObject Payload(int number) => _recorded[number]!["params"]![0]!.DeepClone().AsObject();

    private JsonNode NewPayloadV2(JsonObject payload) => Call("engine_newPayloadV2", payload);

    private JsonNode Forkchoice(string head, JsonObject? attributes = null, string? finalized = null) =>
        Call("engine_forkchoiceUpdatedV2", new JsonObject { ["headBlockHash"] = head, ["safeBlockHash"] = head, ["finalizedBlockHash"] = finalized ?? head }, attributes);

    [FixtureFact(Chain)]
    public void A_payload_imports_without_moving_the_head_and_fork_choice_moves_it()
    {
        var genesis = _chain.Head!.Hash;
        var one = NewPayloadV2(Payload(1));
        Assert.Equal("VALID", one["result"]!["status"]!.GetValue<string>());
        Assert.Equal(Payload(1)["blockHash"]!.GetValue<string>(), one["result"]!["latestValidHash"]!.GetValue<string>());
        Assert.Equal(genesis, _chain.Head!.Hash);

        var fcu = Forkchoice(Payload(1)["blockHash"]!.GetValue<string>());
        Assert.Equal("VALID", fcu["result"]!["payloadStatus"]!["status"]!.GetValue<string>());
        Assert.Equal(1ul, _chain.Head!.Number);
        Assert.Equal(Hash256.Parse(Payload(1)["blockHash"]!.GetValue<string>()), _chain.Store.FinalizedHash);
    }

    [FixtureFact(Chain)]
    public void A_wrong_block_hash_is_invalid_with_no_latest_valid_hash()
    {
        var payload = Payload(1);
        payload["gasUsed"] = "0x1";
        var answer = NewPayloadV2(payload)["result"]!;
        Assert.Equal("INVALID", answer["status"]!.GetValue<string>());
        Assert.Null(answer["latestValidHash"]);
    }

    [FixtureFact(Chain)]
    public void Before_Shanghai_a_wrong_block_hash_is_INVALID_BLOCK_HASH_and_nothing_is_executed()
    {
        // The same chain with Shanghai never scheduled: its first block's payload is a V1 payload (no withdrawals).
        Assert.True(TestFixtures.TryLocate(Chain, out var dir));
        var genesis = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "genesis.json")))!.AsObject();
        var config = genesis["config"]!.AsObject();
        foreach (var later in new[] { "shanghaiTime", "cancunTime", "pragueTime", "osakaTime" }) config.Remove(later);
        var store = new MemoryKeyValueStore();
        var chain = new Blockchain(ChainSpec.Parse(genesis.ToJsonString()), new BlockStore(store), new EvmStateFactory(store));
        chain.InitializeGenesis();
        var dispatcher = new RpcDispatcher(new EngineRpc(chain, new TransactionPool()).Register(new RpcMethods()));
        var payload = Payload(1);
        payload.Remove("withdrawals");
        payload["gasUsed"] = "0x1";
        var request = new JsonObject { ["jsonrpc"] = "2.0", ["id"] = 1, ["method"] = "engine_newPayloadV1", ["params"] = new JsonArray(payload) };
        var answer = JsonNode.Parse(Encoding.UTF8.GetString(dispatcher.Handle(Encoding.UTF8.GetBytes(request.ToJsonString()))!))!["result"]!;
        Assert.Equal("INVALID_BLOCK_HASH", answer["status"]!.GetValue<string>());
        Assert.Null(answer["latestValidHash"]);
        Assert.False(chain.IsExecuted(Hash256.Parse(payload["blockHash"]!.GetValue<string>())));
        Assert.Equal(0ul, chain.Head!.Number);
    }

    [FixtureFact(Chain)]
    public void A_wrong_state_root_is_invalid_with_the_parent_as_latest_valid_and_the_head_never_moves_onto_it()
    {
        var payload = Payload(1);
        var parsed = EngineJson.ParsePayload(System.Text.Json.JsonDocument.Parse(payload.ToJsonString()).RootElement, EngineShape.V2, 0) with { StateRoot = Hash256.EmptyKeccak };
        var wrong = parsed with { BlockHash = parsed.ToUncheckedBlock(null, null).Hash };
        var answer = NewPayloadV2(EngineJson.FormatPayload(wrong, EngineShape.V2))["result"]!;
        Assert.Equal("INVALID", answer["status"]!.GetValue<string>());
        Assert.Equal(payload["parentHash"]!.GetValue<string>(), answer["latestValidHash"]!.GetValue<string>());

        var fcu = Forkchoice(RpcJson.Hash(wrong.BlockHash).GetValue<string>());
        Assert.Equal("INVALID", fcu["result"]!["payloadStatus"]!["status"]!.GetValue<string>());
        Assert.Equal(0ul, _chain.Head!.Number);
    }

    [FixtureFact(Chain)]
    public void An_unknown_parent_is_syncing_and_a_finalized_block_off_the_head_chain_is_an_invalid_forkchoice_state()
    {
        Assert.Equal("SYNCING", NewPayloadV2(Payload(3))["result"]!["status"]!.GetValue<string>());
        NewPayloadV2(Payload(1));
        var error = Forkchoice(Payload(1)["blockHash"]!.GetValue<string>(), finalized: Payload(3)["blockHash"]!.GetValue<string>())["error"]!;
        Assert.Equal(EngineErrorCodes.InvalidForkchoiceState, error["code"]!.GetValue<int>());
    }

    [FixtureFact(Chain)]
    public void Versions_and_shapes_are_checked_against_the_fork_of_the_timestamp()
    {
        // Block 1 is a Shanghai block: V1 cannot carry it, V3 is for Cancun.
        Assert.Equal(EngineErrorCodes.UnsupportedFork, Call("engine_newPayloadV1", Payload(1))["error"]!["code"]!.GetValue<int>());
        var noWithdrawals = Payload(1);
        noWithdrawals.Remove("withdrawals");
        Assert.Equal(RpcErrorCodes.InvalidParams, NewPayloadV2(noWithdrawals)["error"]!["code"]!.GetValue<int>());
        var longExtra = Payload(1);
        longExtra["extraData"] = "0x" + new string('a', 66);
        Assert.Equal(RpcErrorCodes.InvalidParams, NewPayloadV2(longExtra)["error"]!["code"]!.GetValue<int>());
        var shortHash = Payload(1);
        shortHash["stateRoot"] = "0x1234";
        Assert.Equal(RpcErrorCodes.InvalidParams, NewPayloadV2(shortHash)["error"]!["code"]!.GetValue<int>());
        var cancun = _recorded.First(c => c!["method"]!.GetValue<string>() == "engine_newPayloadV3")!["params"]!.DeepClone().AsArray();
        Assert.Equal(EngineErrorCodes.UnsupportedFork, Call("engine_newPayloadV4", [.. cancun.Select(p => p?.DeepClone()), new JsonArray()])["error"]!["code"]!.GetValue<int>());
    }

    [FixtureFact(Chain)]
    public void Fork_choice_with_attributes_builds_a_payload_that_imports_as_valid()
    {
        var genesis = RpcJson.Hash(_chain.Head!.Hash).GetValue<string>();
        var attributes = new JsonObject
        {
            ["timestamp"] = "0xa", ["prevRandao"] = RpcJson.Hash(Hash256.EmptyKeccak),
            ["suggestedFeeRecipient"] = "0x00000000000000000000000000000000000000ff", ["withdrawals"] = new JsonArray(),
        };
        var transfer = new Transaction
        {
            Type = TransactionType.DynamicFee, ChainId = _chain.Spec.ChainId, Nonce = 0, MaxPriorityFeePerGas = new UInt256(2),
            MaxFeePerGas = new UInt256(100_000_000_000), GasLimit = 21_000, To = new Address(new byte[20]), Value = new UInt256(1),
        }.Sign(FundedKey);
        Assert.Null(_pool.Submit(transfer));
        var id = Forkchoice(genesis, attributes)["result"]!["payloadId"]!.GetValue<string>();
        var built = Call("engine_getPayloadV2", id)["result"]!;
        Assert.Equal(RpcJson.Quantity(21_000 * 2).GetValue<string>(), built["blockValue"]!.GetValue<string>());
        var payload = built["executionPayload"]!.DeepClone().AsObject();
        Assert.Equal("0x1", payload["blockNumber"]!.GetValue<string>());
        Assert.Equal(Hex.ToHex(transfer.EncodeCanonical()), Assert.Single(payload["transactions"]!.AsArray())!.GetValue<string>());
        Assert.Equal("VALID", NewPayloadV2(payload)["result"]!["status"]!.GetValue<string>());
        Assert.Equal(0, _pool.Count);
        Assert.Equal(EngineErrorCodes.UnknownPayload, Call("engine_getPayloadV2", "0x0000000000000001")["error"]!["code"]!.GetValue<int>());
        var late = attributes.DeepClone().AsObject();
        late["timestamp"] = "0x0";
        Assert.Equal(EngineErrorCodes.InvalidPayloadAttributes, Forkchoice(genesis, late)["error"]!["code"]!.GetValue<int>());
    }

    [FixtureFact(Chain)]
    public void Bodies_by_range_stop_at_the_head_and_capabilities_list_every_version()
    {
        NewPayloadV2(Payload(1));
        Forkchoice(Payload(1)["blockHash"]!.GetValue<string>());
        var bodies = Call("engine_getPayloadBodiesByRangeV1", "0x1", "0x5")["result"]!.AsArray();
        Assert.Single(bodies);
        Assert.Equal(RpcErrorCodes.InvalidParams, Call("engine_getPayloadBodiesByRangeV1", "0x0", "0x1")["error"]!["code"]!.GetValue<int>());
        var capabilities = Call("engine_exchangeCapabilities", new JsonArray())["result"]!.AsArray().Select(n => n!.GetValue<string>()).ToList();
        Assert.Contains("engine_newPayloadV4", capabilities);
        Assert.Contains("engine_getPayloadV5", capabilities);
        Assert.Contains("engine_forkchoiceUpdatedV3", capabilities);
    }

    [Fact]
    public async Task A_token_is_accepted_only_with_the_secret_and_an_iat_within_60_seconds()
    {
        var secret = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();
        var jwt = new JwtAuthenticator(secret);
        var now = DateTimeOffset.UtcNow;
        Assert.Null(await jwt.RejectReasonAsync("Bearer " + JwtAuthenticator.CreateToken(secret, now.AddSeconds(-50)), now));
        Assert.Contains("stale", await jwt.RejectReasonAsync("Bearer " + JwtAuthenticator.CreateToken(secret, now.AddSeconds(-61)), now));
        Assert.Contains("stale", await jwt.RejectReasonAsync("Bearer " + JwtAuthenticator.CreateToken(secret, now.AddSeconds(61)), now));
        Assert.NotNull(await jwt.RejectReasonAsync("Bearer " + JwtAuthenticator.CreateToken(new byte[32], now), now));
        Assert.NotNull(await jwt.RejectReasonAsync(null, now));
    }
}
