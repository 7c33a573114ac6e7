using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using BeamSync.Chain;
using BeamSync.Chain.Execution;
using BeamSync.Chain.Store;
using BeamSync.Core;
using BeamSync.Core.Specs;
using BeamSync.Db;
using BeamSync.Rpc.Engine;
using BeamSync.Tests.Shared;

namespace BeamSync.Rpc.Tests;

/// <summary>
/// The engine API's guards over HTTP: a call without a token, with one signed by another secret, or with a stale
/// one gets 401 and executes nothing; an invalid payload never becomes the head, also after a restart on the same
/// store; a body over the engine's limit gets 413; a flood is admitted only up to the in-flight limit (503 beyond it,
/// before the body is read), so the bodies held stay bounded. On geth-ethtest's recorded payloads; a few seconds.
/// </summary>
public sealed class EngineSafetyTests
{
    private const string Chain = "chains/geth-ethtest";
    private static readonly byte[] Secret = [.. Enumerable.Range(1, JwtAuthenticator.SecretBytes).Select(i => (byte)i)];

    private static Blockchain OpenChain(string dir, IKeyValueStore store)
    {
        var chain = new Blockchain(ChainSpec.Load(Path.Combine(dir, "genesis.json")), new BlockStore(store), new EvmStateFactory(store));
        chain.InitializeGenesis();
        return chain;
    }

    private static JsonObject RecordedPayload(string dir, int number) =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "newpayload.json")))![number]!["params"]![0]!.DeepClone().AsObject();

    private static string Request(string method, params JsonNode?[] parameters) =>
        new JsonObject { ["jsonrpc"] = "2.0", ["id"] = 1, ["method"] = method, ["params"] = new JsonArray(parameters) }.ToJsonString();

    // expectContinue: the client holds the body back until the server asks for it, so a 413 that the server sends
    // without reading the body reaches the client as a response, not as a broken pipe while it is still writing.
    private static async Task<(HttpStatusCode Status, string Body)> PostAsync(HttpClient http, int port, string body, string? token, bool expectContinue = false)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"http://127.0.0.1:{port}/") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (expectContinue) request.Headers.ExpectContinue = true;
        using var response = await http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    [FixtureFact(Chain)]
    public async Task Calls_without_a_valid_fresh_token_get_401_and_execute_nothing()
    {
        TestFixtures.TryLocate(Chain, out var dir);
        var chain = OpenChain(dir, new MemoryKeyValueStore());
        await using var server = new RpcServer(null, new RpcServerOptions { Port = 0 },
            new EngineEndpoint(new EngineRpc(chain).Register(new RpcMethods()), Secret) { Port = 0, MaxRequestBodyBytes = 1024 * 1024 });
        await server.StartAsync();
        using var http = new HttpClient();
        var payload = RecordedPayload(dir, 1);
        var blockHash = Hash256.Parse(payload["blockHash"]!.GetValue<string>());
        var newPayload = Request("engine_newPayloadV2", payload);
        var now = DateTimeOffset.UtcNow;

        foreach (var token in new[] { null, "not-a-jwt", JwtAuthenticator.CreateToken(new byte[JwtAuthenticator.SecretBytes], now),
                     JwtAuthenticator.CreateToken(Secret, now.AddSeconds(-120)), JwtAuthenticator.CreateToken(Secret, now.AddSeconds(120)) })
        {
            var (status, _) = await PostAsync(http, server.EnginePort, newPayload, token);
            Assert.Equal(HttpStatusCode.Unauthorized, status);
        }
        Assert.False(chain.IsExecuted(blockHash));
        Assert.Null(chain.GetHeader(blockHash));

        var (okStatus, okBody) = await PostAsync(http, server.EnginePort, newPayload, JwtAuthenticator.CreateToken(Secret, DateTimeOffset.UtcNow));
        Assert.Equal(HttpStatusCode.OK, okStatus);
        Assert.Equal("VALID", JsonNode.Parse(okBody)!["result"]!["status"]!.GetValue<string>());
        Assert.True(chain.IsExecuted(blockHash));

        // A body over the engine's limit is refused before it is read, and the endpoint still serves.
        var huge = Request("engine_exchangeCapabilities", new JsonArray(JsonValue.Create(new string('x', 2 * 1024 * 1024))));
        var (hugeStatus, _) = await PostAsync(http, server.EnginePort, huge, JwtAuthenticator.CreateToken(Secret, DateTimeOffset.UtcNow), expectContinue: true);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, hugeStatus);
        var (afterStatus, _) = await PostAsync(http, server.EnginePort, Request("engine_exchangeCapabilities", new JsonArray()), JwtAuthenticator.CreateToken(Secret, DateTimeOffset.UtcNow));
        Assert.Equal(HttpStatusCode.OK, afterStatus);
    }

    [FixtureFact(Chain)]
    public void An_invalid_payload_never_becomes_the_head_also_after_a_restart()
    {
        TestFixtures.TryLocate(Chain, out var dir);
        var store = new MemoryKeyValueStore();
        var chain = OpenChain(dir, store);
        var genesis = chain.Head!.Hash;
        var parsed = EngineJson.ParsePayload(System.Text.Json.JsonDocument.Parse(RecordedPayload(dir, 1).ToJsonString()).RootElement, EngineShape.V2, 0)
            with { StateRoot = Hash256.EmptyKeccak };
        var wrong = parsed with { BlockHash = parsed.ToUncheckedBlock(null, null).Hash };
        var wrongHash = RpcJson.Hash(wrong.BlockHash);

        JsonNode Call(Blockchain on, string method, params JsonNode?[] parameters) =>
            JsonNode.Parse(new RpcDispatcher(new EngineRpc(on).Register(new RpcMethods())).Handle(Encoding.UTF8.GetBytes(Request(method, parameters)))!)!;
        JsonObject State(JsonNode head) => new() { ["headBlockHash"] = head.DeepClone(), ["safeBlockHash"] = head.DeepClone(), ["finalizedBlockHash"] = RpcJson.Hash(genesis) };

        var answer = Call(chain, "engine_newPayloadV2", EngineJson.FormatPayload(wrong, EngineShape.V2))["result"]!;
        Assert.Equal("INVALID", answer["status"]!.GetValue<string>());
        Assert.Equal(RpcJson.Hash(genesis).GetValue<string>(), answer["latestValidHash"]!.GetValue<string>());

        // A restart: a new chain and engine over the same store, which forgot the in-memory list of invalid blocks.
        var restarted = OpenChain(dir, store);
        Assert.Equal(genesis, restarted.Head!.Hash);
        var status = Call(restarted, "engine_forkchoiceUpdatedV2", State(wrongHash))["result"]!["payloadStatus"]!["status"]!.GetValue<string>();
        Assert.NotEqual("VALID", status);
        Assert.Equal(genesis, restarted.Head!.Hash);
        Assert.False(restarted.IsExecuted(wrong.BlockHash));
        // Sent again, it is executed again and found invalid again.
        Assert.Equal("INVALID", Call(restarted, "engine_newPayloadV2", EngineJson.FormatPayload(wrong, EngineShape.V2))["result"]!["status"]!.GetValue<string>());
        Assert.Equal(genesis, restarted.Head!.Hash);
    }

    [Fact]
    public async Task A_flood_is_admitted_only_up_to_the_in_flight_limit_and_the_rest_is_refused_at_once()
    {
        const int limit = 4, flood = 24;
        using var release = new ManualResetEventSlim();
        int admitted = 0;
        var methods = new RpcMethods().Add("test_wait", 0, _ =>
        {
            Interlocked.Increment(ref admitted);
            release.Wait(TimeSpan.FromSeconds(30));
            return JsonValue.Create(1);
        });
        await using var server = new RpcServer(null, new RpcServerOptions { Port = 0 },
            new EngineEndpoint(methods, Secret) { Port = 0, MaxConcurrentRequests = limit });
        await server.StartAsync();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
        var calls = Enumerable.Range(0, flood)
            .Select(_ => PostAsync(http, server.EnginePort, Request("test_wait"), JwtAuthenticator.CreateToken(Secret, DateTimeOffset.UtcNow)))
            .ToList();

        // Every call over the limit is answered 503 while the admitted ones still wait.
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (calls.Count(c => c.IsCompleted) < flood - limit && DateTime.UtcNow < deadline) await Task.Delay(20);
        var refused = calls.Where(c => c.IsCompleted).Select(c => c.Result).ToList();
        Assert.Equal(flood - limit, refused.Count);
        Assert.All(refused, r => Assert.Equal(HttpStatusCode.ServiceUnavailable, r.Status));
        Assert.True(admitted <= limit, $"{admitted} calls ran, at most {limit} may be in flight");

        release.Set();
        var answered = await Task.WhenAll(calls);
        Assert.Equal(limit, answered.Count(r => r.Status == HttpStatusCode.OK));
        Assert.Equal(HttpStatusCode.OK, (await PostAsync(http, server.EnginePort, Request("test_wait"), JwtAuthenticator.CreateToken(Secret, DateTimeOffset.UtcNow))).Status);
    }
}
