using System.Text.Json;
using BeamSync.Core;

namespace BeamSync.Rpc;

/// <summary>
/// The positional parameters of one request, with typed readers that turn anything malformed into a -32602
/// <see cref="RpcException"/> naming the argument. A view over the request's <see cref="JsonDocument"/>; valid while
/// the request is being handled.
/// </summary>
public readonly struct RpcParams(JsonElement array)
{
    public int Count => array.ValueKind == JsonValueKind.Array ? array.GetArrayLength() : 0;

    /// <summary>Whether argument <paramref name="index"/> is present and not null.</summary>
    public bool Has(int index) => index < Count && array[index].ValueKind != JsonValueKind.Null;

    public JsonElement this[int index] => index < Count ? array[index] : default;

    public JsonElement Required(int index) =>
        Has(index) ? array[index] : throw RpcException.InvalidParams($"missing value for required argument {index}");

    public string String(int index) =>
        Required(index) is { ValueKind: JsonValueKind.String } e ? e.GetString()! : throw Invalid(index, "expected a string");

    public Address Address(int index) => RpcJson.ParseAddress(Required(index), index);
    public Hash256 Hash(int index) => RpcJson.ParseHash(Required(index), index);
    public ulong Quantity(int index) => RpcJson.ParseULong(Required(index), index);

    public bool Bool(int index) => Required(index).ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => throw Invalid(index, "expected a boolean"),
    };

    public bool OptionalBool(int index) => Has(index) && Bool(index);

    /// <summary>A block number, tag, hash or EIP-1898 object; "latest" when absent.</summary>
    public BlockId BlockId(int index) => Has(index) ? Rpc.BlockId.Parse(array[index], index) : Rpc.BlockId.Latest;

    public static RpcException Invalid(int index, string reason) => RpcException.InvalidParams($"invalid argument {index}: {reason}");
}
