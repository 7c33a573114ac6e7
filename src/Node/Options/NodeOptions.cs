using Microsoft.Extensions.Logging;

namespace BeamSync.Node.Options;

/// <summary>How a node gets its state: Beam Sync (execute at the head, fetch on demand, backfill) or a full node.</summary>
public enum SyncMode { Beam, Full }

/// <summary>
/// Which wire forms the node offers for state. <c>All</c>: snap/1 and snap/2 (by path on snap/1, by key on both),
/// nodedata/1 by hash, wit/0. <c>Modern</c>, as today's peers serve: eth/68 and eth/69, snap/2 only (ranges by key,
/// no trie nodes by path), no by-hash capability, no wit (eth/66 is offered too, without GetNodeData answers, only so
/// that a legacy-only node can exchange blocks with it; a peer that speaks eth/68 or later negotiates that).
/// <c>Legacy</c>, as peers before eth/67 served: eth/66 only (by hash through GetNodeData, no nodedata/1), snap/1 only
/// (trie nodes by path, ranges by key), wit/0.
/// </summary>
public enum ServeMode { All, Modern, Legacy }

/// <summary>Size preset of the devnet producer's generated state.</summary>
public enum StateSize { Small, Large }

/// <summary>
/// Every option of <c>beamsync run</c>, resolved: defaults that depend on other options (latency and bandwidth under
/// <c>--dev</c>, the pivot lag from the state window, accounts from the state size) are already applied. Immutable.
/// </summary>
public sealed record NodeOptions
{
    public const int DefaultPort = 30303;
    public const int DefaultMaxPeers = 25;
    public const string DefaultHttpAddress = "127.0.0.1";
    public const int DefaultHttpPort = 8545;
    public const int DefaultAuthRpcPort = 8551;
    public const int DefaultTxsPerBlock = 150;
    public const int DefaultStateAccounts = 100_000;
    public const int LargeStateAccounts = 1_000_000;
    public const int DefaultStateContracts = 2_000;
    public const int DefaultStateWindow = 128;
    /// <summary>The node cache's default budget in MB: the upper trie levels and the hot accounts of a devnet-sized state, with room for several nodes on one machine.</summary>
    public const int DefaultCacheMb = 256;
    public const int DevnetStateWindow = 16;
    /// <summary>Round trip on a devnet link: 25 ms each way.</summary>
    public const int DevnetLatencyMs = 50;
    /// <summary>A devnet node's total uplink: 2 MB/s.</summary>
    public const long DevnetBandwidthBytesPerSecond = 2_000_000;
    public static readonly TimeSpan DefaultBlockTime = TimeSpan.FromSeconds(2);

    /// <summary>
    /// The <see cref="Network"/> of a node joining a devnet producer: the producer's chain (spec, and the genesis that
    /// <see cref="Seed"/> and the state options define) without building its state. Latency and bandwidth default to
    /// the devnet's, as under <see cref="Dev"/>.
    /// </summary>
    public const string DevnetNetwork = "devnet";

    public required string DataDir { get; init; }
    /// <summary>A geth-style genesis file, or null when <see cref="Network"/> names a known network (or under --dev).</summary>
    public string? GenesisFile { get; init; }
    /// <summary>mainnet, sepolia, hoodi or <see cref="DevnetNetwork"/>; null when <see cref="GenesisFile"/> is given or under --dev.</summary>
    public string? Network { get; init; }
    public int Port { get; init; } = DefaultPort;
    /// <summary>enode URLs dialled and kept as static peers.</summary>
    public IReadOnlyList<string> Bootnodes { get; init; } = [];
    public SyncMode Sync { get; init; } = SyncMode.Beam;
    public int MaxPeers { get; init; } = DefaultMaxPeers;

    public bool Http { get; init; }
    public string HttpAddress { get; init; } = DefaultHttpAddress;
    public int HttpPort { get; init; } = DefaultHttpPort;
    /// <summary>Serve the engine API (a consensus client drives the head); off unless asked, so devnet nodes on one machine do not fight over its port.</summary>
    public bool AuthRpc { get; init; }
    public string AuthRpcAddress { get; init; } = DefaultHttpAddress;
    public int AuthRpcPort { get; init; } = DefaultAuthRpcPort;
    /// <summary>The JWT secret file; null: <c>jwtsecret</c> in the datadir, made when absent.</summary>
    public string? JwtSecretFile { get; init; }
    /// <summary>
    /// How long engine_newPayload waits for a block's verdict before answering SYNCING (null: the engine API's default,
    /// well inside the consensus client's 8 s timeout).
    /// </summary>
    public TimeSpan? EnginePayloadBudget { get; init; }
    /// <summary>Port of the Prometheus endpoint, or null for none.</summary>
    public int? MetricsPort { get; init; }
    public LogLevel LogLevel { get; init; } = LogLevel.Information;

    /// <summary>Run the devnet producer: post-merge blocks every <see cref="BlockTime"/> over a generated state.</summary>
    public bool Dev { get; init; }
    public TimeSpan BlockTime { get; init; } = DefaultBlockTime;
    public int TxsPerBlock { get; init; } = DefaultTxsPerBlock;
    /// <summary>The producer abandons its head for a two-block side branch every this many blocks (0: never; <see cref="Devnet.DevnetOptions.ReorgEvery"/>).</summary>
    public int ReorgEvery { get; init; }
    public int StateAccounts { get; init; } = DefaultStateAccounts;
    public int StateContracts { get; init; } = DefaultStateContracts;
    public StateSize StateSize { get; init; } = StateSize.Small;
    /// <summary>Seed of the generated state and workload; the same seed gives the same chain.</summary>
    public ulong Seed { get; init; }

    /// <summary>Round trip added to every link, in ms (half each way).</summary>
    public int LatencyMs { get; init; }
    /// <summary>The node's total uplink in bytes per second, or null for unlimited.</summary>
    public long? BandwidthBytesPerSecond { get; init; }
    /// <summary>How many of the newest state roots the node serves.</summary>
    public int StateWindow { get; init; } = DefaultStateWindow;
    /// <summary>Lag (head minus executing block) past which a beam node pivots to the newest head.</summary>
    public int PivotLag { get; init; } = DefaultStateWindow / 2;

    /// <summary>Budget of the clean trie-node and code cache shared by execution, JSON-RPC and serving, in MB (0: none).</summary>
    public int CacheMb { get; init; } = DefaultCacheMb;

    public bool Prefetch { get; init; } = true;
    public bool Preview { get; init; } = true;
    public bool Witness { get; init; } = true;
    public bool Backfill { get; init; } = true;
    public ServeMode Serve { get; init; } = ServeMode.All;
}
