using System.Text;
using System.Text.Json.Nodes;

namespace BeamSync.Rpc.Tests;

/// <summary>JSON-RPC 2.0 framing and error codes, through the dispatcher and over HTTP.</summary>
public sealed class JsonRpcProtocolTests
{
    private static RpcMethods TestMethods() => new RpcMethods()
        .Add("test_echo", 1, p => p.Has(0) ? JsonValue.Create(p.Quantity(0)) : null)
        .Add("test_address", 1, p => RpcJson.Address(p.Address(0)))
        .Add("test_fault", 0, _ => throw new InvalidOperationException("boom"))
        .Add("test_revert", 0, _ => throw new RpcException(RpcErrorCodes.ExecutionReverted, "execution reverted", "0x1234"));

    private static JsonNode? Dispatch(string body, int maxBatch = 1000)
    {
        var response = new RpcDispatcher(TestMethods(), maxBatch).Handle(Encoding.UTF8.GetBytes(body));
        return response is null ? null : JsonNode.Parse(response);
    }

    private static int? ErrorCode(JsonNode? response) => response?["error"]?["code"]?.GetValue<int>();

    [Theory]
    [InlineData("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"test_echo\"", RpcErrorCodes.ParseError)]
    [InlineData("not json", RpcErrorCodes.ParseError)]
    [InlineData("{\"jsonrpc\":\"2.0\",\"id\":1}", RpcErrorCodes.InvalidRequest)]
    [InlineData("{\"jsonrpc\":\"1.0\",\"id\":1,\"method\":\"test_echo\"}", RpcErrorCodes.InvalidRequest)]
    [InlineData("{\"jsonrpc\":\"2.0\",\"id\":{},\"method\":\"test_echo\"}", RpcErrorCodes.InvalidRequest)]
    [InlineData("[]", RpcErrorCodes.InvalidRequest)]
    [InlineData("7", RpcErrorCodes.InvalidRequest)]
    [InlineData("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"eth_nope\"}", RpcErrorCodes.MethodNotFound)]
    [InlineData("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"test_echo\",\"params\":[\"0x1\",\"0x2\"]}", RpcErrorCodes.InvalidParams)]
    [InlineData("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"test_echo\",\"params\":[17]}", RpcErrorCodes.InvalidParams)]
    [InlineData("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"test_echo\",\"params\":[\"0x01\"]}", RpcErrorCodes.InvalidParams)]
    [InlineData("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"test_echo\",\"params\":{\"a\":1}}", RpcErrorCodes.InvalidParams)]
    [InlineData("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"test_address\",\"params\":[\"0x1234\"]}", RpcErrorCodes.InvalidParams)]
    [InlineData("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"test_address\",\"params\":[]}", RpcErrorCodes.InvalidParams)]
    [InlineData("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"test_fault\"}", RpcErrorCodes.Internal)]
    [InlineData("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"test_revert\"}", RpcErrorCodes.ExecutionReverted)]
    public void MalformedOrFailingCallsGetTheirErrorCode(string body, int code) => Assert.Equal(code, ErrorCode(Dispatch(body)));

    [Fact]
    public void ARevertCarriesItsDataAndTheRequestId()
    {
        var response = Dispatch("{\"jsonrpc\":\"2.0\",\"id\":\"abc\",\"method\":\"test_revert\"}")!;
        Assert.Equal("abc", response["id"]!.GetValue<string>());
        Assert.Equal("0x1234", response["error"]!["data"]!.GetValue<string>());
    }

    [Fact]
    public void ABatchAnswersEachCallInOrderAndSkipsNotifications()
    {
        var response = Dispatch("""
            [{"jsonrpc":"2.0","id":1,"method":"test_echo","params":["0x5"]},
             {"jsonrpc":"2.0","method":"test_echo","params":["0x6"]},
             5,
             {"jsonrpc":"2.0","id":3,"method":"eth_nope"}]
            """)!.AsArray();
        Assert.Equal(3, response.Count);
        Assert.Equal(5UL, response[0]!["result"]!.GetValue<ulong>());
        Assert.Equal(RpcErrorCodes.InvalidRequest, ErrorCode(response[1]));
        Assert.Equal(RpcErrorCodes.MethodNotFound, ErrorCode(response[2]));
        Assert.Equal(3, response[2]!["id"]!.GetValue<int>());
    }

    [Fact]
    public void ANotificationAloneGetsNoResponse() =>
        Assert.Null(Dispatch("{\"jsonrpc\":\"2.0\",\"method\":\"test_echo\",\"params\":[\"0x1\"]}"));

    [Fact]
    public void ABatchOverTheLimitIsRefusedWhole()
    {
        var calls = string.Join(",", Enumerable.Repeat("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"test_echo\"}", 11));
        var response = Dispatch($"[{calls}]", maxBatch: 10);
        Assert.IsType<JsonObject>(response);
        Assert.Equal(RpcErrorCodes.InvalidRequest, ErrorCode(response));
        Assert.IsType<JsonArray>(Dispatch($"[{calls}]", maxBatch: 11));
    }

    [Fact]
    public async Task OverHttpTheServerBindsAFreePortAndAnswersPost()
    {
        await using var server = await RpcTestServer.StartAsync(TestMethods());
        Assert.NotEqual(0, server.Server.Port);
        var response = await server.CallAsync("test_echo", "[\"0x2a\"]");
        Assert.Equal(42UL, response["result"]!.GetValue<ulong>());
    }

    [Fact]
    public async Task ABodyOverTheLimitIsRejectedWith413()
    {
        await using var server = await RpcTestServer.StartAsync(TestMethods(), new RpcServerOptions { MaxRequestBodyBytes = 64 * 1024 });
        var padding = new string(' ', 100 * 1024);
        var (status, body) = await server.PostAsync("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"test_echo\"}" + padding);
        Assert.Equal(413, status);
        Assert.Equal(RpcErrorCodes.InvalidRequest, ErrorCode(JsonNode.Parse(body)));
        // The server still serves afterwards.
        Assert.Equal(7UL, (await server.CallAsync("test_echo", "[\"0x7\"]"))["result"]!.GetValue<ulong>());
    }

    [Fact]
    public async Task AHugeBatchOverHttpIsRefusedWithOneError()
    {
        await using var server = await RpcTestServer.StartAsync(TestMethods());
        var calls = string.Join(",", Enumerable.Repeat("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"test_echo\"}", 1001));
        var (status, body) = await server.PostAsync($"[{calls}]");
        Assert.Equal(200, status);
        Assert.Equal(RpcErrorCodes.InvalidRequest, ErrorCode(JsonNode.Parse(body)));
    }

    [Fact]
    public async Task CorsIsOffByDefault()
    {
        await using var server = await RpcTestServer.StartAsync(TestMethods());
        using var request = new HttpRequestMessage(HttpMethod.Post, "")
        {
            Content = new StringContent("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"test_echo\"}", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("Origin", "http://evil.example");
        using var response = await server.Http.SendAsync(request);
        Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task AConfiguredOriginGetsCorsHeaders()
    {
        await using var server = await RpcTestServer.StartAsync(TestMethods(), new RpcServerOptions { CorsOrigins = ["http://app.example"] });
        using var request = new HttpRequestMessage(HttpMethod.Post, "")
        {
            Content = new StringContent("{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"test_echo\"}", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("Origin", "http://app.example");
        using var response = await server.Http.SendAsync(request);
        Assert.Equal("http://app.example", response.Headers.GetValues("Access-Control-Allow-Origin").Single());
    }
}
