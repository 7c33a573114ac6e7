using System.Text.Json;

namespace BeamSync.Core.Specs;

/// <summary>
/// Reads the value forms genesis files use: numbers as JSON numbers (any size), decimal strings or 0x-hex strings;
/// hashes, addresses and byte strings as hex. Every failure is a <see cref="ChainSpecException"/> naming the field.
/// </summary>
internal static class JsonFields
{
    public static UInt256 ReadUInt256(JsonElement value, string field)
    {
        string? text = value.ValueKind switch
        {
            JsonValueKind.Number => value.GetRawText(),
            JsonValueKind.String => value.GetString(),
            _ => null,
        };
        if (text is null) throw new ChainSpecException($"{field}: expected a number, found {Describe(value)}");
        if (text.Length > 100) throw new ChainSpecException($"{field}: number of {text.Length} characters is too long");
        if (!UInt256.TryParse(text, out var result))
            throw new ChainSpecException($"{field}: '{text}' is not an unsigned 256-bit number (decimal or 0x-hex)");
        return result;
    }

    public static ulong ReadUInt64(JsonElement value, string field)
    {
        var big = ReadUInt256(value, field);
        if (!big.IsUInt64) throw new ChainSpecException($"{field}: {big} does not fit 64 bits");
        return big.U0;
    }

    public static bool ReadBool(JsonElement value, string field) => value.ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => throw new ChainSpecException($"{field}: expected true or false, found {Describe(value)}"),
    };

    public static byte[] ReadHexBytes(JsonElement value, string field)
    {
        string text = ReadString(value, field);
        if (!Hex.TryParse(text, out var bytes)) throw new ChainSpecException($"{field}: '{Truncate(text)}' is not hex");
        return bytes;
    }

    public static Hash256 ReadHash(JsonElement value, string field)
    {
        string text = ReadString(value, field);
        if (!Hash256.TryParse(text, out var hash)) throw new ChainSpecException($"{field}: '{Truncate(text)}' is not a 32-byte hex hash");
        return hash;
    }

    public static Address ReadAddress(JsonElement value, string field) => ParseAddress(ReadString(value, field), field);

    public static Address ParseAddress(string text, string field)
    {
        if (!Address.TryParse(text, out var address)) throw new ChainSpecException($"{field}: '{Truncate(text)}' is not a 20-byte hex address");
        return address;
    }

    /// <summary>A storage key or value: hex (0x optional) of at most 32 bytes, read as a big-endian number.</summary>
    public static UInt256 ParseWord(string text, string field)
    {
        if (!Hex.TryParse(text, out var bytes) || bytes.Length > 32)
            throw new ChainSpecException($"{field}: '{Truncate(text)}' is not a hex word of at most 32 bytes");
        return new UInt256(bytes);
    }

    public static JsonElement ReadObject(JsonElement value, string field) =>
        value.ValueKind == JsonValueKind.Object ? value : throw new ChainSpecException($"{field}: expected an object, found {Describe(value)}");

    public static string ReadString(JsonElement value, string field) =>
        value.ValueKind == JsonValueKind.String ? value.GetString()! : throw new ChainSpecException($"{field}: expected a string, found {Describe(value)}");

    private static string Describe(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => $"the string '{Truncate(value.GetString()!)}'",
        JsonValueKind.Null => "null",
        _ => value.GetRawText(),
    };

    private static string Truncate(string s) => s.Length > 80 ? s[..80] + "..." : s;
}
