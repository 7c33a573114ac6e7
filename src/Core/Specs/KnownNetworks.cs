using System.IO.Compression;

namespace BeamSync.Core.Specs;

/// <summary>
/// The public networks' rules as they stand today (fork schedule from ../shared/fixtures/chains/SCHEDULE.md, which
/// extends the genesis files: those stop before Osaka, Sepolia's before Prague), with their genesis hashes. A beam
/// node needs no genesis allocation, so these carry none; <see cref="Load"/> adds one from a genesis file and
/// <see cref="WithShippedGenesis"/> the one shipped in this assembly, each checked against the built-in schedule.
/// Immutable and thread-safe.
/// </summary>
public static class KnownNetworks
{
    private static readonly BlobParameters Bpo1Blobs = new(10, 15, 8346193);
    private static readonly BlobParameters Bpo2Blobs = new(14, 21, 11684671);

    public static ChainSpec Mainnet { get; } = new ChainSpec(1,
    [
        Block(Fork.Homestead, 1_150_000), Block(Fork.Dao, 1_920_000), Block(Fork.TangerineWhistle, 2_463_000),
        Block(Fork.SpuriousDragon, 2_675_000), Block(Fork.Byzantium, 4_370_000), Block(Fork.Constantinople, 7_280_000),
        Block(Fork.Petersburg, 7_280_000), Block(Fork.Istanbul, 9_069_000), Block(Fork.MuirGlacier, 9_200_000),
        Block(Fork.Berlin, 12_244_000), Block(Fork.London, 12_965_000), Block(Fork.ArrowGlacier, 13_773_000),
        Block(Fork.GrayGlacier, 15_050_000),
        Time(Fork.Shanghai, 1681338455), Time(Fork.Cancun, 1710338135), Time(Fork.Prague, 1746612311),
        Time(Fork.Osaka, 1764798551), Time(Fork.Bpo1, 1765290071), Time(Fork.Bpo2, 1767747671),
    ], CurrentBlobSchedule())
    {
        Name = "mainnet",
        DaoForkSupport = true,
        TerminalTotalDifficulty = UInt256.Parse("58750000000000000000000"),
        // The first proof-of-stake block (its parent, 15537393, reached the terminal total difficulty).
        MergeBlock = 15_537_394,
        DepositContractAddress = Address.Parse("0x00000000219ab540356cBB839Cbe05303d7705Fa"),
        Engine = ConsensusEngine.Ethash,
        GenesisTimestamp = 0,
        KnownGenesisHash = Hash256.Parse("0xd4e56740f876aef8c010b86a40d5f56745a118d0906a34e69aec8c0db1cb8fa3"),
    };

    public static ChainSpec Sepolia { get; } = new ChainSpec(11155111,
    [
        .. BlockForksAtGenesisThroughLondon(),
        Time(Fork.Shanghai, 1677557088), Time(Fork.Cancun, 1706655072), Time(Fork.Prague, 1741159776),
        Time(Fork.Osaka, 1760427360), Time(Fork.Bpo1, 1761017184), Time(Fork.Bpo2, 1761607008),
    ], CurrentBlobSchedule())
    {
        Name = "sepolia",
        TerminalTotalDifficulty = UInt256.Parse("17000000000000000"),
        MergeNetsplitBlock = 1_735_371,
        DepositContractAddress = Address.Parse("0x7f02C3E3c98b133055B8B348B2Ac625669Ed295D"),
        Engine = ConsensusEngine.Ethash,
        GenesisTimestamp = 0x6159af19,
        KnownGenesisHash = Hash256.Parse("0x25a5cc106eea7138acab33231d7160d69cb777ee0c2c553fcddf5138993e6dd9"),
    };

    public static ChainSpec Hoodi { get; } = new ChainSpec(560048,
    [
        .. BlockForksAtGenesisThroughLondon(),
        Time(Fork.Shanghai, 0), Time(Fork.Cancun, 0), Time(Fork.Prague, 1742999832),
        Time(Fork.Osaka, 1761677592), Time(Fork.Bpo1, 1762365720), Time(Fork.Bpo2, 1762955544),
    ], CurrentBlobSchedule())
    {
        Name = "hoodi",
        TerminalTotalDifficulty = UInt256.Zero,
        MergeBlock = 0,
        MergeNetsplitBlock = 0,
        DepositContractAddress = Address.Parse("0x00000000219ab540356cBB839Cbe05303d7705Fa"),
        GenesisTimestamp = 1742212800,
        KnownGenesisHash = Hash256.Parse("0xbbe312868b376a3001692a646dd2d7d1e4406380dfd86b98aa8a34d1557c971b"),
    };

    /// <summary>The built-in network of this name (case-insensitive: mainnet, sepolia, hoodi).</summary>
    public static bool TryGet(string name, out ChainSpec spec)
    {
        spec = name.ToLowerInvariant() switch
        {
            "mainnet" => Mainnet,
            "sepolia" => Sepolia,
            "hoodi" => Hoodi,
            _ => null!,
        };
        return spec is not null;
    }

    /// <summary>
    /// A built-in network with the genesis block of <paramref name="genesisPath"/>. Throws
    /// <see cref="ChainSpecException"/> if the file's chain id or any fork it schedules disagrees with the built-in
    /// schedule (forks the file lacks are taken from the schedule: that is the point).
    /// </summary>
    public static ChainSpec Load(string name, string genesisPath)
    {
        var builtIn = Get(name);
        return WithGenesisOf(builtIn, ChainSpec.Load(genesisPath), genesisPath);
    }

    /// <summary>
    /// A built-in network with the genesis shipped inside this assembly (Networks/NAME.json.gz, the network's
    /// published genesis file), checked against the built-in schedule as <see cref="Load"/> checks a file.
    /// </summary>
    public static ChainSpec WithShippedGenesis(string name)
    {
        var builtIn = Get(name);
        string resource = $"BeamSync.Core.Specs.Networks.{builtIn.Name}.json.gz";
        using var compressed = typeof(KnownNetworks).Assembly.GetManifestResourceStream(resource)
            ?? throw new ChainSpecException($"no genesis is shipped for {builtIn.Name}");
        using var json = new StreamReader(new GZipStream(compressed, CompressionMode.Decompress));
        return WithGenesisOf(builtIn, ChainSpec.Parse(json.ReadToEnd()), resource);
    }

    private static ChainSpec Get(string name) =>
        TryGet(name, out var builtIn) ? builtIn : throw new ChainSpecException($"unknown network '{name}' (known: mainnet, sepolia, hoodi)");

    private static ChainSpec WithGenesisOf(ChainSpec builtIn, ChainSpec file, string source)
    {
        string name = builtIn.Name;
        if (file.ChainId != builtIn.ChainId)
            throw new ChainSpecException($"{source}: chain id {file.ChainId} is not {name}'s {builtIn.ChainId}");
        foreach (var a in file.Activations)
        {
            ulong? ours = a.Trigger == ForkTrigger.Block ? builtIn.BlockOf(a.Fork) : builtIn.TimeOf(a.Fork);
            if (ours != a.At)
                throw new ChainSpecException($"{source}: {a.Fork} at {a.At} disagrees with {name}'s schedule ({ours?.ToString() ?? "not scheduled"})");
        }
        var genesis = file.Genesis ?? throw new ChainSpecException($"{source}: no genesis block");
        if (genesis.Timestamp != builtIn.GenesisTimestamp)
            throw new ChainSpecException($"{source}: genesis timestamp {genesis.Timestamp} is not {name}'s {builtIn.GenesisTimestamp}");
        return builtIn.With(genesis: genesis);
    }

    private static Dictionary<Fork, BlobParameters> CurrentBlobSchedule() => new()
    {
        [Fork.Cancun] = BlobParameters.CancunDefault,
        [Fork.Prague] = BlobParameters.PragueDefault,
        [Fork.Osaka] = BlobParameters.PragueDefault,
        [Fork.Bpo1] = Bpo1Blobs,
        [Fork.Bpo2] = Bpo2Blobs,
    };

    /// <summary>Sepolia and Hoodi start with every block-numbered fork through London (none of the bomb delays, no DAO).</summary>
    private static IEnumerable<ForkActivation> BlockForksAtGenesisThroughLondon() =>
    [
        Block(Fork.Homestead, 0), Block(Fork.TangerineWhistle, 0), Block(Fork.SpuriousDragon, 0),
        Block(Fork.Byzantium, 0), Block(Fork.Constantinople, 0), Block(Fork.Petersburg, 0),
        Block(Fork.Istanbul, 0), Block(Fork.Berlin, 0), Block(Fork.London, 0),
    ];

    internal static ForkActivation Block(Fork fork, ulong number) => new(fork, ForkTrigger.Block, number);
    internal static ForkActivation Time(Fork fork, ulong timestamp) => new(fork, ForkTrigger.Timestamp, timestamp);
}
