using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace BeamSync.Rpc;

/// <summary>
/// The JSON-RPC endpoint on Kestrel: HTTP POST of a single call or a batch to "/", or the same messages over a
/// WebSocket opened with GET "/" (see RpcServer.WebSocket.cs). Kestrel bounds the request body
/// (<see cref="RpcServerOptions.MaxRequestBodyBytes"/>, 413 beyond it); handlers run on an <see cref="RpcWorkerPool"/>
/// so blocking state reads never hold the I/O threads. Start once with <see cref="StartAsync"/>, stop with
/// <see cref="DisposeAsync"/>. Thread-safe.
/// </summary>
public sealed partial class RpcServer : IAsyncDisposable
{
    private readonly RpcDispatcher _dispatcher;
    private readonly RpcServerOptions _options;
    private readonly RpcWorkerPool _workers;
    private WebApplication? _app;

    public RpcServer(RpcMethods methods, RpcServerOptions? options = null)
    {
        _options = options ?? new RpcServerOptions();
        _dispatcher = new RpcDispatcher(methods, _options.MaxBatchSize);
        _workers = new RpcWorkerPool(_options.WorkerThreads, _options.WorkerQueueCapacity);
    }

    /// <summary>The bound port (the chosen one when <see cref="RpcServerOptions.Port"/> was 0); 0 before start.</summary>
    public int Port { get; private set; }

    public RpcWorkerPool Workers => _workers;

    public async Task StartAsync(CancellationToken cancellation = default)
    {
        if (_app is not null) throw new InvalidOperationException("the RPC server is already started");
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Limits.MaxRequestBodySize = _options.MaxRequestBodyBytes;
            kestrel.AddServerHeader = false;
            kestrel.Listen(IPAddress.Parse(_options.Host), _options.Port);
        });
        bool cors = _options.CorsOrigins.Count > 0;
        if (cors)
            builder.Services.AddCors(c => c.AddDefaultPolicy(p =>
                p.WithOrigins([.. _options.CorsOrigins]).WithMethods("POST").AllowAnyHeader()));
        var app = builder.Build();
        if (cors) app.UseCors();
        app.UseWebSockets();
        app.MapPost("/", HandleAsync);
        app.MapGet("/", HandleWebSocketAsync);
        await app.StartAsync(cancellation);
        _app = app;
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Port = new Uri(address).Port;
    }

    private async Task HandleAsync(HttpContext context)
    {
        byte[] body;
        try
        {
            body = await ReadBodyAsync(context.Request, context.RequestAborted);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            await WriteAsync(context, StatusCodes.Status413PayloadTooLarge, ErrorBody(RpcErrorCodes.InvalidRequest,
                $"request body too large: at most {_options.MaxRequestBodyBytes} bytes"));
            return;
        }
        var work = _workers.TryRun(() => _dispatcher.Handle(body));
        if (work is null)
        {
            await WriteAsync(context, StatusCodes.Status503ServiceUnavailable, ErrorBody(RpcErrorCodes.LimitExceeded, "server busy: too many queued requests"));
            return;
        }
        var response = await work;
        await WriteAsync(context, StatusCodes.Status200OK, response ?? []);
    }

    /// <summary>The whole body; Kestrel throws a 413 <see cref="BadHttpRequestException"/> past the limit, so this stays bounded.</summary>
    private static async Task<byte[]> ReadBodyAsync(HttpRequest request, CancellationToken cancellation)
    {
        using var buffer = new MemoryStream(request.ContentLength is > 0 and < 1 << 20 ? (int)request.ContentLength : 4096);
        await request.Body.CopyToAsync(buffer, cancellation);
        return buffer.ToArray();
    }

    private static byte[] ErrorBody(int code, string message) =>
        System.Text.Encoding.UTF8.GetBytes(
            $"{{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{{\"code\":{code},\"message\":{System.Text.Json.JsonSerializer.Serialize(message)}}}}}");

    private static async Task WriteAsync(HttpContext context, int status, byte[] body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        context.Response.ContentLength = body.Length;
        await context.Response.Body.WriteAsync(body, context.RequestAborted);
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
            _app = null;
        }
        _workers.Dispose();
    }
}
