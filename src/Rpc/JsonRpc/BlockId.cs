using System.Text.Json;
using BeamSync.Core;

namespace BeamSync.Rpc;

/// <summary>Which block a request names: a tag, a number, or a hash (EIP-1898, optionally required canonical).</summary>
public enum BlockTag : byte { Latest, Earliest, Safe, Finalized, Pending, Number, Hash }

/// <summary>A parsed block parameter. Immutable.</summary>
public readonly record struct BlockId(BlockTag Tag, ulong Number = 0, Hash256 Hash = default, bool RequireCanonical = false)
{
    public static readonly BlockId Latest = new(BlockTag.Latest);

    /// <summary>Parses a tag or hex number string, a 32-byte hash string, or an object with blockNumber or blockHash.</summary>
    public static BlockId Parse(JsonElement element, int index)
    {
        if (element.ValueKind == JsonValueKind.Object) return ParseObject(element, index);
        if (element.ValueKind != JsonValueKind.String) throw RpcParams.Invalid(index, "block number or tag must be a string");
        var text = element.GetString()!;
        switch (text)
        {
            case "latest": return Latest;
            case "earliest": return new BlockId(BlockTag.Earliest);
            case "safe": return new BlockId(BlockTag.Safe);
            case "finalized": return new BlockId(BlockTag.Finalized);
            case "pending": return new BlockId(BlockTag.Pending);
        }
        if (text.Length == 66 && Hash256.TryParse(text, out var hash)) return new BlockId(BlockTag.Hash, Hash: hash);
        return new BlockId(BlockTag.Number, RpcJson.ParseULong(element, index));
    }

    private static BlockId ParseObject(JsonElement element, int index)
    {
        bool hasNumber = element.TryGetProperty("blockNumber", out var number);
        bool hasHash = element.TryGetProperty("blockHash", out var hash);
        if (hasNumber == hasHash) throw RpcParams.Invalid(index, "exactly one of blockNumber and blockHash must be given");
        if (hasNumber) return Parse(number, index) is { Tag: not BlockTag.Hash } id ? id : throw RpcParams.Invalid(index, "invalid blockNumber");
        bool canonical = element.TryGetProperty("requireCanonical", out var rc) && rc.ValueKind == JsonValueKind.True;
        return new BlockId(BlockTag.Hash, Hash: RpcJson.ParseHash(hash, index), RequireCanonical: canonical);
    }
}
