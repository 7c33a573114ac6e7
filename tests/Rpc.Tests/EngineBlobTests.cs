using System.Text;
using System.Text.Json.Nodes;
using BeamSync.Chain;
using BeamSync.Chain.Execution;
using BeamSync.Chain.Pool;
using BeamSync.Chain.Store;
using BeamSync.Core;
using BeamSync.Core.Specs;
using BeamSync.Core.Types;
using BeamSync.Db;
using BeamSync.Rpc.Engine;
using BeamSync.Tests.Shared;

namespace BeamSync.Rpc.Tests;

/// <summary>
/// Blob transactions through the engine API: sidecars made by our KZG prover enter the pool, engine_getBlobsV1/V2
/// answer from it, a block built with them carries the blobs bundle (blob proofs from getPayloadV3, cell proofs from
/// V5) and imports VALID, and payloads with wrong versioned hashes or too many blobs are INVALID. On geth-ethtest's
/// genesis (Cancun from t=60, Prague from 120) with Osaka added at t=180. About 5 s unloaded (one blob's cell proofs).
/// </summary>
public sealed class EngineBlobTests
{
    private const string Chain = "chains/geth-ethtest";
    private const ulong CancunTimestamp = 0x40, OsakaTimestamp = 0xc8;
    private static readonly byte[] FundedKey = Convert.FromHexString("bfcd0e032489319f4e5ca03e643b2025db624be6cf99cbfed90c4502e3754850");
    private static readonly Hash256 BeaconRoot = Hash256.EmptyKeccak;

    private readonly Blockchain _chain;
    private readonly RpcDispatcher _dispatcher;
    private readonly TransactionPool _pool = new();

    /// <summary>One blob with its 128 cell proofs, built once for the Osaka tests.</summary>
    private static readonly Lazy<byte[][]> OsakaBlobs = new(() => [Blob(20)]);
    private static readonly Dictionary<ulong, BlobTransactionWithSidecar> CellProofSidecars = [];

    public EngineBlobTests()
    {
        if (!TestFixtures.TryLocate(Chain, out var dir)) { _chain = null!; _dispatcher = null!; return; }
        var genesis = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "genesis.json")))!;
        genesis["config"]!["osakaTime"] = 180;
        var store = new MemoryKeyValueStore();
        _chain = new Blockchain(ChainSpec.Parse(genesis.ToJsonString()), new BlockStore(store), new EvmStateFactory(store));
        _chain.InitializeGenesis();
        _dispatcher = new RpcDispatcher(new EngineRpc(_chain, _pool).Register(new RpcMethods()));
    }

    private static byte[] Blob(int seed)
    {
        var blob = new byte[BlobTransactionWithSidecar.BytesPerBlob];
        new Random(seed).NextBytes(blob);
        for (int i = 0; i < blob.Length; i += 32) blob[i] = 0; // every element below the field modulus
        return blob;
    }

    private Transaction BlobTx(ulong nonce, Hash256[] versionedHashes) => new Transaction
    {
        Type = TransactionType.Blob, ChainId = _chain.Spec.ChainId, Nonce = nonce, MaxPriorityFeePerGas = new UInt256(2),
        MaxFeePerGas = new UInt256(100_000_000_000), GasLimit = 21_000, To = new Address(new byte[20]),
        MaxFeePerBlobGas = new UInt256(1_000_000), BlobVersionedHashes = versionedHashes,
    }.Sign(FundedKey);

    private BlobTransactionWithSidecar Sidecar(byte[][] blobs, bool cellProofs) =>
        BlobSidecars.Wrap(BlobTx(0, BlobSidecars.Commit(blobs).VersionedHashes), blobs, cellProofs);

    private BlobTransactionWithSidecar OsakaSidecar()
    {
        lock (CellProofSidecars)
        {
            if (!CellProofSidecars.TryGetValue(_chain.Spec.ChainId, out var sidecar))
                CellProofSidecars[_chain.Spec.ChainId] = sidecar = Sidecar(OsakaBlobs.Value, cellProofs: true);
            return sidecar;
        }
    }

    private JsonNode Call(string method, params JsonNode?[] parameters)
    {
        var request = new JsonObject { ["jsonrpc"] = "2.0", ["id"] = 1, ["method"] = method, ["params"] = new JsonArray(parameters) };
        return JsonNode.Parse(Encoding.UTF8.GetString(_dispatcher.Handle(Encoding.UTF8.GetBytes(request.ToJsonString()))!))!;
    }

    private static JsonArray Hashes(IEnumerable<Hash256> hashes) => new([.. hashes.Select(h => (JsonNode)RpcJson.Hash(h))]);

    private static JsonArray Data(IEnumerable<byte[]> items) => new([.. items.Select(i => (JsonNode)RpcJson.Data(i))]);

    /// <summary>forkchoiceUpdatedV3 on genesis with attributes at <paramref name="timestamp"/>: the payload id.</summary>
    private string Build(ulong timestamp)
    {
        var genesis = RpcJson.Hash(_chain.Head!.Hash);
        var attributes = new JsonObject
        {
            ["timestamp"] = RpcJson.Quantity(timestamp), ["prevRandao"] = RpcJson.Hash(Hash256.EmptyKeccak),
            ["suggestedFeeRecipient"] = "0x00000000000000000000000000000000000000ff", ["withdrawals"] = new JsonArray(),
            ["parentBeaconBlockRoot"] = RpcJson.Hash(BeaconRoot),
        };
        var state = new JsonObject { ["headBlockHash"] = genesis.DeepClone(), ["safeBlockHash"] = genesis.DeepClone(), ["finalizedBlockHash"] = genesis.DeepClone() };
        return Call("engine_forkchoiceUpdatedV3", state, attributes)["result"]!["payloadId"]!.GetValue<string>();
    }

    private static string Status(JsonNode answer) => answer["result"]!["status"]!.GetValue<string>();

    [FixtureFact(Chain)]
    public void Blob_proofs_come_back_from_getBlobsV1_and_in_the_getPayloadV3_bundle_and_the_block_imports()
    {
        byte[][] blobs = [Blob(1), Blob(2)];
        var sidecar = Sidecar(blobs, cellProofs: false);
        var hashes = sidecar.Transaction.BlobVersionedHashes;
        Assert.Null(_pool.Submit(sidecar.Transaction, sidecar));

        var answers = Call("engine_getBlobsV1", Hashes([hashes[1], Hash256.EmptyKeccak, hashes[0]]))["result"]!.AsArray();
        Assert.Equal(RpcJson.Data(blobs[1]).GetValue<string>(), answers[0]!["blob"]!.GetValue<string>());
        Assert.Equal(RpcJson.Data(sidecar.Proofs[1]).GetValue<string>(), answers[0]!["proof"]!.GetValue<string>());
        Assert.Null(answers[1]);
        Assert.Equal(RpcJson.Data(sidecar.Proofs[0]).GetValue<string>(), answers[2]!["proof"]!.GetValue<string>());
        // V2 wants cell proofs, which this sidecar lacks: null for the whole call.
        Assert.Null(Call("engine_getBlobsV2", Hashes(hashes))["result"]);

        var built = Call("engine_getPayloadV3", Build(CancunTimestamp))["result"]!;
        var payload = built["executionPayload"]!.DeepClone().AsObject();
        Assert.Equal(RpcJson.Data(sidecar.Transaction.EncodeCanonical()).GetValue<string>(), Assert.Single(payload["transactions"]!.AsArray())!.GetValue<string>());
        Assert.Equal(RpcJson.Quantity(2 * 131_072).GetValue<string>(), payload["blobGasUsed"]!.GetValue<string>());
        var bundle = built["blobsBundle"]!;
        Assert.Equal(Data(sidecar.Commitments).ToJsonString(), bundle["commitments"]!.ToJsonString());
        Assert.Equal(Data(sidecar.Proofs).ToJsonString(), bundle["proofs"]!.ToJsonString());
        Assert.Equal(Data(blobs).ToJsonString(), bundle["blobs"]!.ToJsonString());

        // The versioned hashes must be the payload's, in order.
        Assert.Equal("INVALID", Status(Call("engine_newPayloadV3", payload.DeepClone(), Hashes([hashes[1], hashes[0]]), RpcJson.Hash(BeaconRoot))));
        Assert.Equal("INVALID", Status(Call("engine_newPayloadV3", payload.DeepClone(), Hashes([hashes[0]]), RpcJson.Hash(BeaconRoot))));
        Assert.Equal("VALID", Status(Call("engine_newPayloadV3", payload.DeepClone(), Hashes(hashes), RpcJson.Hash(BeaconRoot))));
        Assert.Equal(0, _pool.Count);
        Assert.Null(Call("engine_getBlobsV1", Hashes([hashes[0]]))["result"]![0]);
    }

    [FixtureFact(Chain)]
    public void Cell_proofs_come_back_from_getBlobsV2_and_in_the_getPayloadV5_bundle_and_the_block_imports()
    {
        var sidecar = OsakaSidecar();
        var hash = Assert.Single(sidecar.Transaction.BlobVersionedHashes);
        Assert.Null(_pool.Submit(sidecar.Transaction, sidecar));

        var answer = Assert.Single(Call("engine_getBlobsV2", Hashes([hash]))["result"]!.AsArray())!;
        Assert.Equal(RpcJson.Data(sidecar.Blobs[0]).GetValue<string>(), answer["blob"]!.GetValue<string>());
        Assert.Equal(Data(sidecar.Proofs).ToJsonString(), answer["proofs"]!.ToJsonString());
        Assert.Null(Call("engine_getBlobsV2", Hashes([hash, Hash256.EmptyKeccak]))["result"]);
        Assert.Null(Assert.Single(Call("engine_getBlobsV1", Hashes([hash]))["result"]!.AsArray()));

        var id = Build(OsakaTimestamp);
        Assert.Equal(EngineErrorCodes.UnsupportedFork, Call("engine_getPayloadV4", id)["error"]!["code"]!.GetValue<int>());
        var built = Call("engine_getPayloadV5", id)["result"]!;
        var bundle = built["blobsBundle"]!;
        Assert.Equal(Data(sidecar.Commitments).ToJsonString(), bundle["commitments"]!.ToJsonString());
        Assert.Equal(BlobTransactionWithSidecar.CellsPerExtBlob, bundle["proofs"]!.AsArray().Count);
        Assert.Equal(Data(sidecar.Proofs).ToJsonString(), bundle["proofs"]!.ToJsonString());
        Assert.Equal(Data(sidecar.Blobs).ToJsonString(), bundle["blobs"]!.ToJsonString());

        var payload = built["executionPayload"]!;
        var requests = built["executionRequests"]!;
        Assert.Equal("VALID", Status(Call("engine_newPayloadV4", payload.DeepClone(), Hashes([hash]), RpcJson.Hash(BeaconRoot), requests.DeepClone())));
    }

    [FixtureFact(Chain)]
    public void A_payload_with_more_blobs_than_the_block_may_carry_is_invalid_and_its_parent_the_latest_valid()
    {
        // Cancun allows 6 blobs a block (geth-ethtest's blobSchedule): seven one-blob transactions, with the header's blob
        // gas and hash made to match, so only the blob limit is wrong.
        var genesis = _chain.Head!.Hash;
        var empty = Call("engine_getPayloadV3", Build(CancunTimestamp))["result"]!["executionPayload"]!.ToJsonString();
        var parsed = EngineJson.ParsePayload(System.Text.Json.JsonDocument.Parse(empty).RootElement, EngineShape.V3, 0);
        var hashes = Enumerable.Range(0, 7).Select(i => BlobTransactionWithSidecar.VersionedHashOf(new byte[] { (byte)i })).ToArray();
        var transactions = hashes.Select((h, i) => BlobTx((ulong)i, [h]).EncodeCanonical()).ToArray();
        var crowded = parsed with { Transactions = transactions, BlobGasUsed = 7 * 131_072ul };
        crowded = crowded with { BlockHash = crowded.ToUncheckedBlock(BeaconRoot, null).Hash };
        var answer = Call("engine_newPayloadV3", EngineJson.FormatPayload(crowded, EngineShape.V3), Hashes(hashes), RpcJson.Hash(BeaconRoot))["result"]!;
        Assert.Equal("INVALID", answer["status"]!.GetValue<string>());
        Assert.Equal(RpcJson.Hash(genesis).GetValue<string>(), answer["latestValidHash"]!.GetValue<string>());
        Assert.Contains("blob", answer["validationError"]!.GetValue<string>());
    }
}
