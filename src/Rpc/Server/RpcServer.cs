using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace BeamSync.Rpc;

/// <summary>
/// The JSON-RPC endpoint on Kestrel: HTTP POST of a single call or a batch to "/", or the same messages over a
/// WebSocket opened with GET "/" (see RpcServer.WebSocket.cs). Kestrel bounds the request body
/// (<see cref="RpcServerOptions.MaxRequestBodyBytes"/>, 413 beyond it); handlers run on an <see cref="RpcWorkerPool"/>
/// so blocking state reads never hold the I/O threads. Start once with <see cref="StartAsync"/>, stop with
/// <see cref="DisposeAsync"/>. Thread-safe. Each endpoint admits a bounded number of requests at once (503 beyond it,
/// before the body is read), so a flood holds at most that many bodies.
/// The engine API, when given an <see cref="EngineEndpoint"/>, listens on the same host at its own address and port:
/// POST only, every request authenticated by <see cref="JwtAuthenticator"/> (401 and nothing run otherwise), its own
/// methods, dispatcher and workers, so public load never delays the consensus layer.
/// </summary>
public sealed partial class RpcServer : IAsyncDisposable
{
    private const string EngineConnectionKey = "beamsync.engine";
    private readonly RpcDispatcher? _dispatcher;
    private readonly RpcServerOptions _options;
    private readonly RpcWorkerPool _workers;
    private readonly EngineEndpoint? _engine;
    private readonly RpcDispatcher? _engineDispatcher;
    private readonly RpcWorkerPool? _engineWorkers;
    private readonly JwtAuthenticator? _jwt;
    private readonly SemaphoreSlim _inFlight;
    private readonly SemaphoreSlim? _engineInFlight;
    private WebApplication? _app;

    /// <param name="methods">The public JSON-RPC methods, or null to serve only the engine API.</param>
    public RpcServer(RpcMethods? methods, RpcServerOptions? options = null, EngineEndpoint? engine = null)
    {
        if (methods is null && engine is null) throw new ArgumentException("an RPC server serves public methods, the engine API or both");
        _options = options ?? new RpcServerOptions();
        if (methods is not null) _dispatcher = new RpcDispatcher(methods, _options.MaxBatchSize);
        _workers = new RpcWorkerPool(_options.WorkerThreads, _options.WorkerQueueCapacity);
        _inFlight = new SemaphoreSlim(_options.MaxConcurrentRequests);
        if (engine is not null)
        {
            _engineInFlight = new SemaphoreSlim(engine.MaxConcurrentRequests);
            _engine = engine;
            _engineDispatcher = new RpcDispatcher(engine.Methods, _options.MaxBatchSize);
            _engineWorkers = new RpcWorkerPool(EngineEndpoint.WorkerThreads, _options.WorkerQueueCapacity);
            _jwt = new JwtAuthenticator(engine.JwtSecret);
        }
    }

    /// <summary>The bound port (the chosen one when <see cref="RpcServerOptions.Port"/> was 0); 0 before start or without public methods.</summary>
    public int Port { get; private set; }

    /// <summary>The engine API's bound port; 0 before start or without an engine endpoint.</summary>
    public int EnginePort { get; private set; }

    public RpcWorkerPool Workers => _workers;

    public async Task StartAsync(CancellationToken cancellation = default)
    {
        if (_app is not null) throw new InvalidOperationException("the RPC server is already started");
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        Microsoft.AspNetCore.Server.Kestrel.Core.ListenOptions? publicListen = null, engineListen = null;
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Limits.MaxRequestBodySize = Math.Max(_options.MaxRequestBodyBytes, _engine?.MaxRequestBodyBytes ?? 0);
            kestrel.AddServerHeader = false;
            if (_dispatcher is not null) kestrel.Listen(IPAddress.Parse(_options.Host), _options.Port, listen => publicListen = listen);
            if (_engine is not null)
                kestrel.Listen(IPAddress.Parse(_engine.Host), _engine.Port, listen =>
                {
                    engineListen = listen;
                    // Tags the connection, so a request knows it came in on the engine port whatever ports were bound.
                    listen.Use(next => connection =>
                    {
                        connection.Items[EngineConnectionKey] = true;
                        return next(connection);
                    });
                });
        });
        bool cors = _options.CorsOrigins.Count > 0;
        if (cors)
            builder.Services.AddCors(c => c.AddDefaultPolicy(p =>
                p.WithOrigins([.. _options.CorsOrigins]).WithMethods("POST").AllowAnyHeader()));
        var app = builder.Build();
        if (cors) app.UseCors();
        app.UseWebSockets();
        app.MapPost("/", context => IsEngineConnection(context) ? HandleEngineAsync(context) : HandleAsync(context, _dispatcher!, _workers, _inFlight, _options.MaxRequestBodyBytes));
        app.MapGet("/", context =>
        {
            if (!IsEngineConnection(context)) return HandleWebSocketAsync(context);
            context.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            return Task.CompletedTask;
        });
        await app.StartAsync(cancellation);
        _app = app;
        Port = publicListen?.IPEndPoint?.Port ?? 0;
        EnginePort = engineListen?.IPEndPoint?.Port ?? 0;
    }

    private static bool IsEngineConnection(HttpContext context) =>
        context.Features.Get<IConnectionItemsFeature>()?.Items.ContainsKey(EngineConnectionKey) == true;

    private async Task HandleEngineAsync(HttpContext context)
    {
        if (await _jwt!.RejectReasonAsync(context.Request.Headers.Authorization.ToString() is { Length: > 0 } a ? a : null, DateTimeOffset.UtcNow) is { } reason)
        {
            await WriteAsync(context, StatusCodes.Status401Unauthorized, ErrorBody(RpcErrorCodes.InvalidRequest, $"unauthorized: {reason}"));
            return;
        }
        await HandleAsync(context, _engineDispatcher!, _engineWorkers!, _engineInFlight!, _engine!.MaxRequestBodyBytes);
    }

    /// <summary>Reads, runs and answers one request, unless <paramref name="inFlight"/> is exhausted: then 503 at once.</summary>
    private async Task HandleAsync(HttpContext context, RpcDispatcher dispatcher, RpcWorkerPool workers, SemaphoreSlim inFlight, long maxBodyBytes)
    {
        if (!inFlight.Wait(0))
        {
            await WriteAsync(context, StatusCodes.Status503ServiceUnavailable, ErrorBody(RpcErrorCodes.LimitExceeded, "server busy: too many requests in flight"));
            return;
        }
        try { await HandleAdmittedAsync(context, dispatcher, workers, maxBodyBytes); }
        finally { inFlight.Release(); }
    }

    private async Task HandleAdmittedAsync(HttpContext context, RpcDispatcher dispatcher, RpcWorkerPool workers, long maxBodyBytes)
    {
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit) limit.MaxRequestBodySize = maxBodyBytes;
        byte[] body;
        try
        {
            body = await ReadBodyAsync(context.Request, context.RequestAborted);
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            await WriteAsync(context, StatusCodes.Status413PayloadTooLarge, ErrorBody(RpcErrorCodes.InvalidRequest,
                $"request body too large: at most {maxBodyBytes} bytes"));
            return;
        }
        var work = workers.TryRun(() => dispatcher.Handle(body));
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
        _engineWorkers?.Dispose();
        _inFlight.Dispose();
        _engineInFlight?.Dispose();
    }
}
