using System.Text.Json;
using System.Text.Json.Nodes;
using BeamSync.Chain;
using BeamSync.Chain.Engine;
using BeamSync.Chain.Processing;
using BeamSync.Core;
using BeamSync.Core.Specs;
using BeamSync.Core.Types;
using BeamSync.Trie;

namespace BeamSync.Rpc.Engine;

public sealed partial class EngineRpc
{
    /// <summary>
    /// One newPayload version: the forks its payload's timestamp may fall in (<paramref name="Until"/> excluded; null:
    /// no later version yet), the payload shape before and from Shanghai, and whether it takes the versioned hashes and
    /// parent beacon block root (Cancun) and the execution requests (Prague).
    /// </summary>
    private sealed record NewPayloadVersion(int Version, int Params, Fork First, Fork? Until, EngineShape PreShanghai, EngineShape FromShanghai, bool Blobs, bool Requests);

    private static readonly NewPayloadVersion[] NewPayloadVersions =
    [
        new(1, 1, Fork.Paris, Fork.Shanghai, EngineShape.V1, EngineShape.V1, Blobs: false, Requests: false),
        new(2, 1, Fork.Paris, Fork.Cancun, EngineShape.V1, EngineShape.V2, Blobs: false, Requests: false),
        new(3, 3, Fork.Cancun, Fork.Prague, EngineShape.V3, EngineShape.V3, Blobs: true, Requests: false),
        new(4, 4, Fork.Prague, null, EngineShape.V3, EngineShape.V3, Blobs: true, Requests: true),
    ];

    /// <summary>
    /// The newPayload call a consensus client would send for <paramref name="block"/> (the version its fork takes, with
    /// the blob hashes, beacon root and <paramref name="requests"/> beside the payload), as <c>method</c> and <c>params</c>.
    /// </summary>
    public static JsonObject NewPayloadCall(ChainSpec spec, Block block, byte[][]? requests)
    {
        var fork = spec.ForkAt(block.Number, block.Header.Timestamp, postMerge: true);
        var v = NewPayloadVersions.Last(v => fork >= v.First && (v.Until is null || fork < v.Until));
        var parameters = new JsonArray(EngineJson.FormatPayload(ExecutionPayload.FromBlock(block), EngineJson.PayloadShapeAt(fork)));
        if (v.Blobs)
        {
            parameters.Add(new JsonArray([.. block.Transactions.SelectMany(t => t.BlobVersionedHashes).Select(h => (JsonNode)RpcJson.Hash(h))]));
            parameters.Add(RpcJson.Hash(block.Header.ParentBeaconBlockRoot ?? Hash256.Zero));
        }
        if (v.Requests) parameters.Add(new JsonArray([.. (requests ?? []).Select(r => (JsonNode)RpcJson.Data(r))]));
        return new JsonObject { ["method"] = $"engine_newPayloadV{v.Version}", ["params"] = parameters };
    }

    private JsonNode NewPayload(RpcParams p, NewPayloadVersion v)
    {
        string method = $"engine_newPayloadV{v.Version}";
        var json = p.Required(0);
        if (json.ValueKind != JsonValueKind.Object || !json.TryGetProperty("timestamp", out var ts) || !json.TryGetProperty("blockNumber", out var number))
            throw RpcParams.Invalid(0, "execution payload lacks timestamp or blockNumber");
        var fork = ForkAt(RpcJson.ParseULong(number, 0), RpcJson.ParseULong(ts, 0));
        // The fork first: a payload of another fork's version is "unsupported fork", not a shape error.
        CheckFork(fork, v.First, v.Until, method);
        var payload = EngineJson.ParsePayload(json, fork >= Fork.Shanghai ? v.FromShanghai : v.PreShanghai, 0);
        Hash256[]? versionedHashes = null;
        Hash256? beaconRoot = null, requestsHash = null;
        if (v.Blobs)
        {
            versionedHashes = ParseHashes(p.Required(1), 1);
            beaconRoot = p.Hash(2);
        }
        if (v.Requests) requestsHash = ExecutionRequests.Hash(ParseRequests(p.Required(3), 3));

        // A block we hold answers from the store: its header may carry what no payload can (the genesis's difficulty
        // and nonce), so the payload is compared field by field with the stored block's instead of rehashed.
        if (_chain.IsExecuted(payload.BlockHash) && _chain.Store.GetBlock(payload.BlockHash) is { } stored)
        {
            var shape = EngineJson.PayloadShapeAt(fork);
            bool same = EngineJson.FormatPayload(ExecutionPayload.FromBlock(stored), shape).ToJsonString() == EngineJson.FormatPayload(payload, shape).ToJsonString()
                && stored.Header.ParentBeaconBlockRoot == beaconRoot && stored.Header.RequestsHash == requestsHash;
            return same ? EngineJson.Status(PayloadStatus.Valid, payload.BlockHash)
                : EngineJson.Status(v.Version == 1 ? PayloadStatus.InvalidBlockHash : PayloadStatus.Invalid, null, $"payload does not match block {payload.BlockHash}");
        }
        Block block;
        try { block = payload.ToBlock(beaconRoot, requestsHash); }
        catch (InvalidPayloadException e)
        {
            // Only V1 keeps INVALID_BLOCK_HASH; Shanghai folded it into INVALID.
            string status = e.Error == PayloadError.BlockHashMismatch && v.Version == 1 ? PayloadStatus.InvalidBlockHash : PayloadStatus.Invalid;
            return EngineJson.Status(status, null, e.Message);
        }
        if (versionedHashes is not null && !block.Transactions.SelectMany(t => t.BlobVersionedHashes).SequenceEqual(versionedHashes))
            return EngineJson.Status(PayloadStatus.Invalid, null, "the blob versioned hashes do not match the payload's blob transactions");
        return Execute(block);
    }

    /// <summary>
    /// Hands a payload's block to the executor and answers with its verdict when it comes within the budget; otherwise
    /// SYNCING (ACCEPTED on a side chain), and the verdict, once in, answers the next call about the block.
    /// </summary>
    private JsonObject Execute(Block block)
    {
        if (_invalid.TryGet(block.Hash, out var known)) return EngineJson.Status(PayloadStatus.Invalid, known.LatestValid, known.Error);
        if (_chain.IsExecuted(block.Hash)) return EngineJson.Status(PayloadStatus.Valid, block.Hash);
        var parentHash = block.Header.ParentHash;
        if (_invalid.TryGet(parentHash, out var invalidParent))
            return Remember(block.Hash, invalidParent.LatestValid, $"descends from invalid block {parentHash}: {invalidParent.Error}");
        var verdict = _executor.Submit(block);
        if (!verdict.IsCompleted)
            _ = verdict.ContinueWith(t => OnLateVerdict(block, t.Result), CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);
        bool inTime;
        try { inTime = verdict.Wait(_payloadBudget); }
        catch (AggregateException) { return EngineJson.Status(PayloadStatus.Syncing); }
        if (!inTime) return EngineJson.Status(IsSideChain(block) ? PayloadStatus.Accepted : PayloadStatus.Syncing);
        return StatusOf(block, verdict.Result);
    }

    private JsonObject StatusOf(Block block, PayloadVerdict verdict)
    {
        switch (verdict.Outcome)
        {
            case PayloadOutcome.Valid:
                _pool.RemoveIncluded(block);
                return EngineJson.Status(PayloadStatus.Valid, block.Hash);
            case PayloadOutcome.Invalid:
                return Remember(block.Hash, verdict.LatestValidHash, verdict.Error ?? "invalid block");
            default:
                return EngineJson.Status(PayloadStatus.Syncing);
        }
    }

    /// <summary>A verdict that came after the call answered: kept for the next call, and the head moves if fork choice was waiting for it.</summary>
    private void OnLateVerdict(Block block, PayloadVerdict verdict)
    {
        StatusOf(block, verdict);
        if (verdict.Outcome == PayloadOutcome.Valid && _awaitedForkchoice is { } awaited && awaited.Head == block.Hash)
            ApplyAwaitedForkchoice(awaited);
    }

    /// <summary>A block whose parent is known but not on the canonical chain: the spec's ACCEPTED while it is not executed yet.</summary>
    private bool IsSideChain(Block block) =>
        _chain.GetHeader(block.Header.ParentHash) is { } parent && _chain.Store.GetCanonicalHash(parent.Number) != parent.Hash;

    private JsonObject Remember(Hash256 block, Hash256? latestValid, string error)
    {
        _invalid.Set(block, (latestValid, error));
        return EngineJson.Status(PayloadStatus.Invalid, latestValid, error);
    }

    private static Hash256[] ParseHashes(JsonElement e, int index)
    {
        if (e.ValueKind != JsonValueKind.Array) throw RpcParams.Invalid(index, "expected an array of hashes");
        return [.. e.EnumerateArray().Select(h => RpcJson.ParseHash(h, index))];
    }

    /// <summary>EIP-7685 requests as the spec wants them: each type ‖ data with data, types strictly ascending.</summary>
    private static byte[][] ParseRequests(JsonElement e, int index)
    {
        if (e.ValueKind != JsonValueKind.Array) throw RpcParams.Invalid(index, "executionRequests must be an array");
        var requests = e.EnumerateArray().Select(r => RpcJson.ParseData(r, index)).ToArray();
        for (int i = 0; i < requests.Length; i++)
        {
            if (requests[i].Length <= 1) throw RpcParams.Invalid(index, $"request {i} has no data");
            if (i > 0 && requests[i][0] <= requests[i - 1][0]) throw RpcParams.Invalid(index, $"request {i} is out of type order or repeats a type");
        }
        return requests;
    }

    private JsonNode GetPayloadBodiesByHash(RpcParams p)
    {
        var hashes = ParseHashes(p.Required(0), 0);
        if (hashes.Length > MaxBodiesPerRequest) throw TooLarge(hashes.Length, MaxBodiesPerRequest);
        return new JsonArray([.. hashes.Select(h => _chain.GetBody(h) is { } body ? EngineJson.FormatBody(body) : null)]);
    }

    private JsonNode GetPayloadBodiesByRange(RpcParams p)
    {
        ulong start = p.Quantity(0), count = p.Quantity(1);
        if (start < 1 || count < 1) throw RpcException.InvalidParams("start and count must be at least 1");
        if (count > MaxBodiesPerRequest) throw TooLarge(count > int.MaxValue ? int.MaxValue : (int)count, MaxBodiesPerRequest);
        var head = _chain.Head?.Number ?? 0;
        var bodies = new JsonArray();
        for (ulong n = start; n < start + count && n <= head; n++)
            bodies.Add(_chain.Store.GetCanonicalHash(n) is { } hash && _chain.GetBody(hash) is { } body ? EngineJson.FormatBody(body) : null);
        return bodies;
    }

    /// <summary>
    /// Blobs of pooled blob transactions by versioned hash: V1 a blob and its proof (sidecars of wrapper version 0),
    /// null where missing; V2 a blob and its cell proofs (wrapper version 1), and null for the whole call when any is missing.
    /// </summary>
    private JsonNode? GetBlobs(RpcParams p, int version)
    {
        var hashes = ParseHashes(p.Required(0), 0);
        if (hashes.Length > MaxBlobsPerRequest) throw TooLarge(hashes.Length, MaxBlobsPerRequest);
        var answers = new JsonArray();
        foreach (var hash in hashes)
        {
            var answer = BlobAndProofs(hash, cellProofs: version == 2);
            if (answer is null && version == 2) return null;
            answers.Add(answer);
        }
        return answers;
    }

    private JsonObject? BlobAndProofs(Hash256 versionedHash, bool cellProofs)
    {
        if (_pool.SidecarOf(versionedHash) is not { } sidecar
            || (sidecar.WrapperVersion == BlobTransactionWithSidecar.WrapperVersionCellProofs) != cellProofs) return null;
        int index = Array.IndexOf(sidecar.Transaction.BlobVersionedHashes, versionedHash);
        if (!cellProofs) return new JsonObject { ["blob"] = RpcJson.Data(sidecar.Blobs[index]), ["proof"] = RpcJson.Data(sidecar.Proofs[index]) };
        int per = BlobTransactionWithSidecar.CellsPerExtBlob;
        return new JsonObject
        {
            ["blob"] = RpcJson.Data(sidecar.Blobs[index]),
            ["proofs"] = new JsonArray([.. sidecar.Proofs.Skip(index * per).Take(per).Select(proof => RpcJson.Data(proof))]),
        };
    }
}
