using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using BeamSync.Cli.Devnet;

namespace BeamSync.Cli.Tests;

public sealed class NodeRpcClientTests
{
    /// <summary>Answers each POST with the canned result for its method and records the requests.</summary>
    private sealed class FakeNode(Dictionary<string, string> results) : HttpMessageHandler
    {
        public List<JsonObject> Requests { get; } = [];

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken ct)
        {
            var body = JsonNode.Parse(await request.Content!.ReadAsStringAsync(ct))!.AsObject();
            Requests.Add(body);
            var method = body["method"]!.GetValue<string>();
            var answer = results.TryGetValue(method, out var result)
                ? $"{{\"jsonrpc\":\"2.0\",\"id\":{body["id"]},\"result\":{result}}}"
                : $"{{\"jsonrpc\":\"2.0\",\"id\":{body["id"]},\"error\":{{\"code\":-32601,\"message\":\"the method {method} does not exist\"}}}}";
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent(answer, Encoding.UTF8, "application/json") };
        }
    }

    private static (NodeRpcClient, FakeNode) Client(Dictionary<string, string> results)
    {
        var fake = new FakeNode(results);
        return (new NodeRpcClient(new HttpClient(fake), new Uri("http://127.0.0.1:1/")), fake);
    }

    [Fact]
    public async Task Sync_stats_are_read_from_camel_case_json()
    {
        // Written by hand in the contract's shape (System.Text.Json camelCase), not produced by our serializer.
        const string stats = """
            {"mode":"beam","head":120,"executed":117,"executing":118,"pivot":101,"lag":2,"lagMean":1.5,"lagMax":6,
             "localStateNodesAtStart":0,"localStateNodes":5000,"localStateNodesAtFirstBlock":812,"timeToFirstVerifiedBlockMs":1460.25,
             "timeToFullNodeMs":null,"blocksExecuted":17,"pivots":1,"windowSlidesDuringBackfill":2,
             "nodesFetchedByKind":{"urgent":300,"backfill":4000},"bytesFetchedByKind":{"urgent":150000},
             "nodesFetchedByForm":{"path":4300},"bytesFetchedByForm":{},"nodesFetchedByPeer":{"BeamSync/ab12":4300},
             "shareFromBeamPeers":0.1,"roundTrips":77,"distinctNodesReceived":4300,"duplicateNodesReceived":4,"refetchedFraction":0.00093,
             "blocks":[{"number":117,"lag":2,"stalls":3,"stallMs":41.5,"availableToVerifiedMs":95.0,"executionMs":20.1,"nodesFetchedUrgent":12,"gasUsed":1500000}],
             "stallMsPerBlockMean":30.5,"stallMsPerBlockP95":70,"availableToVerifiedMsMean":88,"availableToVerifiedMsP95":140,
             "backfill":{"running":true,"paused":false,"complete":false,"fraction":0.31,"nodesStored":3900,"etaSeconds":42.5,"root":"0x01"},
             "finalStateRoot":null,"finalWalkAbsentNodes":null}
            """;
        var (client, fake) = Client(new() { ["beamsync_syncStats"] = stats });
        var s = await client.SyncStatsAsync(CancellationToken.None);
        Assert.Equal("beam", s.Mode);
        Assert.Equal(118UL, s.Executing);
        Assert.Equal(101UL, s.Pivot);
        Assert.Equal(1460.25, s.TimeToFirstVerifiedBlockMs);
        Assert.Null(s.TimeToFullNodeMs);
        Assert.Equal(4000, s.NodesFetchedByKind["backfill"]);
        Assert.Equal(3, s.Blocks[0].Stalls);
        Assert.Equal(41.5, s.Blocks[0].StallMs);
        Assert.Equal(0.31, s.Backfill.Fraction);
        Assert.Equal(42.5, s.Backfill.EtaSeconds);
        Assert.Equal("2.0", fake.Requests[0]["jsonrpc"]!.GetValue<string>());
        Assert.Equal("beamsync_syncStats", fake.Requests[0]["method"]!.GetValue<string>());
    }

    [Fact]
    public async Task Heads_block_numbers_and_counts_accept_hex_quantities_and_plain_numbers()
    {
        var (client, fake) = Client(new()
        {
            ["beamsync_waitForHead"] = """{"number":"0x1f","hash":"0xfeed"}""",
            ["eth_blockNumber"] = "\"0x2a\"",
            ["beamsync_stateNodeCount"] = "123456",
            ["admin_nodeInfo"] = """{"enode":"enode://ab@127.0.0.1:30303","name":"BeamSync"}""",
            ["eth_getBlockByNumber"] = """{"number":"0x5","hash":"0x55","stateRoot":"0xroot"}""",
        });
        Assert.Equal(new HeadInfo(31, "0xfeed"), await client.WaitForHeadAsync(30, TimeSpan.FromMilliseconds(100), CancellationToken.None));
        Assert.Null(await client.WaitForHeadAsync(31, TimeSpan.FromMilliseconds(100), CancellationToken.None)); // not above: a timed-out wait
        Assert.Equal(42UL, await client.BlockNumberAsync(CancellationToken.None));
        Assert.Equal(123_456, await client.StateNodeCountAsync("0xroot", CancellationToken.None));
        Assert.Equal("enode://ab@127.0.0.1:30303", await client.EnodeAsync(CancellationToken.None));
        Assert.Equal(("0x55", "0xroot"), await client.BlockAsync(5, CancellationToken.None));

        var waitParams = fake.Requests[0]["params"]!.AsArray();
        Assert.Equal(30, waitParams[0]!.GetValue<long>());
        Assert.Equal(100, waitParams[1]!.GetValue<long>());
        var blockParams = fake.Requests[^1]["params"]!.AsArray();
        Assert.Equal("0x5", blockParams[0]!.GetValue<string>());
        Assert.False(blockParams[1]!.GetValue<bool>());
    }

    [Fact]
    public async Task An_error_answer_is_a_typed_exception_naming_the_method()
    {
        var (client, _) = Client([]);
        var error = await Assert.ThrowsAsync<NodeRpcException>(() => client.NewHeadAsync("0x01", CancellationToken.None));
        Assert.Contains("beamsync_newHead", error.Message);
        Assert.Contains("does not exist", error.Message);
    }
}
