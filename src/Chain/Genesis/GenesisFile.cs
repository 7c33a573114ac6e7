using System.Security.Cryptography;
using System.Text.Json;
using BeamSync.Chain.Specs;
using BeamSync.Core;
using BeamSync.Core.Specs;
using BeamSync.Core.Types;

namespace BeamSync.Chain.Genesis;

/// <summary>
/// A geth-style <c>genesis.json</c>: the chain configuration, the allocation and the genesis header fields. The
/// genesis header follows geth's rules for the forks active at genesis: a base fee (1 gwei unless given) from London,
/// the empty withdrawals root from Shanghai, zero blob gas fields and a zero parent beacon root from Cancun, and the
/// requests hash of no requests (sha256 of nothing) from Prague. Immutable after loading.
/// </summary>
public sealed class GenesisFile
{
    /// <summary>geth's default genesis gas limit when the file gives none.</summary>
    public const ulong DefaultGasLimit = 4_712_388;
    private static readonly (string Key, Fork Fork)[] BlockForks =
    [
        ("homesteadBlock", Fork.Homestead), ("eip150Block", Fork.TangerineWhistle), ("eip158Block", Fork.SpuriousDragon),
        ("byzantiumBlock", Fork.Byzantium), ("constantinopleBlock", Fork.Constantinople), ("petersburgBlock", Fork.Petersburg),
        ("istanbulBlock", Fork.Istanbul), ("muirGlacierBlock", Fork.MuirGlacier), ("berlinBlock", Fork.Berlin),
        ("londonBlock", Fork.London), ("arrowGlacierBlock", Fork.ArrowGlacier), ("grayGlacierBlock", Fork.GrayGlacier),
    ];
    private static readonly (string Key, Fork Fork)[] TimeForks =
    [
        ("shanghaiTime", Fork.Shanghai), ("cancunTime", Fork.Cancun), ("pragueTime", Fork.Prague), ("osakaTime", Fork.Osaka),
    ];

    public required ChainConfig Config { get; init; }
    public required BlockHeader Header { get; init; }
    public required IReadOnlyList<GenesisAccount> Alloc { get; init; }

    public static GenesisFile Load(string path)
    {
        byte[] bytes;
        try { bytes = File.ReadAllBytes(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { throw new GenesisFileException($"cannot read {path}: {e.Message}", e); }
        try
        {
            using var doc = JsonDocument.Parse(bytes);
            return Parse(doc.RootElement);
        }
        catch (JsonException e) { throw new GenesisFileException($"{path} is not valid JSON: {e.Message}", e); }
        catch (Exception e) when (e is FormatException or InvalidOperationException or KeyNotFoundException or OverflowException or ArgumentException)
        {
            throw new GenesisFileException($"{path}: {e.Message}", e);
        }
    }

    public static GenesisFile Parse(JsonElement root)
    {
        var config = ParseConfig(root.GetProperty("config"));
        var alloc = ParseAlloc(root.TryGetProperty("alloc", out var a) ? a : default);
        ulong timestamp = OptionalU64(root, "timestamp") ?? 0;
        var fork = config.ForkAt(0, timestamp, UInt256.Zero);
        var header = new BlockHeader
        {
            ParentHash = OptionalHash(root, "parentHash") ?? Hash256.Zero,
            Coinbase = root.TryGetProperty("coinbase", out var cb) && cb.GetString() is { } c ? Address.Parse(c) : Address.Zero,
            Difficulty = OptionalU256(root, "difficulty") ?? UInt256.Zero,
            Number = OptionalU64(root, "number") ?? 0,
            GasLimit = OptionalU64(root, "gasLimit") is { } gl and not 0 ? gl : DefaultGasLimit,
            GasUsed = OptionalU64(root, "gasUsed") ?? 0,
            Timestamp = timestamp,
            ExtraData = root.TryGetProperty("extraData", out var ed) && ed.GetString() is { } e ? Hex.Parse(e) : [],
            MixHash = OptionalHash(root, "mixHash") ?? Hash256.Zero,
            Nonce = OptionalU64(root, "nonce") ?? 0,
            BaseFeePerGas = fork >= Fork.London ? OptionalU256(root, "baseFeePerGas") ?? 1_000_000_000UL : null,
            WithdrawalsRoot = fork >= Fork.Shanghai ? Hash256.EmptyTrieRoot : null,
            BlobGasUsed = fork >= Fork.Cancun ? OptionalU64(root, "blobGasUsed") ?? 0 : null,
            ExcessBlobGas = fork >= Fork.Cancun ? OptionalU64(root, "excessBlobGas") ?? 0 : null,
            ParentBeaconBlockRoot = fork >= Fork.Cancun ? Hash256.Zero : null,
            RequestsHash = fork >= Fork.Prague ? new Hash256(SHA256.HashData(ReadOnlySpan<byte>.Empty)) : null,
            StateRoot = Hash256.Zero, // set by the caller once the allocation is committed
        };
        return new GenesisFile { Config = config, Header = header, Alloc = alloc };
    }

    private static ChainConfig ParseConfig(JsonElement config)
    {
        var activations = new List<ChainConfig.Activation>();
        foreach (var (key, fork) in BlockForks)
            if (OptionalU64(config, key) is { } block) activations.Add(new(fork, block, null));
        foreach (var (key, fork) in TimeForks)
            if (OptionalU64(config, key) is { } time) activations.Add(new(fork, null, time));
        ulong? dao = config.TryGetProperty("daoForkSupport", out var support) && support.ValueKind == JsonValueKind.True
            ? OptionalU64(config, "daoForkBlock") : null;
        return new ChainConfig
        {
            ChainId = OptionalU64(config, "chainId") ?? 1,
            Activations = activations,
            TerminalTotalDifficulty = OptionalU256(config, "terminalTotalDifficulty"),
            DaoForkBlock = dao,
        };
    }

    private static List<GenesisAccount> ParseAlloc(JsonElement alloc)
    {
        var accounts = new List<GenesisAccount>();
        if (alloc.ValueKind != JsonValueKind.Object) return accounts;
        foreach (var entry in alloc.EnumerateObject())
        {
            var v = entry.Value;
            var storage = new List<KeyValuePair<UInt256, UInt256>>();
            if (v.TryGetProperty("storage", out var s) && s.ValueKind == JsonValueKind.Object)
                foreach (var slot in s.EnumerateObject())
                    storage.Add(new(ParseQuantity(slot.Name), ParseQuantity(slot.Value.GetString()!)));
            accounts.Add(new GenesisAccount(
                Address.Parse(entry.Name.StartsWith("0x", StringComparison.Ordinal) ? entry.Name : "0x" + entry.Name),
                OptionalU64(v, "nonce") ?? 0,
                OptionalU256(v, "balance") ?? UInt256.Zero,
                v.TryGetProperty("code", out var code) && code.GetString() is { } hex ? Hex.Parse(hex) : [],
                storage));
        }
        return accounts;
    }

    /// <summary>A JSON number, a 0x-hex string or a decimal string.</summary>
    internal static UInt256 ParseQuantity(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Number => new UInt256(e.GetUInt64()),
        JsonValueKind.String => ParseQuantity(e.GetString()!),
        _ => throw new FormatException($"expected a quantity, found {e.ValueKind}"),
    };

    internal static UInt256 ParseQuantity(string s) => UInt256.Parse(s);

    private static UInt256? OptionalU256(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var v) && v.ValueKind is JsonValueKind.Number or JsonValueKind.String ? ParseQuantity(v) : null;

    private static ulong? OptionalU64(JsonElement obj, string name)
    {
        if (OptionalU256(obj, name) is not { } v) return null;
        if (!v.IsUInt64) throw new FormatException($"{name} does not fit 64 bits");
        return v.U0;
    }

    private static Hash256? OptionalHash(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var v) && v.GetString() is { } s ? Hash256.Parse(s) : null;
}
