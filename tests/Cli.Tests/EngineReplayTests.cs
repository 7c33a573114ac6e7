using System.Text.Json;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using BeamSync.Cli.Engine;
using BeamSync.Node;
using BeamSync.Node.Options;
using BeamSync.Rpc;
using BeamSync.Tests.Shared;
using Microsoft.Extensions.Logging.Abstractions;

namespace BeamSync.Cli.Tests;

/// <summary>
/// A fresh full node driven only through its engine API with geth's recorded calls for the geth-ethtest chain: every
/// answer as geth expects, and the head where geth's fork choice put it (block 600, the hash in shared/README.md).
/// About 25 s on the 2-core machine (600 blocks executed), so serial.
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed class EngineReplayTests
{
    private const string Chain = "chains/geth-ethtest";
    private const string Block600Hash = "0x44e3809c9a3cda717f00aea3a9da336d149612c8d5657fbc0028176ef8d94d2a";

    [FixtureFact(Chain)]
    public async Task Recorded_payloads_and_fork_choice_are_answered_as_geth_expects_and_the_head_is_block_600()
    {
        using var folder = new TempFolder();
        var options = NodeOptionsFor(folder.Path);
        using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        var node = BeamNode.RunAsync(options, NullLoggerFactory.Instance, stop.Token);
        try
        {
            using var http = new HttpClient();
            var secret = await WaitForSecretAsync(Path.Combine(folder.Path, "jwtsecret"));
            var engine = new Uri($"http://127.0.0.1:{options.AuthRpcPort}");
            await WaitForPortAsync(options.AuthRpcPort);

            var replay = new EngineReplay(http, engine, secret);
            var calls = EngineReplay.Load(TestFixtures.PathOf($"{Chain}/newpayload.json")).Concat(EngineReplay.Load(TestFixtures.PathOf($"{Chain}/headfcu.json"))).ToList();
            var outcome = await replay.RunAsync(calls, stop.Token);

            Assert.Empty(outcome.Mismatches);
            Assert.Equal(602, outcome.Calls);
            Assert.Equal(602, outcome.AsExpected);
            var head = await CallAsync(http, new Uri($"http://127.0.0.1:{options.HttpPort}"), "eth_getBlockByNumber", "[\"latest\",false]");
            Assert.Equal("0x258", head?["number"]?.GetValue<string>());
            Assert.Equal(Block600Hash, head?["hash"]?.GetValue<string>());
            var rpc = new Uri($"http://127.0.0.1:{options.HttpPort}");
            await AssertHeadStateAsync(http, rpc, head!);
            await AssertTransactionsAnsweredAsync(http, rpc);

            // A request without a token, or with one signed by another secret, is refused before anything runs.
            using var unsigned = await http.PostAsync(engine, Json("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"engine_exchangeCapabilities\",\"params\":[[]]}"));
            Assert.Equal(HttpStatusCode.Unauthorized, unsigned.StatusCode);
            var stranger = new EngineReplay(http, engine, new byte[JwtAuthenticator.SecretBytes]);
            var refused = await stranger.RunAsync(calls.TakeLast(1), stop.Token);
            Assert.Contains("HTTP 401", Assert.Single(refused.Mismatches));
        }
        finally
        {
            await stop.CancelAsync();
            await node;
        }
    }

    /// <summary>The node's state at the head is geth's dump (headstate.json): its root, and each account's balance and nonce read through RPC.</summary>
    private static async Task AssertHeadStateAsync(HttpClient http, Uri rpc, JsonNode head)
    {
        using var dump = JsonDocument.Parse(File.ReadAllBytes(TestFixtures.PathOf($"{Chain}/headstate.json")));
        Assert.Equal("0x" + dump.RootElement.GetProperty("root").GetString(), head["stateRoot"]!.GetValue<string>());
        foreach (var account in dump.RootElement.GetProperty("accounts").EnumerateObject())
        {
            var balance = await CallAsync(http, rpc, "eth_getBalance", $"[\"{account.Name}\",\"latest\"]");
            Assert.Equal(System.Numerics.BigInteger.Parse(account.Value.GetProperty("balance").GetString()!), System.Numerics.BigInteger.Parse("0" + balance!.GetValue<string>()[2..], System.Globalization.NumberStyles.HexNumber));
            var nonce = await CallAsync(http, rpc, "eth_getTransactionCount", $"[\"{account.Name}\",\"latest\"]");
            Assert.Equal(account.Value.GetProperty("nonce").GetUInt64(), Convert.ToUInt64(nonce!.GetValue<string>(), 16));
        }
    }

    /// <summary>Every transaction txinfo.json names is answered by eth_getTransactionByHash (in its block, at its index) and eth_getTransactionReceipt.</summary>
    private static async Task AssertTransactionsAnsweredAsync(HttpClient http, Uri rpc)
    {
        using var info = JsonDocument.Parse(File.ReadAllBytes(TestFixtures.PathOf($"{Chain}/txinfo.json")));
        var named = new List<(string Hash, string? Block, int? Index)>();
        void Collect(JsonElement e)
        {
            if (e.ValueKind == JsonValueKind.Array) foreach (var item in e.EnumerateArray()) Collect(item);
            if (e.ValueKind != JsonValueKind.Object) return;
            foreach (var property in e.EnumerateObject())
                if (property.Name is "txhash" or "authorizeTx")
                    named.Add((property.Value.GetString()!, e.TryGetProperty("block", out var b) ? b.GetString() : null,
                        e.TryGetProperty("indexInBlock", out var i) ? i.GetInt32() : null));
                else Collect(property.Value);
        }
        Collect(info.RootElement);
        Assert.NotEmpty(named);
        foreach (var (hash, block, index) in named)
        {
            var transaction = await CallAsync(http, rpc, "eth_getTransactionByHash", $"[\"{hash}\"]");
            Assert.True(transaction is not null, $"eth_getTransactionByHash {hash}: null");
            if (block is not null) Assert.Equal(Convert.ToUInt64(block, 16), Convert.ToUInt64(transaction!["blockNumber"]!.GetValue<string>(), 16));
            if (index is not null) Assert.Equal((ulong)index, Convert.ToUInt64(transaction!["transactionIndex"]!.GetValue<string>(), 16));
            var receipt = await CallAsync(http, rpc, "eth_getTransactionReceipt", $"[\"{hash}\"]");
            Assert.True(receipt is not null, $"eth_getTransactionReceipt {hash}: null");
            Assert.Equal(transaction!["blockHash"]!.GetValue<string>(), receipt!["blockHash"]!.GetValue<string>());
        }
    }

    private static NodeOptions NodeOptionsFor(string dataDir) => new()
    {
        DataDir = dataDir,
        GenesisFile = TestFixtures.PathOf($"{Chain}/genesis.json"),
        Sync = SyncMode.Full,
        Port = 0,
        MaxPeers = 0,
        Http = true,
        HttpPort = FreePort(),
        AuthRpc = true,
        AuthRpcPort = FreePort(),
        Backfill = false,
        // geth's recorded answers are synchronous verdicts: a block slowed past the default budget by a loaded machine
        // would be answered SYNCING, which is right for a consensus client but not what this replay checks.
        EnginePayloadBudget = TimeSpan.FromSeconds(60),
    };

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task<byte[]> WaitForSecretAsync(string path)
    {
        for (int i = 0; i < 300 && !File.Exists(path); i++) await Task.Delay(100);
        return JwtAuthenticator.ParseSecret(await File.ReadAllTextAsync(path), path);
    }

    private static async Task WaitForPortAsync(int port)
    {
        for (int i = 0; i < 300; i++)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException) { await Task.Delay(100); }
        }
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private static async Task<JsonNode?> CallAsync(HttpClient http, Uri url, string method, string parameters)
    {
        using var response = await http.PostAsync(url, Json($"{{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"{method}\",\"params\":{parameters}}}"));
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())?["result"];
    }
}
