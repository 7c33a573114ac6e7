using System.CommandLine;
using System.Runtime.InteropServices;
using BeamSync.Node;
using BeamSync.Node.DataDir;
using BeamSync.Node.Options;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace BeamSync.Cli.Commands;

/// <summary>
/// <c>beamsync run</c>: parses every node option into a <see cref="NodeOptions"/>, takes the datadir lock, and runs
/// <see cref="BeamNode.RunAsync"/> until it returns or Ctrl-C / SIGTERM cancels it (a second Ctrl-C ends the process
/// at once). Exit codes: the node's own, 2 a usage error (one line on stderr), 4 the datadir is in use or not a
/// directory.
/// </summary>
public static class RunCommand
{
    public const int DataDirExitCode = 4;

    /// <summary>The parsed command line, or a <see cref="UsageException"/>. For tests and the devnet's own checks.</summary>
    public static NodeOptions ParseOptions(params string[] args)
    {
        var definition = new Definition();
        var parse = definition.Command.Parse(args);
        UsageCheckedAction.ThrowOnParseErrors(parse);
        return definition.Bind(parse);
    }

    public static Command Create()
    {
        var definition = new Definition();
        definition.Command.Action = new UsageCheckedAction("run", parse => Run(definition.Bind(parse)));
        return definition.Command;
    }

    private static int Run(NodeOptions options)
    {
        DataDirLock dataDirLock;
        try
        {
            dataDirLock = DataDirLock.Acquire(options.DataDir);
        }
        catch (DataDirLockException e)
        {
            Console.Error.WriteLine($"beamsync run: {e.Message}");
            return DataDirExitCode;
        }

        using (dataDirLock)
        using (var logs = CreateLoggerFactory(options.LogLevel))
        using (var stop = new CancellationTokenSource())
        {
            ConsoleCancelEventHandler onCancel = (_, e) =>
            {
                // The first Ctrl-C asks the node to flush and close; a second one ends the process at once.
                e.Cancel = !stop.IsCancellationRequested;
                stop.Cancel();
            };
            Console.CancelKeyPress += onCancel;
            using var onTerm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
            {
                context.Cancel = true;
                stop.Cancel();
            });
            try
            {
                logs.CreateLogger("beamsync").LogInformation("datadir {DataDir} locked; seed {Seed}", dataDirLock.DataDir, options.Seed);
                return BeamNode.RunAsync(options, logs, stop.Token).GetAwaiter().GetResult();
            }
            finally
            {
                Console.CancelKeyPress -= onCancel;
            }
        }
    }

    /// <summary>One line per entry: time, level, category, message.</summary>
    public static ILoggerFactory CreateLoggerFactory(LogLevel level) => LoggerFactory.Create(builder => builder
        .SetMinimumLevel(level)
        .AddSimpleConsole(format =>
        {
            format.SingleLine = true;
            format.TimestampFormat = "HH:mm:ss.fff ";
            format.UseUtcTimestamp = true;
            format.ColorBehavior = Console.IsOutputRedirected ? LoggerColorBehavior.Disabled : LoggerColorBehavior.Default;
        }));

    /// <summary>The options of <c>run</c> on one command instance, and their binding to <see cref="NodeOptions"/>.</summary>
    private sealed class Definition
    {
        private readonly Option<string> _dataDir = new("--datadir") { Description = "Data directory (default ~/.beamsync)" };
        private readonly Option<string> _genesis = new("--genesis") { Description = "geth-style genesis.json of a custom network" };
        private readonly Option<string> _network = new("--network") { Description = "mainnet, sepolia or hoodi (genesis, fork schedule and bootnodes ship inside beamsync), or devnet (the chain of a --dev producer, joined without its state) (default mainnet unless --genesis or --dev)" };
        private readonly Option<int> _port = new("--port") { Description = "RLPx TCP port", DefaultValueFactory = _ => NodeOptions.DefaultPort };
        private readonly Option<string> _bootnodes = new("--bootnodes") { Description = "Comma-separated enode URLs (enode://<node id>@<host>:<port>), dialled and kept as static peers (default: the network's published bootnodes for mainnet, sepolia and hoodi; none otherwise)" };
        private readonly Option<string> _sync = new("--sync") { Description = "beam or full (default beam)" };
        private readonly Option<int> _maxPeers = new("--maxpeers") { Description = "Peer limit", DefaultValueFactory = _ => NodeOptions.DefaultMaxPeers };
        private readonly Option<bool> _http = new("--http") { Description = "Open the JSON-RPC server", Arity = ArgumentArity.Zero };
        private readonly Option<string> _httpAddress = new("--http.addr") { Description = "JSON-RPC listen address", DefaultValueFactory = _ => NodeOptions.DefaultHttpAddress };
        private readonly Option<int> _httpPort = new("--http.port") { Description = "JSON-RPC port", DefaultValueFactory = _ => NodeOptions.DefaultHttpPort };
        private readonly Option<bool> _authRpc = new("--authrpc") { Description = "Serve the engine API for a consensus client (implied by the other --authrpc options)", Arity = ArgumentArity.Zero };
        private readonly Option<string> _authRpcAddress = new("--authrpc.addr") { Description = $"Engine API listen address (default {NodeOptions.DefaultHttpAddress})" };
        private readonly Option<int?> _authRpcPort = new("--authrpc.port") { Description = $"Engine API port (default {NodeOptions.DefaultAuthRpcPort})" };
        private readonly Option<string> _jwtSecret = new("--authrpc.jwtsecret") { Description = "JWT secret file of the engine API: 64 hex digits (default: jwtsecret in the datadir, made when absent)" };
        private readonly Option<int?> _metricsPort = new("--metrics.port") { Description = "Serve Prometheus metrics on this port (default: off)" };
        private readonly Option<string> _logLevel = new("--log.level") { Description = "trace, debug, info, warn, error, crit or none", DefaultValueFactory = _ => "info" };
        private readonly Option<bool> _dev = new("--dev") { Description = "Run the devnet producer: blocks every --block-time over a generated state", Arity = ArgumentArity.Zero };
        private readonly NodeOptionSet _node = new();

        public Definition()
        {
            Command = new Command("run", "Run a node: Beam Sync to the head of a network, or the devnet producer with --dev")
            {
                _dataDir, _genesis, _network, _port, _bootnodes, _sync, _maxPeers, _http, _httpAddress, _httpPort, _authRpc, _authRpcAddress, _authRpcPort, _jwtSecret, _metricsPort, _logLevel, _dev,
            };
            _node.AddTo(Command);
        }

        public Command Command { get; }

        public NodeOptions Bind(ParseResult parse)
        {
            bool dev = parse.GetValue(_dev);
            var genesis = parse.GetValue(_genesis);
            var network = parse.GetValue(_network);
            if (genesis is not null && network is not null) throw new UsageException("--genesis and --network exclude each other");
            if (network is not null) network = OptionValues.ParseChoice("--network", network, ("mainnet", "mainnet"), ("sepolia", "sepolia"), ("hoodi", "hoodi"), (NodeOptions.DevnetNetwork, NodeOptions.DevnetNetwork));
            else if (genesis is null && !dev) network = "mainnet";
            var options = new NodeOptions
            {
                DataDir = parse.GetValue(_dataDir) ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".beamsync"),
                GenesisFile = genesis,
                Network = network,
                Port = OptionValues.CheckRange("--port", parse.GetValue(_port), 0, 65535),
                Bootnodes = ParseBootnodes(parse.GetValue(_bootnodes)),
                Sync = parse.GetValue(_sync) is { } sync ? OptionValues.ParseChoice("--sync", sync, ("beam", SyncMode.Beam), ("full", SyncMode.Full)) : SyncMode.Beam,
                MaxPeers = OptionValues.CheckRange("--maxpeers", parse.GetValue(_maxPeers), 0, 10_000),
                Http = parse.GetValue(_http),
                HttpAddress = parse.GetValue(_httpAddress)!,
                HttpPort = OptionValues.CheckRange("--http.port", parse.GetValue(_httpPort), 0, 65535),
                AuthRpc = parse.GetValue(_authRpc) || parse.GetValue(_authRpcAddress) is not null || parse.GetValue(_authRpcPort) is not null || parse.GetValue(_jwtSecret) is not null,
                AuthRpcAddress = parse.GetValue(_authRpcAddress) ?? NodeOptions.DefaultHttpAddress,
                AuthRpcPort = OptionValues.CheckRange("--authrpc.port", parse.GetValue(_authRpcPort) ?? NodeOptions.DefaultAuthRpcPort, 0, 65535),
                JwtSecretFile = parse.GetValue(_jwtSecret),
                MetricsPort = parse.GetValue(_metricsPort) is { } metrics ? OptionValues.CheckRange("--metrics.port", metrics, 1, 65535) : null,
                LogLevel = OptionValues.ParseLogLevel("--log.level", parse.GetValue(_logLevel)!),
                Dev = dev,
            };
            return _node.Bind(parse, options, devnetNode: dev || network == NodeOptions.DevnetNetwork, NodeOptions.DefaultStateWindow);
        }

        private static IReadOnlyList<string> ParseBootnodes(string? text)
        {
            if (string.IsNullOrWhiteSpace(text)) return [];
            var enodes = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            foreach (var enode in enodes)
                if (!enode.StartsWith("enode://", StringComparison.Ordinal) || !enode.Contains('@'))
                    throw new UsageException($"--bootnodes: '{enode}' is not an enode URL (enode://<node id>@<host>:<port>)");
            return enodes;
        }
    }
}
