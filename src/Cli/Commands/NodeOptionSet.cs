using System.CommandLine;
using System.Security.Cryptography;
using BeamSync.Node.Options;

namespace BeamSync.Cli.Commands;

/// <summary>
/// The options that shape a devnet node, shared by <c>beamsync run</c> and <c>beamsync devnet</c> (which passes them
/// through to its children): block production, generated state, the honest-network model, the state window and the
/// Beam Sync accelerators. <see cref="Bind"/> resolves the defaults that depend on other options.
/// </summary>
public sealed class NodeOptionSet
{
    public readonly Option<string> BlockTime = new("--block-time") { Description = "Seconds between produced blocks (default 2)" };
    public readonly Option<int?> TxsPerBlock = new("--txs-per-block") { Description = $"Built-in workload transactions per block (default {NodeOptions.DefaultTxsPerBlock})" };
    public readonly Option<int?> StateAccounts = new("--state-accounts") { Description = $"Accounts of the generated state (default {NodeOptions.DefaultStateAccounts:N0}; {NodeOptions.LargeStateAccounts:N0} with --state-size large)" };
    public readonly Option<int?> StateContracts = new("--state-contracts") { Description = $"Contracts of the generated state (default {NodeOptions.DefaultStateContracts:N0})" };
    public readonly Option<string> StateSize = new("--state-size") { Description = "small or large (large: 1,000,000 accounts, for benchmark runs)" };
    public readonly Option<ulong?> Seed = new("--seed") { Description = "Seed of the generated state and workload (default: random, logged)" };
    public readonly Option<int?> Latency = new("--latency") { Description = "Round trip added to every link in ms (default 50 on a devnet node, 0 otherwise)" };
    public readonly Option<string> Bandwidth = new("--bandwidth") { Description = "The node's total uplink in bytes/s, e.g. 2MB or unlimited (default 2MB on a devnet node, unlimited otherwise)" };
    public readonly Option<int?> StateWindow = new("--state-window") { Description = "Newest state roots served (default 128; 16 on the devnet)" };
    public readonly Option<int?> PivotLag = new("--pivot-lag") { Description = "Lag in blocks past which a beam node pivots (default: half the state window)" };
    public readonly Option<int?> Cache = new("--cache") { Description = $"Trie-node and code cache in MB, shared by execution, JSON-RPC and serving (default {NodeOptions.DefaultCacheMb}; 0: none)" };
    public readonly Option<int?> ReorgEvery = new("--reorg-every") { Description = "The producer abandons its head for a two-block side branch every this many blocks, as on a late block (default 0: never)" };
    public readonly Option<string> Serve = new("--serve") { Description = "State serving wire forms: all, modern (eth/68-69 and snap/2 only, as today's peers) or legacy (eth/66 GetNodeData, snap/1, wit/0) (default all); the devnet also takes two, e.g. legacy,modern or mixed: the producer serves the first, a second full node the other" };
    private readonly (string Name, Option<bool> On, Option<bool> Off)[] _switches =
        [Switch("prefetch", "Prefetch the state a block will read before executing it"), Switch("preview", "Preview queued blocks on other threads"),
         Switch("witness", "Fetch each block's witness in bulk before executing"), Switch("backfill", "Download the rest of the state in the background")];

    public void AddTo(Command command)
    {
        foreach (Option option in new Option[] { BlockTime, TxsPerBlock, StateAccounts, StateContracts, StateSize, Seed, Latency, Bandwidth, StateWindow, PivotLag, Cache, Serve, ReorgEvery })
            command.Options.Add(option);
        foreach (var (_, on, off) in _switches)
        {
            command.Options.Add(on);
            command.Options.Add(off);
        }
    }

    /// <summary>
    /// Applies these options to <paramref name="options"/>. <paramref name="devnetNode"/> selects the devnet's
    /// defaults (latency 50 ms, 2 MB/s uplink); <paramref name="defaultStateWindow"/> is 128 on run, 16 on the devnet.
    /// </summary>
    /// <paramref name="serverPair"/>: <c>--serve</c> may name two profiles (<see cref="ServeProfiles"/>); the first is bound.
    public NodeOptions Bind(ParseResult parse, NodeOptions options, bool devnetNode, int defaultStateWindow, bool serverPair = false)
    {
        var size = parse.GetValue(StateSize) is { } sizeText
            ? OptionValues.ParseChoice("--state-size", sizeText, ("small", Node.Options.StateSize.Small), ("large", Node.Options.StateSize.Large))
            : Node.Options.StateSize.Small;
        var window = OptionValues.CheckRange("--state-window", parse.GetValue(StateWindow) ?? defaultStateWindow, 2, 1_000_000);
        var pivotLag = OptionValues.CheckRange("--pivot-lag", parse.GetValue(PivotLag) ?? window / 2, 1, window - 1);
        return options with
        {
            BlockTime = parse.GetValue(BlockTime) is { } blockTime ? OptionValues.ParseSeconds("--block-time", blockTime) : NodeOptions.DefaultBlockTime,
            TxsPerBlock = OptionValues.CheckRange("--txs-per-block", parse.GetValue(TxsPerBlock) ?? NodeOptions.DefaultTxsPerBlock, 0, 100_000),
            StateSize = size,
            StateAccounts = OptionValues.CheckRange("--state-accounts",
                parse.GetValue(StateAccounts) ?? (size == Node.Options.StateSize.Large ? NodeOptions.LargeStateAccounts : NodeOptions.DefaultStateAccounts), 1, 100_000_000),
            StateContracts = OptionValues.CheckRange("--state-contracts", parse.GetValue(StateContracts) ?? NodeOptions.DefaultStateContracts, 0, 10_000_000),
            Seed = parse.GetValue(Seed) ?? RandomSeed(),
            LatencyMs = OptionValues.CheckRange("--latency", parse.GetValue(Latency) ?? (devnetNode ? NodeOptions.DevnetLatencyMs : 0), 0, 60_000),
            BandwidthBytesPerSecond = parse.GetValue(Bandwidth) is { } bandwidth
                ? OptionValues.ParseBandwidth("--bandwidth", bandwidth)
                : devnetNode ? NodeOptions.DevnetBandwidthBytesPerSecond : null,
            StateWindow = window,
            PivotLag = pivotLag,
            ReorgEvery = OptionValues.CheckRange("--reorg-every", parse.GetValue(ReorgEvery) ?? 0, 0, 1_000_000),
            CacheMb = OptionValues.CheckRange("--cache", parse.GetValue(Cache) ?? NodeOptions.DefaultCacheMb, 0, 1_048_576),
            Prefetch = SwitchValue(parse, 0),
            Preview = SwitchValue(parse, 1),
            Witness = SwitchValue(parse, 2),
            Backfill = SwitchValue(parse, 3),
            Serve = ServeProfiles(parse, serverPair)[0],
        };
    }

    /// <summary>
    /// The serving profiles <c>--serve</c> names: one; or, where <paramref name="serverPair"/> allows (the devnet's two
    /// servers), two different ones separated by a comma, the producer's first (<c>mixed</c>: <c>legacy,modern</c>).
    /// </summary>
    public IReadOnlyList<ServeMode> ServeProfiles(ParseResult parse, bool serverPair)
    {
        if (parse.GetValue(Serve) is not { } text) return [ServeMode.All];
        if (serverPair && text.Trim().Equals("mixed", StringComparison.OrdinalIgnoreCase)) return [ServeMode.Legacy, ServeMode.Modern];
        var parts = text.Split(',');
        if (parts.Length > 2 || parts.Length == 2 && !serverPair)
            throw new UsageException($"--serve: '{text}' names more profiles than {(serverPair ? "the devnet's two servers" : "this node's one")}");
        var profiles = parts.Select(part => OptionValues.ParseChoice("--serve", part, ("all", ServeMode.All), ("modern", ServeMode.Modern), ("legacy", ServeMode.Legacy))).ToList();
        if (profiles.Count == 2 && profiles[0] == profiles[1]) throw new UsageException($"--serve: '{text}' names the same profile twice");
        return profiles;
    }

    private bool SwitchValue(ParseResult parse, int index)
    {
        var (name, on, off) = _switches[index];
        return OptionValues.ResolveSwitch(name, parse.GetValue(on), parse.GetValue(off), defaultValue: true);
    }

    private static (string, Option<bool>, Option<bool>) Switch(string name, string description) =>
        (name,
         new Option<bool>($"--{name}") { Description = $"{description} (default on)", Arity = ArgumentArity.Zero },
         new Option<bool>($"--no-{name}") { Description = $"Turn --{name} off", Arity = ArgumentArity.Zero });

    private static ulong RandomSeed() => BitConverter.ToUInt64(RandomNumberGenerator.GetBytes(sizeof(ulong))) >> 1;
}
