namespace BeamSync.Core.Specs;

/// <summary>Which seal a pre-merge chain uses; post-merge blocks carry none.</summary>
public enum ConsensusEngine
{
    None,
    Ethash,
    Clique,
}

/// <summary>
/// A chain's rules: chain id, fork schedule (block- and time-activated), merge parameters, blob schedule and,
/// when loaded from a genesis file, the genesis block. Answers which fork's rules apply at (block number,
/// timestamp). Built by <see cref="Parse"/>/<see cref="Load"/>, <see cref="KnownNetworks"/> or
/// <see cref="FixtureNetworks"/>; the constructor checks the schedule's consistency. Immutable and thread-safe.
/// </summary>
public sealed partial class ChainSpec
{
    private readonly ForkActivation[] _activations;
    private readonly Dictionary<Fork, BlobParameters> _blobSchedule;

    public ChainSpec(
        ulong chainId,
        IEnumerable<ForkActivation> activations,
        IReadOnlyDictionary<Fork, BlobParameters>? blobSchedule = null)
    {
        ChainId = chainId;
        _activations = [.. activations.OrderBy(a => a.Fork)];
        _blobSchedule = blobSchedule is null ? [] : new Dictionary<Fork, BlobParameters>(blobSchedule);
        ValidateSchedule(_activations, _blobSchedule);
    }

    /// <summary>A short name for messages and logs ("mainnet", a fixture network's name, or "custom").</summary>
    public string Name { get; init; } = "custom";

    public ulong ChainId { get; }

    /// <summary>Every scheduled fork, in fork order. Paris is absent: the merge is set by <see cref="TerminalTotalDifficulty"/>.</summary>
    public IReadOnlyList<ForkActivation> Activations => _activations;

    /// <summary>Per-fork blob parameters as configured (a genesis file's <c>blobSchedule</c>); see <see cref="BlobParametersAt"/>.</summary>
    public IReadOnlyDictionary<Fork, BlobParameters> BlobSchedule => _blobSchedule;

    /// <summary>The DAO fork block (its irregular balance move and extra-data rule apply only if <see cref="DaoForkSupport"/>).</summary>
    public ulong? DaoForkBlock => BlockOf(Fork.Dao);

    public bool DaoForkSupport { get; init; }

    /// <summary>EIP-155 replay protection's block when a genesis sets it apart from EIP-158's (Spurious Dragon); null when they coincide.</summary>
    public ulong? Eip155Block { get; init; }

    /// <summary>
    /// The total difficulty at which the chain left proof of work (EIP-3675); null for a chain that never merges.
    /// Zero means proof of stake from genesis.
    /// </summary>
    public UInt256? TerminalTotalDifficulty { get; init; }

    /// <summary>The first proof-of-stake block where it is known in advance (mainnet's, or 0 for a chain merged at genesis).</summary>
    public ulong? MergeBlock { get; init; }

    /// <summary>geth's <c>mergeNetsplitBlock</c>: a block by which every node knows the merge happened (a fork-id entry).</summary>
    public ulong? MergeNetsplitBlock { get; init; }

    public Address? DepositContractAddress { get; init; }

    public ConsensusEngine Engine { get; init; } = ConsensusEngine.None;

    /// <summary>Clique's block period and epoch length (seconds, blocks), when <see cref="Engine"/> is Clique.</summary>
    public (ulong Period, ulong Epoch)? Clique { get; init; }

    /// <summary>The genesis block as the file gave it; null for a built-in network's rules without its allocation.</summary>
    public GenesisSpec? Genesis { get; init; }

    /// <summary>
    /// The genesis timestamp (fork-id computation skips time forks at or before it): the genesis block's when there
    /// is one, else the value a built-in network sets.
    /// </summary>
    public ulong GenesisTimestamp
    {
        get => Genesis?.Timestamp ?? _genesisTimestamp;
        init => _genesisTimestamp = value;
    }

    private readonly ulong _genesisTimestamp;

    /// <summary>The genesis block hash where known without building the genesis (built-in networks).</summary>
    public Hash256? KnownGenesisHash { get; init; }

    /// <summary>The block number at which <paramref name="fork"/> activates, or null if it is not block-scheduled.</summary>
    public ulong? BlockOf(Fork fork)
    {
        foreach (var a in _activations)
            if (a.Fork == fork && a.Trigger == ForkTrigger.Block) return a.At;
        return null;
    }

    /// <summary>The timestamp at which <paramref name="fork"/> activates, or null if it is not time-scheduled.</summary>
    public ulong? TimeOf(Fork fork)
    {
        foreach (var a in _activations)
            if (a.Fork == fork && a.Trigger == ForkTrigger.Timestamp) return a.At;
        return null;
    }

    /// <summary>Whether a block with this total difficulty (its own included) has reached the terminal total difficulty.</summary>
    public bool ReachedTerminalTotalDifficulty(in UInt256 totalDifficulty) =>
        TerminalTotalDifficulty is { } ttd && totalDifficulty >= ttd;

    /// <summary>
    /// Whether a block is known to be proof of stake from its number and time alone: at or after
    /// <see cref="MergeBlock"/> or <see cref="MergeNetsplitBlock"/>, on a chain merged at genesis, or under any
    /// time-activated fork. Between the terminal block and the netsplit block only total difficulty can tell; the
    /// chain layer then passes its own answer to <see cref="ForkAt(ulong, ulong, bool)"/>.
    /// </summary>
    public bool IsKnownPostMerge(ulong blockNumber, ulong timestamp)
    {
        if (MergeBlock is { } m && blockNumber >= m) return true;
        if (MergeNetsplitBlock is { } n && blockNumber >= n) return true;
        if (TerminalTotalDifficulty is { IsZero: true }) return true;
        foreach (var a in _activations)
            if (a.Trigger == ForkTrigger.Timestamp && timestamp >= a.At) return true;
        return false;
    }

    /// <summary>The latest fork whose rules apply at (number, timestamp), merge inferred by <see cref="IsKnownPostMerge"/>.</summary>
    public Fork ForkAt(ulong blockNumber, ulong timestamp) =>
        ForkAt(blockNumber, timestamp, IsKnownPostMerge(blockNumber, timestamp));

    /// <summary>
    /// The latest fork whose rules apply to a block with this number and timestamp, given whether it is past the
    /// merge. Forks compare in <see cref="Fork"/> order, so <c>ForkAt(..) &gt;= Fork.Berlin</c> asks "Berlin rules?".
    /// Time-activated forks apply only after the merge, as on every real chain.
    /// </summary>
    public Fork ForkAt(ulong blockNumber, ulong timestamp, bool postMerge)
    {
        Fork latest = Fork.Frontier;
        foreach (var a in _activations)
        {
            bool active = a.Trigger == ForkTrigger.Block ? blockNumber >= a.At : postMerge && timestamp >= a.At;
            if (active && a.Fork > latest) latest = a.Fork;
        }
        if (postMerge && latest < Fork.Paris) latest = Fork.Paris;
        return latest;
    }

    /// <summary>
    /// Whether <paramref name="fork"/>'s rules (or a later fork's) apply at (number, timestamp). For the DAO fork's
    /// one-off balance move use <see cref="DaoForkBlock"/> and <see cref="DaoForkSupport"/>: chains that never had
    /// it still count as "past" it here once a later fork is active.
    /// </summary>
    public bool IsActive(Fork fork, ulong blockNumber, ulong timestamp) => ForkAt(blockNumber, timestamp) >= fork;

    /// <summary>
    /// Blob parameters in force at <paramref name="timestamp"/>: the configured entry of the latest active fork that
    /// has one, else the EIP-7840 default for that fork; null before Cancun (no blobs).
    /// </summary>
    public BlobParameters? BlobParametersAt(ulong timestamp)
    {
        for (int i = _activations.Length - 1; i >= 0; i--)
        {
            var a = _activations[i];
            if (a.Trigger != ForkTrigger.Timestamp || a.Fork < Fork.Cancun || timestamp < a.At) continue;
            if (_blobSchedule.TryGetValue(a.Fork, out var configured)) return configured;
            if (BlobParameters.DefaultFor(a.Fork) is { } fallback) return fallback;
        }
        return null;
    }

    public override string ToString() => $"{Name} (chain {ChainId})";
}
