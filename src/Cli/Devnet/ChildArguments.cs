using System.Globalization;
using BeamSync.Cli.Commands;
using BeamSync.Node.Options;

namespace BeamSync.Cli.Devnet;

/// <summary>The network addresses the devnet gives one child: RLPx and JSON-RPC ports on loopback.</summary>
public sealed record ChildPorts(int Rlpx, int Rpc);

/// <summary>
/// The <c>beamsync run</c> command lines of the devnet's children, and the process that runs them with the same
/// executable and framework as this CLI. Pure: no process is started here.
/// </summary>
public static class ChildArguments
{
    public const string Loopback = "127.0.0.1";

    /// <summary>The producing full node.</summary>
    public static string[] Producer(NodeOptions template, string dataDir, ChildPorts ports) =>
        [.. Common(template, dataDir, ports), "--dev", "--sync", "full"];

    /// <summary>
    /// A second server beside the producer: a full node of its chain (<c>--network devnet --sync full</c>: it builds the
    /// same seeded genesis state itself and executes every block, headers and bodies from the producer) serving in
    /// <paramref name="profile"/>, with the producer's link model.
    /// </summary>
    public static string[] Server(NodeOptions template, ServeMode profile, string dataDir, ChildPorts ports, string producerEnode) =>
        [.. Common(template with { Serve = profile }, dataDir, ports), "--network", NodeOptions.DevnetNetwork, "--sync", "full", "--bootnodes", producerEnode];

    /// <summary>A fresh beam node on the producer's chain (<see cref="NodeOptions.DevnetNetwork"/>), dialling <paramref name="bootnodes"/> (the producer first).</summary>
    public static string[] BeamNode(NodeOptions template, string dataDir, ChildPorts ports, IReadOnlyList<string> bootnodes) =>
        [.. Common(template, dataDir, ports), "--network", NodeOptions.DevnetNetwork, "--sync", "beam", "--bootnodes", string.Join(',', bootnodes)];

    /// <summary>A beam node driven through its engine API on <paramref name="enginePort"/> with the JWT secret in <paramref name="jwtSecretFile"/>.</summary>
    public static string[] EngineDrivenBeamNode(NodeOptions template, string dataDir, ChildPorts ports, IReadOnlyList<string> bootnodes, int enginePort, string jwtSecretFile) =>
        [.. BeamNode(template, dataDir, ports, bootnodes), "--authrpc.addr", Loopback, "--authrpc.port", Text(enginePort), "--authrpc.jwtsecret", jwtSecretFile];

    /// <summary>
    /// The executable and leading arguments that start this CLI again: the apphost alone, or <c>dotnet</c> and the entry
    /// assembly when the CLI runs through the <c>dotnet</c> host (as <c>./beamsync</c> does).
    /// </summary>
    public static (string FileName, string[] Prefix) SelfCommand(string processPath, string? entryAssemblyPath)
    {
        var host = Path.GetFileNameWithoutExtension(processPath);
        bool throughDotnet = host.Equals("dotnet", StringComparison.OrdinalIgnoreCase);
        if (throughDotnet && string.IsNullOrEmpty(entryAssemblyPath))
            throw new InvalidOperationException("running through dotnet but the entry assembly is unknown");
        return throughDotnet ? (processPath, [entryAssemblyPath!]) : (processPath, []);
    }

    // Everything the children share, written out explicitly so no child falls back to a run-command default.
    private static string[] Common(NodeOptions o, string dataDir, ChildPorts ports)
    {
        var args = new List<string>
        {
            "run", "--datadir", dataDir, "--port", Text(ports.Rlpx),
            "--http", "--http.addr", Loopback, "--http.port", Text(ports.Rpc),
            "--log.level", o.LogLevel.ToString().ToLowerInvariant(),
            "--block-time", OptionValues.FormatSeconds(o.BlockTime),
            "--txs-per-block", Text(o.TxsPerBlock),
            "--state-size", o.StateSize == StateSize.Large ? "large" : "small",
            "--state-accounts", Text(o.StateAccounts),
            "--state-contracts", Text(o.StateContracts),
            "--seed", o.Seed.ToString(CultureInfo.InvariantCulture),
            "--latency", Text(o.LatencyMs),
            "--bandwidth", OptionValues.FormatBandwidth(o.BandwidthBytesPerSecond),
            "--state-window", Text(o.StateWindow),
            "--pivot-lag", Text(o.PivotLag),
            "--cache", Text(o.CacheMb),
            "--reorg-every", Text(o.ReorgEvery),
            "--serve", o.Serve.ToString().ToLowerInvariant(),
        };
        foreach (var (name, on) in new[] { ("prefetch", o.Prefetch), ("preview", o.Preview), ("witness", o.Witness), ("backfill", o.Backfill) })
            args.Add(on ? $"--{name}" : $"--no-{name}");
        return [.. args];
    }

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
}
