using System.Globalization;
using System.Text.Json.Nodes;
using BeamSync.Chain.Building;
using BeamSync.Chain.Engine;
using BeamSync.Chain.Validation;
using BeamSync.Core;
using BeamSync.Core.Specs;
using BeamSync.Core.Types;

namespace BeamSync.Rpc.Engine;

public sealed partial class EngineRpc
{
    /// <summary>One forkchoiceUpdated version: the attribute shapes before and from Shanghai and the forks they may build for.</summary>
    private sealed record ForkchoiceVersion(int Version, Fork First, Fork? Until, EngineShape PreShanghai, EngineShape FromShanghai);

    private static readonly ForkchoiceVersion[] ForkchoiceVersions =
    [
        new(1, Fork.Paris, Fork.Shanghai, EngineShape.V1, EngineShape.V1),
        new(2, Fork.Paris, Fork.Cancun, EngineShape.V1, EngineShape.V2),
        new(3, Fork.Cancun, null, EngineShape.V3, EngineShape.V3),
    ];

    /// <summary>One getPayload version: the forks of the payloads it returns and what it adds around the payload.</summary>
    private sealed record GetPayloadVersion(int Version, Fork First, Fork? Until, bool Envelope, bool Blobs, bool Requests, bool CellProofs);

    private static readonly GetPayloadVersion[] GetPayloadVersions =
    [
        new(1, Fork.Paris, Fork.Shanghai, Envelope: false, Blobs: false, Requests: false, CellProofs: false),
        new(2, Fork.Paris, Fork.Cancun, Envelope: true, Blobs: false, Requests: false, CellProofs: false),
        new(3, Fork.Cancun, Fork.Prague, Envelope: true, Blobs: true, Requests: false, CellProofs: false),
        new(4, Fork.Prague, Fork.Osaka, Envelope: true, Blobs: true, Requests: true, CellProofs: false),
        new(5, Fork.Osaka, null, Envelope: true, Blobs: true, Requests: true, CellProofs: true),
    ];

    /// <summary>
    /// The forkchoiceUpdated version a consensus client sends with attributes for a block of <paramref name="fork"/>
    /// (the newest that takes it) and the attributes' shape.
    /// </summary>
    public static (string Method, EngineShape AttributesShape) ForkchoiceCallFor(Fork fork)
    {
        var v = ForkchoiceVersions.Last(v => Takes(v.First, v.Until, fork));
        return ($"engine_forkchoiceUpdatedV{v.Version}", fork >= Fork.Shanghai ? v.FromShanghai : v.PreShanghai);
    }

    /// <summary>The getPayload version for a block of <paramref name="fork"/>.</summary>
    public static string GetPayloadMethodFor(Fork fork) => $"engine_getPayloadV{GetPayloadVersions.Last(v => Takes(v.First, v.Until, fork)).Version}";

    private static bool Takes(Fork first, Fork? until, Fork fork) => fork >= first && (until is null || fork < until);

    /// <summary>A forkchoice state whose head was not executed yet when it came: it applies once the head's verdict is VALID.</summary>
    private sealed record ForkchoiceState(Hash256 Head, Hash256 Safe, Hash256 Finalized);

    private volatile ForkchoiceState? _awaitedForkchoice;

    private JsonNode ForkchoiceUpdated(RpcParams p, ForkchoiceVersion v)
    {
        var (head, safe, finalized) = EngineJson.ParseForkchoiceState(p.Required(0), 0);
        if (_invalid.TryGet(head, out var invalid)) return Forkchoice(EngineJson.Status(PayloadStatus.Invalid, invalid.LatestValid, invalid.Error));
        var headHeader = _chain.GetHeader(head);
        if (headHeader is null || !_chain.IsExecuted(head))
        {
            _awaitedForkchoice = new ForkchoiceState(head, safe, finalized);
            _executor.SyncToward(head);
            return Forkchoice(EngineJson.Status(PayloadStatus.Syncing));
        }
        if (!IsOnChainOf(headHeader, safe) || !IsOnChainOf(headHeader, finalized))
            throw new RpcException(EngineErrorCodes.InvalidForkchoiceState, "Invalid forkchoice state: the safe or finalized block is not on the head's chain");
        return _executor.Exclusive(() =>
        {
            _chain.SetForkChoice(head, safe, finalized);
            _executor.ForkchoiceApplied(head);
            if (_awaitedForkchoice?.Head == head) _awaitedForkchoice = null;
            ulong? payloadId = null;
            // The spec keeps the fork choice when the attributes are wrong: they are read only after it applied.
            if (p.Has(1) && ParseAttributes(p[1], headHeader, v) is var attributes)
            {
                payloadId = Interlocked.Increment(ref _nextPayloadId);
                _payloads.Set(payloadId.Value, Pending(_chain.Build(headHeader, attributes, _pool.Candidates(BaseFee.Calculate(headHeader, parentIsLondon: true)))));
            }
            return Forkchoice(EngineJson.Status(PayloadStatus.Valid, head), payloadId);
        });
    }

    private BlockAttributes ParseAttributes(System.Text.Json.JsonElement json, BlockHeader headHeader, ForkchoiceVersion v)
    {
        if (json.ValueKind != System.Text.Json.JsonValueKind.Object || !json.TryGetProperty("timestamp", out var ts))
            throw new RpcException(EngineErrorCodes.InvalidPayloadAttributes, "Invalid payload attributes: no timestamp");
        ulong timestamp = RpcJson.ParseULong(ts, 1);
        var fork = ForkAt(headHeader.Number + 1, timestamp);
        BlockAttributes attributes;
        try { attributes = EngineJson.ParseAttributes(json, fork >= Fork.Shanghai ? v.FromShanghai : v.PreShanghai, 1); }
        catch (RpcException e) { throw new RpcException(EngineErrorCodes.InvalidPayloadAttributes, $"Invalid payload attributes: {e.Message}"); }
        CheckFork(fork, v.First, v.Until, $"engine_forkchoiceUpdatedV{v.Version}");
        if (timestamp <= headHeader.Timestamp)
            throw new RpcException(EngineErrorCodes.InvalidPayloadAttributes, $"Invalid payload attributes: timestamp {timestamp} is not after the head's {headHeader.Timestamp}");
        return attributes;
    }

    /// <summary>The awaited head became valid after its forkchoiceUpdated answered SYNCING: move the head as that call asked.</summary>
    private void ApplyAwaitedForkchoice(ForkchoiceState awaited)
    {
        if (_chain.GetHeader(awaited.Head) is not { } header || !IsOnChainOf(header, awaited.Safe) || !IsOnChainOf(header, awaited.Finalized)) return;
        _executor.Exclusive(() =>
        {
            if (_awaitedForkchoice != awaited) return false;
            _chain.SetForkChoice(awaited.Head, awaited.Safe, awaited.Finalized);
            _executor.ForkchoiceApplied(awaited.Head);
            _awaitedForkchoice = null;
            return true;
        });
    }

    private static JsonObject Forkchoice(JsonObject status, ulong? payloadId = null) => new()
    {
        ["payloadStatus"] = status,
        ["payloadId"] = payloadId is { } id ? FormatPayloadId(id) : null,
    };

    private static string FormatPayloadId(ulong id) => "0x" + id.ToString("x16", CultureInfo.InvariantCulture);

    /// <summary>
    /// Whether <paramref name="hash"/> is zero (not named yet) or the head or one of its ancestors: walks parents down
    /// to where the head's branch meets the canonical index, then reads the index.
    /// </summary>
    private bool IsOnChainOf(BlockHeader head, Hash256 hash)
    {
        if (hash == Hash256.Zero) return true;
        if (_chain.GetHeader(hash) is not { } target || target.Number > head.Number) return false;
        var current = head;
        while (current.Number > target.Number)
        {
            if (_chain.Store.GetCanonicalHash(current.Number) == current.Hash) return _chain.Store.GetCanonicalHash(target.Number) == hash;
            if (_chain.GetHeader(current.ParentHash) is not { } parent) return false;
            current = parent;
        }
        return current.Hash == hash;
    }

    private JsonNode GetPayload(RpcParams p, GetPayloadVersion v)
    {
        var idText = p.String(0);
        if (idText.Length != 18 || !idText.StartsWith("0x", StringComparison.Ordinal)
            || !ulong.TryParse(idText.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var id))
            throw RpcParams.Invalid(0, "payload id must be 0x and 16 hex digits");
        if (!_payloads.TryGet(id, out var pending)) throw new RpcException(EngineErrorCodes.UnknownPayload, "Unknown payload");
        var built = pending.Built;
        var header = built.Block.Header;
        var fork = ForkAt(header.Number, header.Timestamp);
        CheckFork(fork, v.First, v.Until, $"engine_getPayloadV{v.Version}");
        var shape = EngineJson.PayloadShapeAt(fork);
        var payload = EngineJson.FormatPayload(ExecutionPayload.FromBlock(built.Block), shape);
        if (!v.Envelope) return payload;
        var envelope = new JsonObject { ["executionPayload"] = payload, ["blockValue"] = RpcJson.Quantity(BlockValue(built)) };
        if (v.Blobs)
        {
            envelope["blobsBundle"] = BlobsBundle(pending.Sidecars, v.CellProofs);
            envelope["shouldOverrideBuilder"] = false;
        }
        if (v.Requests) envelope["executionRequests"] = new JsonArray([.. (built.Requests ?? []).Select(r => RpcJson.Data(r))]);
        return envelope;
    }

    /// <summary>What the fee recipient earns: each transaction's gas used times its tip over the base fee.</summary>
    private static UInt256 BlockValue(BuiltBlock built)
    {
        var baseFee = built.Block.Header.BaseFeePerGas ?? UInt256.Zero;
        var value = UInt256.Zero;
        ulong previous = 0;
        for (int i = 0; i < built.Receipts.Length; i++)
        {
            ulong gasUsed = built.Receipts[i].CumulativeGasUsed - previous;
            previous = built.Receipts[i].CumulativeGasUsed;
            value += new UInt256(gasUsed) * (RpcFormat.EffectiveGasPrice(built.Block.Transactions[i], baseFee) - baseFee);
        }
        return value;
    }
}
