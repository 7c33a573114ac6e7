using System.Text.Json;
using static BeamSync.Core.Specs.KnownNetworks;

namespace BeamSync.Core.Specs;

/// <summary>
/// The networks ethereum/tests and execution-spec-tests name in their fixtures ("network" of blockchain tests, the
/// "post" keys of state tests, the "result" keys of transaction tests): chain id 1, each fork from genesis or a
/// transition at block 5, at total difficulty 0xC0000 or at timestamp 15,000, configured as go-ethereum's test
/// harness configures them (so difficulty-bomb delays match: the "Berlin" network includes Muir Glacier, "Istanbul"
/// does not; "Constantinople" runs without Petersburg). Unknown names are reported, never guessed.
/// Thread-safe; specs are built once.
/// </summary>
public static class FixtureNetworks
{
    private static readonly Dictionary<string, ChainSpec> Networks = Build();

    /// <summary>Every name this table answers to.</summary>
    public static IEnumerable<string> Names => Networks.Keys;

    /// <summary>The network of this exact fixture name (case-sensitive, as fixtures spell them).</summary>
    public static bool TryGet(string name, out ChainSpec spec) => Networks.TryGetValue(name, out spec!);

    /// <summary>
    /// The named network with a fixture's <c>config</c> object applied: its <c>chainid</c> and <c>blobSchedule</c>
    /// (fork names in any case, numbers as hex or decimal) replace the defaults. Malformed config values throw
    /// <see cref="ChainSpecException"/>; an unknown name returns false.
    /// </summary>
    public static bool TryGet(string name, JsonElement config, out ChainSpec spec)
    {
        if (!TryGet(name, out spec)) return false;
        if (config.ValueKind != JsonValueKind.Object) return true;
        ulong? chainId = ChainSpec.TryGetProperty(config, "chainid", out var id) ? JsonFields.ReadUInt64(id, "config.chainid") : null;
        var blobs = new Dictionary<Fork, BlobParameters>();
        if (ChainSpec.TryGetProperty(config, "blobSchedule", out var schedule))
            ChainSpec.ReadBlobSchedule(JsonFields.ReadObject(schedule, "config.blobSchedule"), "config.blobSchedule", blobs);
        spec = spec.With(chainId: chainId, blobSchedule: blobs);
        return true;
    }

    private const ulong TransitionBlock = 5;
    private const ulong TransitionTime = 15_000;
    private const ulong TransitionDifficulty = 0xC0000;

    private static Dictionary<string, ChainSpec> Build()
    {
        var n = new Dictionary<string, ChainSpec>();
        void Add(string name, IEnumerable<ForkActivation> forks, bool dao = false, UInt256? ttd = null, string? alias = null)
        {
            var blobs = new Dictionary<Fork, BlobParameters>
            {
                [Fork.Cancun] = BlobParameters.CancunDefault,
                [Fork.Prague] = BlobParameters.PragueDefault,
                [Fork.Osaka] = BlobParameters.PragueDefault,
                // go-ethereum's defaults for the blob-parameter-only forks (EIP-7892).
                [Fork.Bpo1] = new(10, 15, 8346193),
                [Fork.Bpo2] = new(14, 21, 11684671),
                [Fork.Bpo3] = new(21, 32, 20609697),
                [Fork.Bpo4] = new(14, 21, 13739630),
            };
            var spec = new ChainSpec(1, forks, blobs)
            {
                Name = name,
                DaoForkSupport = dao,
                TerminalTotalDifficulty = ttd,
                MergeBlock = ttd is { IsZero: true } ? 0 : null,
                Engine = ttd is { IsZero: true } ? ConsensusEngine.None : ConsensusEngine.Ethash,
            };
            n.Add(name, spec);
            if (alias is not null) n.Add(alias, spec.With(name: alias));
        }

        ForkActivation[] frontier = [];
        ForkActivation[] homestead = [Block(Fork.Homestead, 0)];
        ForkActivation[] eip150 = [.. homestead, Block(Fork.TangerineWhistle, 0)];
        ForkActivation[] eip158 = [.. eip150, Block(Fork.SpuriousDragon, 0)];
        ForkActivation[] byzantium = [.. eip158, Block(Fork.Byzantium, 0)];
        ForkActivation[] constantinopleFix = [.. byzantium, Block(Fork.Constantinople, 0), Block(Fork.Petersburg, 0)];
        ForkActivation[] istanbul = [.. constantinopleFix, Block(Fork.Istanbul, 0)];
        ForkActivation[] muirGlacier = [.. istanbul, Block(Fork.MuirGlacier, 0)];
        ForkActivation[] berlin = [.. muirGlacier, Block(Fork.Berlin, 0)];
        ForkActivation[] london = [.. berlin, Block(Fork.London, 0)];
        ForkActivation[] arrowGlacier = [.. london, Block(Fork.ArrowGlacier, 0)];
        ForkActivation[] grayGlacier = [.. arrowGlacier, Block(Fork.GrayGlacier, 0)];
        ForkActivation[] shanghai = [.. grayGlacier, Time(Fork.Shanghai, 0)];
        ForkActivation[] cancun = [.. shanghai, Time(Fork.Cancun, 0)];
        ForkActivation[] prague = [.. cancun, Time(Fork.Prague, 0)];
        ForkActivation[] osaka = [.. prague, Time(Fork.Osaka, 0)];
        ForkActivation[] bpo1 = [.. osaka, Time(Fork.Bpo1, 0)];
        ForkActivation[] bpo2 = [.. bpo1, Time(Fork.Bpo2, 0)];
        ForkActivation[] bpo3 = [.. bpo2, Time(Fork.Bpo3, 0)];
        ForkActivation[] bpo4 = [.. bpo3, Time(Fork.Bpo4, 0)];

        Add("Frontier", frontier);
        Add("Homestead", homestead);
        Add("EIP150", eip150);
        Add("EIP158", eip158);
        Add("Byzantium", byzantium);
        // Constantinople as first specified, EIP-1283 included: Petersburg (which removed it) never comes.
        Add("Constantinople", [.. byzantium, Block(Fork.Constantinople, 0), Block(Fork.Petersburg, 10_000_000)]);
        Add("ConstantinopleFix", constantinopleFix, alias: "Petersburg");
        Add("Istanbul", istanbul);
        Add("MuirGlacier", muirGlacier, alias: "EIP2384");
        Add("Berlin", berlin);
        Add("London", london);
        Add("ArrowGlacier", arrowGlacier);
        Add("GrayGlacier", grayGlacier);
        Add("Paris", grayGlacier, ttd: UInt256.Zero, alias: "Merge");
        Add("Shanghai", shanghai, ttd: UInt256.Zero);
        Add("Cancun", cancun, ttd: UInt256.Zero);
        Add("Prague", prague, ttd: UInt256.Zero);
        Add("Osaka", osaka, ttd: UInt256.Zero);
        Add("BPO1", bpo1, ttd: UInt256.Zero);
        Add("BPO2", bpo2, ttd: UInt256.Zero);
        Add("BPO3", bpo3, ttd: UInt256.Zero);
        Add("BPO4", bpo4, ttd: UInt256.Zero);

        Add("FrontierToHomesteadAt5", [Block(Fork.Homestead, TransitionBlock)]);
        Add("HomesteadToEIP150At5", [.. homestead, Block(Fork.TangerineWhistle, TransitionBlock)]);
        Add("HomesteadToDaoAt5", [.. homestead, Block(Fork.Dao, TransitionBlock)], dao: true);
        Add("EIP158ToByzantiumAt5", [.. eip158, Block(Fork.Byzantium, TransitionBlock)]);
        // geth leaves petersburgBlock unset in "ByzantiumToConstantinopleAt5", and then runs Petersburg with Constantinople.
        Add("ByzantiumToConstantinopleFixAt5", [.. byzantium, Block(Fork.Constantinople, TransitionBlock), Block(Fork.Petersburg, TransitionBlock)],
            alias: "ByzantiumToConstantinopleAt5");
        Add("ConstantinopleFixToIstanbulAt5", [.. constantinopleFix, Block(Fork.Istanbul, TransitionBlock)]);
        Add("BerlinToLondonAt5", [.. berlin, Block(Fork.London, TransitionBlock)]);
        // Merges when total difficulty reaches 0xC0000 (block 6 in every such fixture); the runner passes the
        // merge flag from total difficulty, since number and time alone cannot tell.
        Add("ArrowGlacierToParisAtDiffC0000", grayGlacier, ttd: TransitionDifficulty);
        Add("ParisToShanghaiAtTime15k", [.. grayGlacier, Time(Fork.Shanghai, TransitionTime)], ttd: UInt256.Zero, alias: "MergeToShanghaiAtTime15k");
        Add("ShanghaiToCancunAtTime15k", [.. shanghai, Time(Fork.Cancun, TransitionTime)], ttd: UInt256.Zero);
        Add("CancunToPragueAtTime15k", [.. cancun, Time(Fork.Prague, TransitionTime)], ttd: UInt256.Zero);
        Add("PragueToOsakaAtTime15k", [.. prague, Time(Fork.Osaka, TransitionTime)], ttd: UInt256.Zero);
        Add("OsakaToBPO1AtTime15k", [.. osaka, Time(Fork.Bpo1, TransitionTime)], ttd: UInt256.Zero);
        Add("BPO1ToBPO2AtTime15k", [.. bpo1, Time(Fork.Bpo2, TransitionTime)], ttd: UInt256.Zero);
        Add("BPO2ToBPO3AtTime15k", [.. bpo2, Time(Fork.Bpo3, TransitionTime)], ttd: UInt256.Zero);
        Add("BPO3ToBPO4AtTime15k", [.. bpo3, Time(Fork.Bpo4, TransitionTime)], ttd: UInt256.Zero);
        return n;
    }
}
