using System.Text.Json;

namespace BeamSync.Core.Specs;

public sealed partial class ChainSpec
{
    /// <summary>Config keys naming block-activated forks, lower-cased (JSON keys match case-insensitively, as in geth).</summary>
    private static readonly Dictionary<string, Fork> BlockForkKeys = new()
    {
        ["homesteadblock"] = Fork.Homestead,
        ["daoforkblock"] = Fork.Dao,
        ["eip150block"] = Fork.TangerineWhistle,
        ["eip158block"] = Fork.SpuriousDragon,
        ["byzantiumblock"] = Fork.Byzantium,
        ["constantinopleblock"] = Fork.Constantinople,
        ["petersburgblock"] = Fork.Petersburg,
        ["istanbulblock"] = Fork.Istanbul,
        ["muirglacierblock"] = Fork.MuirGlacier,
        ["berlinblock"] = Fork.Berlin,
        ["londonblock"] = Fork.London,
        ["arrowglacierblock"] = Fork.ArrowGlacier,
        ["grayglacierblock"] = Fork.GrayGlacier,
    };

    private static readonly Dictionary<string, Fork> TimeForkKeys = new()
    {
        ["shanghaitime"] = Fork.Shanghai,
        ["cancuntime"] = Fork.Cancun,
        ["praguetime"] = Fork.Prague,
        ["osakatime"] = Fork.Osaka,
        ["bpo1time"] = Fork.Bpo1,
        ["bpo2time"] = Fork.Bpo2,
        ["bpo3time"] = Fork.Bpo3,
        ["bpo4time"] = Fork.Bpo4,
        ["bpo5time"] = Fork.Bpo5,
    };

    private static readonly Dictionary<string, Fork> BlobScheduleKeys = new()
    {
        ["cancun"] = Fork.Cancun,
        ["prague"] = Fork.Prague,
        ["osaka"] = Fork.Osaka,
        ["bpo1"] = Fork.Bpo1,
        ["bpo2"] = Fork.Bpo2,
        ["bpo3"] = Fork.Bpo3,
        ["bpo4"] = Fork.Bpo4,
        ["bpo5"] = Fork.Bpo5,
    };

    /// <summary>Reads a geth-style genesis file. Every problem (I/O, JSON, values, schedule) is a <see cref="ChainSpecException"/>.</summary>
    public static ChainSpec Load(string path)
    {
        string json;
        try { json = File.ReadAllText(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new ChainSpecException($"cannot read chain spec '{path}': {e.Message}", e);
        }
        try { return Parse(json); }
        catch (ChainSpecException e) { throw new ChainSpecException($"{path}: {e.Message}", e); }
    }

    /// <summary>
    /// Parses a geth-style genesis (an object with <c>config</c> and the genesis fields) or a bare config object.
    /// </summary>
    public static ChainSpec Parse(string json)
    {
        JsonDocument document;
        try { document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 16 }); }
        catch (JsonException e) { throw new ChainSpecException($"invalid JSON: {e.Message}", e); }
        using (document)
        {
            var root = JsonFields.ReadObject(document.RootElement, "genesis");
            if (TryGetProperty(root, "config", out var config))
                return FromConfig(JsonFields.ReadObject(config, "config"), ParseGenesis(root));
            return FromConfig(root, genesis: null);
        }
    }

    /// <summary>Builds a spec from a geth <c>config</c> object.</summary>
    internal static ChainSpec FromConfig(JsonElement config, GenesisSpec? genesis)
    {
        ulong? chainId = null, eip155 = null, netsplit = null;
        UInt256? ttd = null;
        bool daoSupport = false;
        Address? deposit = null;
        var engine = ConsensusEngine.None;
        (ulong, ulong)? clique = null;
        var activations = new List<ForkActivation>();
        var blobs = new Dictionary<Fork, BlobParameters>();

        foreach (var property in config.EnumerateObject())
        {
            var value = property.Value;
            if (value.ValueKind == JsonValueKind.Null) continue;
            string key = property.Name.ToLowerInvariant();
            string field = "config." + property.Name;
            if (BlockForkKeys.TryGetValue(key, out var blockFork))
                activations.Add(new ForkActivation(blockFork, ForkTrigger.Block, JsonFields.ReadUInt64(value, field)));
            else if (TimeForkKeys.TryGetValue(key, out var timeFork))
                activations.Add(new ForkActivation(timeFork, ForkTrigger.Timestamp, JsonFields.ReadUInt64(value, field)));
            else switch (key)
            {
                case "chainid": chainId = JsonFields.ReadUInt64(value, field); break;
                case "daoforksupport": daoSupport = JsonFields.ReadBool(value, field); break;
                case "eip155block": eip155 = JsonFields.ReadUInt64(value, field); break;
                case "mergenetsplitblock": netsplit = JsonFields.ReadUInt64(value, field); break;
                case "terminaltotaldifficulty": ttd = JsonFields.ReadUInt256(value, field); break;
                case "depositcontractaddress": deposit = JsonFields.ReadAddress(value, field); break;
                case "ethash": engine = ConsensusEngine.Ethash; break;
                case "clique":
                    engine = ConsensusEngine.Clique;
                    clique = ReadClique(JsonFields.ReadObject(value, field), field);
                    break;
                case "blobschedule": ReadBlobSchedule(JsonFields.ReadObject(value, field), field, blobs); break;
                default:
                    // A fork we do not know would silently run the wrong rules; everything else unknown is harmless.
                    if (key.EndsWith("block") || key.EndsWith("time"))
                        throw new ChainSpecException($"{field}: unsupported fork");
                    break;
            }
        }

        if (chainId is null) throw new ChainSpecException("config.chainId is missing");
        // geth: without petersburgBlock, Petersburg's rules come with Constantinople.
        int constantinople = activations.FindIndex(a => a.Fork == Fork.Constantinople);
        if (constantinople >= 0 && !activations.Exists(a => a.Fork == Fork.Petersburg))
            activations.Add(activations[constantinople] with { Fork = Fork.Petersburg });
        int spuriousIndex = activations.FindIndex(a => a.Fork == Fork.SpuriousDragon);
        ulong? spurious = spuriousIndex >= 0 ? activations[spuriousIndex].At : null;

        return new ChainSpec(chainId.Value, activations, blobs)
        {
            DaoForkSupport = daoSupport,
            Eip155Block = eip155 == spurious ? null : eip155,
            TerminalTotalDifficulty = ttd,
            MergeBlock = ttd is { IsZero: true } ? 0 : null,
            MergeNetsplitBlock = netsplit,
            DepositContractAddress = deposit,
            Engine = engine,
            Clique = clique,
            Genesis = genesis,
        };
    }

    /// <summary>Reads a <c>blobSchedule</c> object (fork names case-insensitive, values numbers or strings) into <paramref name="into"/>.</summary>
    internal static void ReadBlobSchedule(JsonElement schedule, string field, Dictionary<Fork, BlobParameters> into)
    {
        foreach (var entry in schedule.EnumerateObject())
        {
            // Entries for forks beyond ours (e.g. Amsterdam) cannot apply: no timestamp of ours activates them.
            if (!BlobScheduleKeys.TryGetValue(entry.Name.ToLowerInvariant(), out var fork)) continue;
            string entryField = $"{field}.{entry.Name}";
            var body = JsonFields.ReadObject(entry.Value, entryField);
            into[fork] = new BlobParameters(
                JsonFields.ReadUInt64(Required(body, "target", entryField), entryField + ".target"),
                JsonFields.ReadUInt64(Required(body, "max", entryField), entryField + ".max"),
                JsonFields.ReadUInt64(Required(body, "baseFeeUpdateFraction", entryField), entryField + ".baseFeeUpdateFraction"));
        }
    }

    private static (ulong, ulong) ReadClique(JsonElement clique, string field)
    {
        ulong period = TryGetProperty(clique, "period", out var p) ? JsonFields.ReadUInt64(p, field + ".period") : 0;
        ulong epoch = TryGetProperty(clique, "epoch", out var e) ? JsonFields.ReadUInt64(e, field + ".epoch") : 30000;
        return (period, epoch);
    }

    private static JsonElement Required(JsonElement obj, string name, string field) =>
        TryGetProperty(obj, name, out var value) ? value : throw new ChainSpecException($"{field}.{name} is missing");

    /// <summary>Case-insensitive property lookup that treats null as absent.</summary>
    internal static bool TryGetProperty(JsonElement obj, string name, out JsonElement value)
    {
        foreach (var property in obj.EnumerateObject())
        {
            if (property.Value.ValueKind != JsonValueKind.Null && property.Name.Equals(name, StringComparison.OrdinalIgnoreCase))
            {
                value = property.Value;
                return true;
            }
        }
        value = default;
        return false;
    }
}
