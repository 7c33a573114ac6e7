using System.Text.Json;
using System.Text.Json.Nodes;
using BeamSync.Chain.Building;
using BeamSync.Chain.Engine;
using BeamSync.Core;
using BeamSync.Core.Types;

namespace BeamSync.Rpc.Engine;

/// <summary>The shape of an ExecutionPayload or PayloadAttributes object: which fields a version adds.</summary>
public enum EngineShape { V1 = 1, V2 = 2, V3 = 3 }

/// <summary>
/// The engine API's JSON objects: ExecutionPayloadV1..V3, PayloadAttributesV1..V3, ForkchoiceStateV1 and
/// PayloadStatusV1. Parsing is strict as the spec asks: every field of the shape present, no field of another
/// shape (a null counts as absent), fixed lengths checked; anything else is a -32602 <see cref="RpcException"/>.
/// Thread-safe static functions.
/// </summary>
public static class EngineJson
{
    /// <summary>The largest extraData of a post-merge header (EIP-3675 keeps the 32-byte limit).</summary>
    public const int MaxExtraDataBytes = 32;

    private static readonly string[] PayloadV1Fields =
        ["parentHash", "feeRecipient", "stateRoot", "receiptsRoot", "logsBloom", "prevRandao", "blockNumber", "gasLimit", "gasUsed",
         "timestamp", "extraData", "baseFeePerGas", "blockHash", "transactions"];
    private static readonly string[] PayloadV2Fields = [.. PayloadV1Fields, "withdrawals"];
    private static readonly string[] PayloadV3Fields = [.. PayloadV2Fields, "blobGasUsed", "excessBlobGas"];
    private static readonly string[] AttributesV1Fields = ["timestamp", "prevRandao", "suggestedFeeRecipient"];
    private static readonly string[] AttributesV2Fields = [.. AttributesV1Fields, "withdrawals"];
    private static readonly string[] AttributesV3Fields = [.. AttributesV2Fields, "parentBeaconBlockRoot"];

    /// <summary>The payload shape of a block under <paramref name="fork"/>: V2 adds Shanghai's withdrawals, V3 Cancun's blob gas.</summary>
    public static EngineShape PayloadShapeAt(Core.Specs.Fork fork) =>
        fork >= Core.Specs.Fork.Cancun ? EngineShape.V3 : fork >= Core.Specs.Fork.Shanghai ? EngineShape.V2 : EngineShape.V1;

    /// <summary>Which payload shape <paramref name="e"/> has: the newest whose fields it carries.</summary>
    public static EngineShape PayloadShapeOf(JsonElement e) =>
        Present(e, "blobGasUsed") || Present(e, "excessBlobGas") ? EngineShape.V3 : Present(e, "withdrawals") ? EngineShape.V2 : EngineShape.V1;

    public static EngineShape AttributesShapeOf(JsonElement e) =>
        Present(e, "parentBeaconBlockRoot") ? EngineShape.V3 : Present(e, "withdrawals") ? EngineShape.V2 : EngineShape.V1;

    public static ExecutionPayload ParsePayload(JsonElement e, EngineShape shape, int index)
    {
        RequireShape(e, shape switch { EngineShape.V1 => PayloadV1Fields, EngineShape.V2 => PayloadV2Fields, _ => PayloadV3Fields }, index, "execution payload");
        var bloom = Field(e, "logsBloom", index, RpcJson.ParseData);
        if (bloom.Length != Bloom.Size) throw Invalid(index, $"logsBloom is {bloom.Length} bytes, not {Bloom.Size}");
        var extraData = Field(e, "extraData", index, RpcJson.ParseData);
        if (extraData.Length > MaxExtraDataBytes) throw Invalid(index, $"extraData is {extraData.Length} bytes, at most {MaxExtraDataBytes}");
        var transactions = e.GetProperty("transactions");
        if (transactions.ValueKind != JsonValueKind.Array) throw Invalid(index, "transactions must be an array");
        return new ExecutionPayload
        {
            ParentHash = Field(e, "parentHash", index, RpcJson.ParseHash),
            FeeRecipient = Field(e, "feeRecipient", index, RpcJson.ParseAddress),
            StateRoot = Field(e, "stateRoot", index, RpcJson.ParseHash),
            ReceiptsRoot = Field(e, "receiptsRoot", index, RpcJson.ParseHash),
            LogsBloom = new Bloom(bloom),
            PrevRandao = Field(e, "prevRandao", index, RpcJson.ParseHash),
            BlockNumber = Field(e, "blockNumber", index, RpcJson.ParseULong),
            GasLimit = Field(e, "gasLimit", index, RpcJson.ParseULong),
            GasUsed = Field(e, "gasUsed", index, RpcJson.ParseULong),
            Timestamp = Field(e, "timestamp", index, RpcJson.ParseULong),
            ExtraData = extraData,
            BaseFeePerGas = Field(e, "baseFeePerGas", index, RpcJson.ParseUInt256),
            BlockHash = Field(e, "blockHash", index, RpcJson.ParseHash),
            Transactions = [.. transactions.EnumerateArray().Select(t => RpcJson.ParseData(t, index))],
            Withdrawals = shape >= EngineShape.V2 ? ParseWithdrawals(e.GetProperty("withdrawals"), index) : null,
            BlobGasUsed = shape >= EngineShape.V3 ? Field(e, "blobGasUsed", index, RpcJson.ParseULong) : null,
            ExcessBlobGas = shape >= EngineShape.V3 ? Field(e, "excessBlobGas", index, RpcJson.ParseULong) : null,
        };
    }

    public static BlockAttributes ParseAttributes(JsonElement e, EngineShape shape, int index)
    {
        RequireShape(e, shape switch { EngineShape.V1 => AttributesV1Fields, EngineShape.V2 => AttributesV2Fields, _ => AttributesV3Fields }, index, "payload attributes");
        return new BlockAttributes(
            Field(e, "timestamp", index, RpcJson.ParseULong),
            Field(e, "suggestedFeeRecipient", index, RpcJson.ParseAddress),
            Field(e, "prevRandao", index, RpcJson.ParseHash),
            shape >= EngineShape.V3 ? Field(e, "parentBeaconBlockRoot", index, RpcJson.ParseHash) : default,
            shape >= EngineShape.V2 ? ParseWithdrawals(e.GetProperty("withdrawals"), index) : []);
    }

    /// <summary>Payload attributes as a consensus client sends them: V1's three fields, V2 adds the withdrawals, V3 the parent beacon block root.</summary>
    public static JsonObject FormatAttributes(BlockAttributes attributes, EngineShape shape)
    {
        var o = new JsonObject
        {
            ["timestamp"] = RpcJson.Quantity(attributes.Timestamp),
            ["prevRandao"] = RpcJson.Hash(attributes.PrevRandao),
            ["suggestedFeeRecipient"] = RpcJson.Address(attributes.FeeRecipient),
        };
        if (shape >= EngineShape.V2) o["withdrawals"] = FormatWithdrawals(attributes.Withdrawals);
        if (shape >= EngineShape.V3) o["parentBeaconBlockRoot"] = RpcJson.Hash(attributes.ParentBeaconBlockRoot);
        return o;
    }

    /// <summary>A ForkchoiceStateV1.</summary>
    public static JsonObject FormatForkchoiceState(Hash256 head, Hash256 safe, Hash256 finalized) => new()
    {
        ["headBlockHash"] = RpcJson.Hash(head), ["safeBlockHash"] = RpcJson.Hash(safe), ["finalizedBlockHash"] = RpcJson.Hash(finalized),
    };

    /// <summary>headBlockHash, safeBlockHash, finalizedBlockHash.</summary>
    public static (Hash256 Head, Hash256 Safe, Hash256 Finalized) ParseForkchoiceState(JsonElement e, int index)
    {
        RequireShape(e, ["headBlockHash", "safeBlockHash", "finalizedBlockHash"], index, "forkchoice state");
        return (Field(e, "headBlockHash", index, RpcJson.ParseHash), Field(e, "safeBlockHash", index, RpcJson.ParseHash),
            Field(e, "finalizedBlockHash", index, RpcJson.ParseHash));
    }

    private static Withdrawal[] ParseWithdrawals(JsonElement e, int index)
    {
        if (e.ValueKind != JsonValueKind.Array) throw Invalid(index, "withdrawals must be an array");
        return [.. e.EnumerateArray().Select(w =>
        {
            RequireShape(w, ["index", "validatorIndex", "address", "amount"], index, "withdrawal");
            return new Withdrawal(Field(w, "index", index, RpcJson.ParseULong), Field(w, "validatorIndex", index, RpcJson.ParseULong),
                Field(w, "address", index, RpcJson.ParseAddress), Field(w, "amount", index, RpcJson.ParseULong));
        })];
    }

    public static JsonObject FormatPayload(ExecutionPayload payload, EngineShape shape)
    {
        var o = new JsonObject
        {
            ["parentHash"] = RpcJson.Hash(payload.ParentHash),
            ["feeRecipient"] = RpcJson.Address(payload.FeeRecipient),
            ["stateRoot"] = RpcJson.Hash(payload.StateRoot),
            ["receiptsRoot"] = RpcJson.Hash(payload.ReceiptsRoot),
            ["logsBloom"] = RpcJson.Data(payload.LogsBloom.Bytes),
            ["prevRandao"] = RpcJson.Hash(payload.PrevRandao),
            ["blockNumber"] = RpcJson.Quantity(payload.BlockNumber),
            ["gasLimit"] = RpcJson.Quantity(payload.GasLimit),
            ["gasUsed"] = RpcJson.Quantity(payload.GasUsed),
            ["timestamp"] = RpcJson.Quantity(payload.Timestamp),
            ["extraData"] = RpcJson.Data(payload.ExtraData),
            ["baseFeePerGas"] = RpcJson.Quantity(payload.BaseFeePerGas),
            ["blockHash"] = RpcJson.Hash(payload.BlockHash),
            ["transactions"] = new JsonArray([.. payload.Transactions.Select(t => RpcJson.Data(t))]),
        };
        if (shape >= EngineShape.V2) o["withdrawals"] = FormatWithdrawals(payload.Withdrawals ?? []);
        if (shape >= EngineShape.V3)
        {
            o["blobGasUsed"] = RpcJson.Quantity(payload.BlobGasUsed ?? 0);
            o["excessBlobGas"] = RpcJson.Quantity(payload.ExcessBlobGas ?? 0);
        }
        return o;
    }

    /// <summary>An ExecutionPayloadBodyV1: transactions, and withdrawals (null before Shanghai).</summary>
    public static JsonObject FormatBody(BlockBody body) => new()
    {
        ["transactions"] = new JsonArray([.. body.Transactions.Select(t => RpcJson.Data(t.EncodeCanonical()))]),
        ["withdrawals"] = body.Withdrawals is { } w ? FormatWithdrawals(w) : null,
    };

    private static JsonArray FormatWithdrawals(IEnumerable<Withdrawal> withdrawals) => new([.. withdrawals.Select(w => (JsonNode)new JsonObject
    {
        ["index"] = RpcJson.Quantity(w.Index),
        ["validatorIndex"] = RpcJson.Quantity(w.ValidatorIndex),
        ["address"] = RpcJson.Address(w.Address),
        ["amount"] = RpcJson.Quantity(w.AmountGwei),
    })]);

    public static JsonObject Status(string status, Hash256? latestValidHash = null, string? validationError = null) => new()
    {
        ["status"] = status,
        ["latestValidHash"] = latestValidHash is { } h ? RpcJson.Hash(h) : null,
        ["validationError"] = validationError,
    };

    private static bool Present(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null;

    /// <summary>Every field of <paramref name="fields"/> present and no other (nulls count as absent).</summary>
    private static void RequireShape(JsonElement e, string[] fields, int index, string what)
    {
        if (e.ValueKind != JsonValueKind.Object) throw Invalid(index, $"{what} must be an object");
        foreach (var field in fields)
            if (!Present(e, field)) throw Invalid(index, $"{what} lacks {field}");
        foreach (var property in e.EnumerateObject())
            if (property.Value.ValueKind != JsonValueKind.Null && Array.IndexOf(fields, property.Name) < 0)
                throw Invalid(index, $"{what} has a field {property.Name} its version does not have");
    }

    private static T Field<T>(JsonElement e, string name, int index, Func<JsonElement, int, T> parse)
    {
        try { return parse(e.GetProperty(name), index); }
        catch (RpcException inner) { throw Invalid(index, $"{name}: {inner.Message}"); }
    }

    private static RpcException Invalid(int index, string reason) => RpcParams.Invalid(index, reason);
}
