using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using BeamSync.Core;

namespace BeamSync.Rpc;

/// <summary>
/// Ethereum's JSON encodings: quantities as 0x-prefixed hex without leading zeros, data as 0x-prefixed hex bytes,
/// hashes and addresses at their fixed widths. Parsers throw a -32602 <see cref="RpcException"/> naming the
/// argument. Thread-safe static functions.
/// </summary>
public static class RpcJson
{
    public static JsonNode Quantity(ulong value) => JsonValue.Create("0x" + value.ToString("x", CultureInfo.InvariantCulture));
    public static JsonNode Quantity(long value) => Quantity((ulong)value);

    public static JsonNode Quantity(in UInt256 value)
    {
        if (value.IsZero) return JsonValue.Create("0x0");
        var hex = Hex.ToHex(value.ToBigEndianTrimmed(), prefix: false);
        return JsonValue.Create("0x" + hex.TrimStart('0'));
    }

    public static JsonNode Data(ReadOnlySpan<byte> bytes) => JsonValue.Create(Hex.ToHex(bytes));
    public static JsonNode Hash(in Hash256 hash) => JsonValue.Create(Hex.ToHex(hash.Bytes));
    public static JsonNode Address(in Address address) => JsonValue.Create(Hex.ToHex(address.Bytes));
    public static JsonNode? OptionalAddress(Address? address) => address is { } a ? Address(a) : null;

    public static Address ParseAddress(JsonElement e, int index)
    {
        if (e.ValueKind == JsonValueKind.String && e.GetString() is { Length: 42 } s && s.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            && Core.Address.TryParse(s, out var address))
            return address;
        throw RpcParams.Invalid(index, "address must be 0x and 40 hex digits");
    }

    public static Hash256 ParseHash(JsonElement e, int index)
    {
        if (e.ValueKind == JsonValueKind.String && e.GetString() is { Length: 66 } s && s.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            && Hash256.TryParse(s, out var hash))
            return hash;
        throw RpcParams.Invalid(index, "hash must be 0x and 64 hex digits");
    }

    public static ulong ParseULong(JsonElement e, int index)
    {
        if (TryParseQuantity(e, out var value, out var error) && value <= ulong.MaxValue) return (ulong)value;
        throw RpcParams.Invalid(index, error ?? "quantity exceeds 64 bits");
    }

    public static UInt256 ParseUInt256(JsonElement e, int index)
    {
        if (TryParseQuantity(e, out var value, out var error)) return value;
        throw RpcParams.Invalid(index, error!);
    }

    /// <summary>A hex quantity: 0x, 1 to 64 digits, no leading zero (as geth's strict decoder).</summary>
    private static bool TryParseQuantity(JsonElement e, out UInt256 value, out string? error)
    {
        value = default;
        error = null;
        if (e.ValueKind != JsonValueKind.String) { error = "quantity must be a hex string"; return false; }
        var s = e.GetString()!;
        if (!s.StartsWith("0x", StringComparison.OrdinalIgnoreCase)) { error = "hex string without 0x prefix"; return false; }
        var digits = s.AsSpan(2);
        if (digits.Length == 0) { error = "hex string \"0x\""; return false; }
        if (digits.Length > 1 && digits[0] == '0') { error = "hex number with leading zero digits"; return false; }
        if (digits.Length > 64) { error = "hex number larger than 256 bits"; return false; }
        if (!Hex.TryParse(digits, out var bytes)) { error = "invalid hex string"; return false; }
        value = new UInt256(bytes);
        return true;
    }

    public static byte[] ParseData(JsonElement e, int index)
    {
        if (e.ValueKind == JsonValueKind.String && e.GetString() is { } s && s.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            && (s.Length & 1) == 0 && Hex.TryParse(s, out var bytes))
            return bytes;
        throw RpcParams.Invalid(index, "data must be 0x-prefixed hex with an even number of digits");
    }
}
