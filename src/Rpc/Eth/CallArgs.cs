using System.Text.Json;
using BeamSync.Core;
using BeamSync.Core.Types;

namespace BeamSync.Rpc;

/// <summary>
/// The transaction object of eth_call and eth_estimateGas. Absent fields are null; <see cref="ToTransaction"/> fills
/// defaults into an unsigned <see cref="Transaction"/> for intrinsic-gas accounting. Immutable.
/// </summary>
public sealed record CallArgs
{
    public Address? From { get; init; }
    public Address? To { get; init; }
    public ulong? Gas { get; init; }
    public UInt256? GasPrice { get; init; }
    public UInt256? MaxFeePerGas { get; init; }
    public UInt256? MaxPriorityFeePerGas { get; init; }
    public UInt256? MaxFeePerBlobGas { get; init; }
    public UInt256 Value { get; init; }
    public byte[] Data { get; init; } = [];
    public TransactionType? Type { get; init; }
    public AccessListItem[] AccessList { get; init; } = [];
    public Hash256[] BlobVersionedHashes { get; init; } = [];
    public Authorization[] AuthorizationList { get; init; } = [];

    /// <summary>True when no fee field is set (or all are zero): the call then runs with a zero base fee, as geth's.</summary>
    public bool HasNoFees =>
        (GasPrice ?? UInt256.Zero).IsZero && (MaxFeePerGas ?? UInt256.Zero).IsZero && (MaxPriorityFeePerGas ?? UInt256.Zero).IsZero;

    public static CallArgs Parse(JsonElement e, int index)
    {
        if (e.ValueKind != JsonValueKind.Object) throw RpcParams.Invalid(index, "call must be an object");
        var args = new CallArgs
        {
            From = Optional(e, "from", v => RpcJson.ParseAddress(v, index)),
            To = Optional(e, "to", v => RpcJson.ParseAddress(v, index)),
            Gas = Optional(e, "gas", v => RpcJson.ParseULong(v, index)),
            GasPrice = Optional(e, "gasPrice", v => RpcJson.ParseUInt256(v, index)),
            MaxFeePerGas = Optional(e, "maxFeePerGas", v => RpcJson.ParseUInt256(v, index)),
            MaxPriorityFeePerGas = Optional(e, "maxPriorityFeePerGas", v => RpcJson.ParseUInt256(v, index)),
            MaxFeePerBlobGas = Optional(e, "maxFeePerBlobGas", v => RpcJson.ParseUInt256(v, index)),
            Value = Optional(e, "value", v => RpcJson.ParseUInt256(v, index)) ?? UInt256.Zero,
            Type = Optional(e, "type", v => (TransactionType)RpcJson.ParseULong(v, index)),
            AccessList = OptionalRef(e, "accessList", v => ParseAccessList(v, index)) ?? [],
            BlobVersionedHashes = OptionalRef(e, "blobVersionedHashes", v => v.EnumerateArray().Select(h => RpcJson.ParseHash(h, index)).ToArray()) ?? [],
            AuthorizationList = OptionalRef(e, "authorizationList", v => ParseAuthorizations(v, index)) ?? [],
        };
        var input = OptionalRef(e, "input", v => RpcJson.ParseData(v, index));
        var data = OptionalRef(e, "data", v => RpcJson.ParseData(v, index));
        if (input is not null && data is not null && !input.AsSpan().SequenceEqual(data))
            throw RpcParams.Invalid(index, "both \"data\" and \"input\" are set and not equal. Please use \"input\" to pass transaction call data");
        if (args.GasPrice is not null && (args.MaxFeePerGas is not null || args.MaxPriorityFeePerGas is not null))
            throw RpcParams.Invalid(index, "both gasPrice and (maxFeePerGas or maxPriorityFeePerGas) specified");
        return args with { Data = input ?? data ?? [] };
    }

    /// <summary>An unsigned transaction with these fields (its type inferred from the fields when not given).</summary>
    public Transaction ToTransaction(ulong gasLimit) => new()
    {
        Type = Type ?? InferType(),
        To = To,
        Value = Value,
        Data = Data,
        GasLimit = gasLimit,
        GasPrice = GasPrice ?? UInt256.Zero,
        MaxFeePerGas = MaxFeePerGas ?? UInt256.Zero,
        MaxPriorityFeePerGas = MaxPriorityFeePerGas ?? UInt256.Zero,
        MaxFeePerBlobGas = MaxFeePerBlobGas ?? UInt256.Zero,
        AccessList = AccessList,
        BlobVersionedHashes = BlobVersionedHashes,
        AuthorizationList = AuthorizationList,
    };

    private TransactionType InferType() =>
        AuthorizationList.Length > 0 ? TransactionType.SetCode
        : BlobVersionedHashes.Length > 0 ? TransactionType.Blob
        : MaxFeePerGas is not null || MaxPriorityFeePerGas is not null ? TransactionType.DynamicFee
        : AccessList.Length > 0 ? TransactionType.AccessList
        : TransactionType.Legacy;

    private static T? Optional<T>(JsonElement e, string name, Func<JsonElement, T> parse) where T : struct =>
        e.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null ? parse(v) : null;

    private static T? OptionalRef<T>(JsonElement e, string name, Func<JsonElement, T> parse) where T : class =>
        e.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null ? parse(v) : null;

    private static AccessListItem[] ParseAccessList(JsonElement list, int index)
    {
        if (list.ValueKind != JsonValueKind.Array) throw RpcParams.Invalid(index, "accessList must be an array");
        return [.. list.EnumerateArray().Select(item => new AccessListItem(
            RpcJson.ParseAddress(item.GetProperty("address"), index),
            item.TryGetProperty("storageKeys", out var keys) && keys.ValueKind == JsonValueKind.Array
                ? keys.EnumerateArray().Select(k => RpcJson.ParseHash(k, index)).ToArray()
                : []))];
    }

    private static Authorization[] ParseAuthorizations(JsonElement list, int index)
    {
        if (list.ValueKind != JsonValueKind.Array) throw RpcParams.Invalid(index, "authorizationList must be an array");
        return [.. list.EnumerateArray().Select(a => new Authorization(
            RpcJson.ParseUInt256(a.GetProperty("chainId"), index),
            RpcJson.ParseAddress(a.GetProperty("address"), index),
            RpcJson.ParseULong(a.GetProperty("nonce"), index),
            (byte)RpcJson.ParseULong(a.GetProperty("yParity"), index),
            RpcJson.ParseUInt256(a.GetProperty("r"), index),
            RpcJson.ParseUInt256(a.GetProperty("s"), index)))];
    }
}
