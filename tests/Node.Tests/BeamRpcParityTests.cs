using System.Diagnostics;
using System.Text.Json.Nodes;
using BeamSync.Core;
using BeamSync.Core.Crypto;
using BeamSync.Node.Devnet;
using BeamSync.Node.Options;
using Xunit.Abstractions;

namespace BeamSync.Node.Tests;

/// <summary>
/// A devnet producer and a fresh beam node in this process on loopback (devnet link model: 50 ms round trip, 2 MB/s
/// uplink). While the beam node's backfill is still running, both nodes are asked the same JSON-RPC calls at the
/// block the beam node has executed, and every answer must be the same bytes: the producer holds the whole state, so
/// its answers are the reference, and a beam node that answered from what it happened to have (0x0, "missing trie
/// node", null) would differ. Takes about 40 s.
/// </summary>
[Collection(LoopbackNodesCollection.Name)]
public sealed class BeamRpcParityTests(ITestOutputHelper output) : IDisposable
{
    private const ulong Seed = 11;
    // Large enough that the backfill (several MB at 2 MB/s) is still running when the calls are made.
    private const int Accounts = 25_000, Contracts = 200;
    private readonly string _root = Directory.CreateTempSubdirectory("beamsync-rpc-parity-").FullName;

    [Fact]
    public async Task A_beam_node_answers_state_and_history_queries_as_the_producer_does_before_its_backfill_is_done()
    {
        var clock = Stopwatch.StartNew();
        var common = new NodeOptions
        {
            DataDir = "", Port = 0, Seed = Seed, StateAccounts = Accounts, StateContracts = Contracts, TxsPerBlock = 60,
            BlockTime = TimeSpan.FromSeconds(1), StateWindow = NodeOptions.DevnetStateWindow, PivotLag = NodeOptions.DevnetStateWindow / 2,
            LatencyMs = NodeOptions.DevnetLatencyMs, BandwidthBytesPerSecond = NodeOptions.DevnetBandwidthBytesPerSecond,
        };
        // The producer serves 128 roots, not the devnet's 16: the calls ask at a block that stays put while it goes on
        // producing, and a slow machine must not see that block's state leave the window before the calls are done.
        await using var producer = await LoopbackNode.StartAsync(common with
        {
            DataDir = Folder("producer"), Dev = true, Port = LoopbackNode.FreePort(), StateWindow = NodeOptions.DefaultStateWindow,
        });
        var enode = (string)(await producer.CallAsync("admin_nodeInfo"))!["enode"]!;
        output.WriteLine($"producer up after {clock.Elapsed.TotalSeconds:0.0} s");
        await using var beam = await LoopbackNode.StartAsync(common with
        {
            DataDir = Folder("beam"), Network = NodeOptions.DevnetNetwork, Sync = SyncMode.Beam, Bootnodes = [enode],
        });
        using var relay = new CancellationTokenSource();
        var relaying = producer.RelayHeadsAsync(beam, relay.Token);

        // Wait for the beam node to have executed a few blocks, then stop handing it heads so its head stays put.
        var stats = await beam.WaitForStatsAsync(s => (long)s["blocksExecuted"]! >= 2, TimeSpan.FromSeconds(40));
        relay.Cancel();
        await relaying;
        stats = await beam.WaitForStatsAsync(s => s["executing"] is null, TimeSpan.FromSeconds(20));
        ulong executed = (ulong)stats["executed"]!;
        output.WriteLine($"beam node executed block {executed} after {clock.Elapsed.TotalSeconds:0.0} s; backfill {stats["backfill"]!.ToJsonString()}");
        AssertBackfillRunning(stats);

        // All at once, as a wallet or explorer would: the beam node's fetches for different calls overlap.
        var calls = Calls(executed, await BlockTransactions(producer, executed));
        var answers = await Task.WhenAll(calls.Select(async (call, id) =>
            (call, expected: await producer.RawCallAsync(id, call.Method, call.Parameters), actual: await beam.RawCallAsync(id, call.Method, call.Parameters))));
        foreach (var ((method, parameters), expected, actual) in answers)
        {
            Assert.True(expected == actual, $"{method}({JsonSerializerText(parameters)}):\n producer {Shorten(expected)}\n beam     {Shorten(actual)}");
            Assert.DoesNotContain("\"result\":null", expected);
        }

        stats = (await beam.CallAsync("beamsync_syncStats"))!;
        output.WriteLine($"{calls.Count} calls equal after {clock.Elapsed.TotalSeconds:0.0} s; backfill {stats["backfill"]!.ToJsonString()}");
        AssertBackfillRunning(stats);
    }

    /// <summary>The calls asked of both nodes at <paramref name="block"/>: random and absent accounts, contracts' code, slots and proofs, calls, gas estimates, blocks 0 and <paramref name="block"/>, the block's transactions and receipts.</summary>
    private static List<(string Method, object?[] Parameters)> Calls(ulong block, IReadOnlyList<string> transactions)
    {
        var random = new Random(5);
        string at = LoopbackNode.Quantity(block);
        var calls = new List<(string, object?[])>
        {
            ("eth_getBlockByNumber", ["0x0", false]),
            ("eth_getBlockByNumber", ["0x0", true]),
            ("eth_getBlockByNumber", [at, false]),
            ("eth_getBlockByNumber", [at, true]),
            ("eth_getBlockReceipts", [at]),
        };
        var accounts = Enumerable.Range(0, 12).Select(_ => Account(random.Next(Accounts))).ToList();
        accounts.Add(new Address(Keccak256.Hash("no such account"u8).Bytes[12..]).ToString());
        foreach (var account in accounts)
        {
            calls.Add(("eth_getBalance", [account, at]));
            calls.Add(("eth_getTransactionCount", [account, at]));
            calls.Add(("eth_getProof", [account, Array.Empty<string>(), at]));
        }
        // Contract kinds repeat every 5 (token, token, slot writer, slot writer, reverter); 2, 3, 7 and 8 are the large ones.
        foreach (int index in new[] { 0, 2, 3, 4, 7, 8, 10 + random.Next(Contracts - 10), 10 + random.Next(Contracts - 10) })
        {
            string contract = DevnetState.ContractAddress(Seed, index).ToString();
            string[] slots = [LoopbackNode.Quantity(0), LoopbackNode.Quantity(1), LoopbackNode.Quantity((ulong)random.Next(10_000)), "0x" + Convert.ToHexString(Keccak256.Hash([(byte)index]).Bytes).ToLowerInvariant()];
            calls.Add(("eth_getCode", [contract, at]));
            foreach (var slot in slots) calls.Add(("eth_getStorageAt", [contract, slot, at]));
            calls.Add(("eth_getProof", [contract, slots, at]));
        }
        string holder = accounts[0];
        string token = DevnetState.ContractAddress(Seed, 5).ToString();
        string slotWriter = DevnetState.ContractAddress(Seed, 7).ToString();
        string reverter = DevnetState.ContractAddress(Seed, 9).ToString();
        calls.Add(("eth_call", [new { to = token, input = Selector(DevnetContracts.BalanceOfSelector, holder) }, at]));
        calls.Add(("eth_call", [new { from = holder, to = slotWriter, input = Data(DevnetContracts.SlotWriterCall(100, 20)) }, at]));
        calls.Add(("eth_call", [new { from = holder, to = reverter, input = Data(DevnetContracts.ReverterCall(3)) }, at]));
        calls.Add(("eth_estimateGas", [new { from = holder, to = accounts[1], value = "0x1" }, at]));
        calls.Add(("eth_estimateGas", [new { from = holder, to = slotWriter, input = Data(DevnetContracts.SlotWriterCall(5, 10)) }, at]));
        calls.Add(("eth_estimateGas", [new { from = holder, to = token, input = Data(DevnetContracts.TransferCall(Address.Parse(accounts[2]), new UInt256(1))) }, at]));
        foreach (var hash in transactions.Take(12))
        {
            calls.Add(("eth_getTransactionByHash", [hash]));
            calls.Add(("eth_getTransactionReceipt", [hash]));
        }
        return calls;
    }

    private static async Task<IReadOnlyList<string>> BlockTransactions(LoopbackNode producer, ulong block)
    {
        var hashes = (await producer.CallAsync("eth_getBlockByNumber", LoopbackNode.Quantity(block), false))!["transactions"]!.AsArray();
        Assert.NotEmpty(hashes);
        return hashes.Select(h => (string)h!).ToList();
    }

    private static void AssertBackfillRunning(JsonNode stats)
    {
        Assert.Equal("beam", (string)stats["mode"]!);
        Assert.False((bool)stats["backfill"]!["complete"]!, "the backfill was complete: the calls did not test answers during Beam Sync");
    }

    private static string Account(int index) => DevnetAccounts.AddressOf(DevnetAccounts.PrivateKey(Seed, index)).ToString();
    private static string Data(byte[] bytes) => "0x" + Convert.ToHexString(bytes).ToLowerInvariant();
    private static string Selector(uint selector, string address) => $"0x{selector:x8}{new string('0', 24)}{address[2..]}";
    private static string JsonSerializerText(object?[] parameters) => System.Text.Json.JsonSerializer.Serialize(parameters);
    private static string Shorten(string text) => text.Length <= 600 ? text : text[..600] + "...";

    private string Folder(string name) => Directory.CreateDirectory(Path.Combine(_root, name)).FullName;

    public void Dispose()
    {
        try { Directory.Delete(_root, recursive: true); }
        catch (IOException) { }
    }
}
