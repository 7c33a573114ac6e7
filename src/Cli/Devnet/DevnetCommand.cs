using System.CommandLine;
using BeamSync.Cli.Commands;
using BeamSync.Node.Options;

namespace BeamSync.Cli.Devnet;

/// <summary>
/// <c>beamsync devnet</c>: a producing full node (and, with <c>--serve legacy,modern</c>, a second full node serving the
/// other profile) and a fresh beam node (and <c>--beam-nodes N</c> more, started later),
/// each its own process on loopback, with a live view and a summary. Exit codes: 0 every beam node became full and
/// kept verifying, 1 not reached by <c>--timeout</c> or a node failed, 2 a usage error, 130 interrupted.
/// </summary>
public static class DevnetCommand
{
    public static Command Create()
    {
        var definition = new Definition();
        definition.Command.Action = new UsageCheckedAction("devnet", parse => Run(definition.Bind(parse)));
        return definition.Command;
    }

    /// <summary>The parsed command line, or a <see cref="UsageException"/>. For tests.</summary>
    public static DevnetSettings ParseSettings(params string[] args)
    {
        var definition = new Definition();
        var parse = definition.Command.Parse(args);
        UsageCheckedAction.ThrowOnParseErrors(parse);
        return definition.Bind(parse);
    }

    private static int Run(DevnetSettings settings)
    {
        using var stop = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            e.Cancel = !stop.IsCancellationRequested;
            stop.Cancel();
        };
        Console.CancelKeyPress += onCancel;
        try
        {
            var run = new DevnetRun(settings);
            return (settings.AcceleratorMatrix ? run.RunMatrixAsync(stop.Token) : run.RunAsync(stop.Token)).GetAwaiter().GetResult();
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
    }

    private sealed class Definition
    {
        private readonly Option<int> _beamNodes = new("--beam-nodes") { Description = "Beam nodes started after the first, each once the one before has backfilled 25%", DefaultValueFactory = _ => 0 };
        private readonly Option<string> _timeout = new("--timeout") { Description = "Give up after this many seconds (default 600)" };
        private readonly Option<bool> _json = new("--json") { Description = "Print only the summary as JSON on stdout", Arity = ArgumentArity.Zero };
        private readonly Option<string> _report = new("--report") { Description = "Write charts (PNG) and index.html into this directory" };
        private readonly Option<string> _runDir = new("--run-dir") { Description = "Folder for the nodes' datadirs and logs (default: a new temporary folder)" };
        private readonly Option<bool> _matrix = new("--accelerator-matrix")
        {
            Description = $"Instead of a sync to full: one beam node per accelerator setting (none, prefetch, preview, witness, all) in turn, backfill off, each until it verified {Node.Devnet.AcceleratorMatrix.BlocksMeasured} blocks after its first; prints stall and available-to-verified figures per setting",
            Arity = ArgumentArity.Zero,
        };
        private readonly Option<string> _logLevel = new("--log.level") { Description = "The nodes' log level (default info)", DefaultValueFactory = _ => "info" };
        private readonly Option<string> _driver = new("--driver")
        {
            Description = "How beam nodes get each head: heads (its hash, beamsync_newHead) or engine (each block through the node's engine API, as a consensus client sends it)",
            DefaultValueFactory = _ => "heads",
        };
        private readonly NodeOptionSet _node = new();

        public Definition()
        {
            Command = new Command("devnet", "Run a local devnet: a producing full node and fresh Beam Sync nodes, with a live view and a summary")
            {
                _beamNodes, _timeout, _json, _report, _runDir, _logLevel, _matrix, _driver,
            };
            _node.AddTo(Command);
        }

        public Command Command { get; }

        public DevnetSettings Bind(ParseResult parse)
        {
            var baseline = new NodeOptions { DataDir = "", LogLevel = OptionValues.ParseLogLevel("--log.level", parse.GetValue(_logLevel)!) };
            var profiles = _node.ServeProfiles(parse, serverPair: true);
            if (profiles.Count > 1 && parse.GetValue(_matrix)) throw new UsageException("--accelerator-matrix measures against the producer alone: give --serve one profile");
            var runDir = parse.GetValue(_runDir) ?? Path.Combine(Path.GetTempPath(), $"beamsync-devnet-{DateTime.UtcNow:yyyyMMdd-HHmmss}-{Environment.ProcessId}");
            return new DevnetSettings
            {
                Template = _node.Bind(parse, baseline, devnetNode: true, NodeOptions.DevnetStateWindow, serverPair: true),
                SecondServer = profiles.Count > 1 ? profiles[1] : null,
                ExtraBeamNodes = OptionValues.CheckRange("--beam-nodes", parse.GetValue(_beamNodes), 0, 16),
                Timeout = parse.GetValue(_timeout) is { } timeout ? OptionValues.ParseSeconds("--timeout", timeout) : DevnetSettings.DefaultTimeout,
                Json = parse.GetValue(_json),
                AcceleratorMatrix = parse.GetValue(_matrix),
                ReportDir = parse.GetValue(_report),
                RunDir = Path.GetFullPath(runDir),
                Driver = OptionValues.ParseChoice("--driver", parse.GetValue(_driver)!, ("heads", DevnetDriver.Heads), ("engine", DevnetDriver.Engine)),
            };
        }
    }
}
