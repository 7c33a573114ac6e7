using System.Net.WebSockets;
using Microsoft.AspNetCore.Http;

namespace BeamSync.Rpc;

// JSON-RPC over WebSocket: each text message is a call or a batch, answered in order, one at a time per connection
// (a client that sends faster than it is answered waits on its own socket: receive-side backpressure).
public sealed partial class RpcServer
{
    private async Task HandleWebSocketAsync(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }
        // Browsers do not apply CORS to WebSockets, so a page from anywhere could reach a loopback node: a browser's
        // Origin must be one of the configured origins (none by default). Non-browser clients send no Origin.
        var origin = context.Request.Headers.Origin.ToString();
        if (origin.Length > 0 && !_options.CorsOrigins.Contains(origin, StringComparer.OrdinalIgnoreCase))
        {
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            return;
        }
        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        var cancellation = context.RequestAborted;
        var buffer = new byte[16 * 1024];
        try
        {
            while (socket.State == WebSocketState.Open)
            {
                var message = await ReceiveMessageAsync(socket, buffer, cancellation);
                if (message is null) break;
                var work = _workers.TryRun(() => _dispatcher!.Handle(message));
                var response = work is null ? ErrorBody(RpcErrorCodes.LimitExceeded, "server busy: too many queued requests") : await work;
                if (response is not null) await socket.SendAsync(response, WebSocketMessageType.Text, true, cancellation);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
            // The client went away; nothing to answer.
        }
    }

    /// <summary>One whole message, or null when the client closed; a message above the body limit closes the socket.</summary>
    private async Task<byte[]?> ReceiveMessageAsync(WebSocket socket, byte[] buffer, CancellationToken cancellation)
    {
        using var message = new MemoryStream();
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer, cancellation);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, cancellation);
                return null;
            }
            if (message.Length + result.Count > _options.MaxRequestBodyBytes)
            {
                await socket.CloseAsync(WebSocketCloseStatus.MessageTooBig, $"message above {_options.MaxRequestBodyBytes} bytes", cancellation);
                return null;
            }
            message.Write(buffer, 0, result.Count);
            if (result.EndOfMessage) return message.ToArray();
        }
    }
}
