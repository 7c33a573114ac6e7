using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;

namespace BeamSync.Rpc.Tests;

public sealed class WebSocketTests
{
    private static RpcMethods Methods() => new RpcMethods().Add("test_echo", 1, p => p.String(0));

    private static async Task<ClientWebSocket> ConnectAsync(RpcTestServer server)
    {
        var socket = new ClientWebSocket();
        await socket.ConnectAsync(new Uri($"ws://127.0.0.1:{server.Server.Port}/"), CancellationToken.None);
        return socket;
    }

    private static async Task<WebSocketReceiveResult> ReceiveAsync(ClientWebSocket socket, byte[] buffer)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        return await socket.ReceiveAsync(buffer, timeout.Token);
    }

    [Fact]
    public async Task CallsAndBatchesAreAnsweredInOrderOnOneSocket()
    {
        await using var server = await RpcTestServer.StartAsync(Methods());
        using var socket = await ConnectAsync(server);
        var buffer = new byte[4096];
        foreach (var word in new[] { "one", "two" })
        {
            await socket.SendAsync(Encoding.UTF8.GetBytes($"{{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"test_echo\",\"params\":[\"{word}\"]}}"),
                WebSocketMessageType.Text, true, CancellationToken.None);
            var received = await ReceiveAsync(socket, buffer);
            Assert.Equal(word, JsonNode.Parse(buffer.AsSpan(0, received.Count).ToArray())!["result"]!.GetValue<string>());
        }
        await socket.SendAsync("[{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"nope\"},{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"test_echo\",\"params\":[\"x\"]}]"u8.ToArray(),
            WebSocketMessageType.Text, true, CancellationToken.None);
        var batch = await ReceiveAsync(socket, buffer);
        var responses = JsonNode.Parse(buffer.AsSpan(0, batch.Count).ToArray())!.AsArray();
        Assert.Equal(RpcErrorCodes.MethodNotFound, responses[0]!["error"]!["code"]!.GetValue<int>());
        Assert.Equal("x", responses[1]!["result"]!.GetValue<string>());
    }

    [Fact]
    public async Task ABrowserFromAnUnlistedOriginCannotOpenASocket()
    {
        await using var server = await RpcTestServer.StartAsync(Methods());
        using var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Origin", "http://evil.example");
        await Assert.ThrowsAsync<WebSocketException>(() =>
            socket.ConnectAsync(new Uri($"ws://127.0.0.1:{server.Server.Port}/"), CancellationToken.None));
    }

    [Fact]
    public async Task AMessageAboveTheLimitClosesTheSocket()
    {
        await using var server = await RpcTestServer.StartAsync(Methods(), new RpcServerOptions { MaxRequestBodyBytes = 32 * 1024 });
        using var socket = await ConnectAsync(server);
        await socket.SendAsync(new byte[64 * 1024], WebSocketMessageType.Text, true, CancellationToken.None);
        var result = await ReceiveAsync(socket, new byte[1024]);
        Assert.Equal(WebSocketMessageType.Close, result.MessageType);
        Assert.Equal(WebSocketCloseStatus.MessageTooBig, result.CloseStatus);
    }
}
