namespace BeamSync.Rpc;

/// <summary>How the JSON-RPC server listens and what it accepts. Immutable once the server starts.</summary>
public sealed record RpcServerOptions
{
    /// <summary>The address to bind: loopback by default, so the node is not reachable from outside unless asked.</summary>
    public string Host { get; init; } = "127.0.0.1";

    /// <summary>The port; 0 binds a free one (read it back from <see cref="RpcServer.Port"/>).</summary>
    public int Port { get; init; } = 8545;

    /// <summary>Origins allowed by CORS; empty (the default) sends no CORS headers, so browsers refuse cross-origin calls.</summary>
    public IReadOnlyList<string> CorsOrigins { get; init; } = [];

    /// <summary>Largest request body, enforced by Kestrel before the body is buffered.</summary>
    public long MaxRequestBodyBytes { get; init; } = 5 * 1024 * 1024;

    public int MaxBatchSize { get; init; } = RpcDispatcher.DefaultMaxBatchSize;

    /// <summary>Dedicated handler threads (they may block on Beam Sync fetches).</summary>
    public int WorkerThreads { get; init; } = Math.Clamp(Environment.ProcessorCount, 2, 8);

    /// <summary>Requests waiting for a worker beyond which the server answers "busy" at once.</summary>
    public int WorkerQueueCapacity { get; init; } = 1024;

    /// <summary>
    /// HTTP requests being read, queued or run at once; more get 503 before their body is read, so a flood holds at
    /// most this many bodies: 256 × <see cref="MaxRequestBodyBytes"/> (5 MiB) = 1.25 GiB at worst.
    /// </summary>
    public int MaxConcurrentRequests { get; init; } = 256;
}

/// <summary>Where and how the engine API listens: its methods, the JWT secret, address and port. Immutable.</summary>
public sealed record EngineEndpoint(RpcMethods Methods, byte[] JwtSecret)
{
    public const string DefaultHost = "127.0.0.1";
    public const int DefaultPort = 8551;
    /// <summary>Engine calls are few and serialized on the chain; two threads let a bodies query run beside a payload.</summary>
    public const int WorkerThreads = 2;

    public string Host { get; init; } = DefaultHost;
    /// <summary>0 binds a free one (read it back from <see cref="RpcServer.EnginePort"/>).</summary>
    public int Port { get; init; } = DefaultPort;
    /// <summary>A payload at the EIP-7934 block size cap (10 MiB) is twice that in hex, with room for the envelope.</summary>
    public long MaxRequestBodyBytes { get; init; } = 32 * 1024 * 1024;

    /// <summary>
    /// Engine requests in flight at once (a consensus client sends a few); more get 503 before their body is read, so
    /// at most 8 × 32 MiB = 256 MiB of engine bodies are held.
    /// </summary>
    public int MaxConcurrentRequests { get; init; } = 8;
}
