using System.Text.Json.Nodes;
using BeamSync.Chain.Building;
using BeamSync.Core.Types;
using BeamSync.Evm.Precompiles.Kzg;

namespace BeamSync.Rpc.Engine;

public sealed partial class EngineRpc
{
    /// <summary>A block built for a payload id, with the sidecars of its blob transactions taken from the pool when it was built.</summary>
    private sealed record PendingPayload(BuiltBlock Built, BlobTransactionWithSidecar[] Sidecars);

    private PendingPayload Pending(BuiltBlock built) => new(built, [.. built.Block.Transactions
        .Where(t => t.Type == TransactionType.Blob)
        .Select(t => _pool.SidecarOfTransaction(t.Hash) ?? throw new InvalidOperationException($"built block holds blob transaction {t.Hash} without its sidecar"))]);

    /// <summary>
    /// BlobsBundleV1 (one proof per blob, getPayloadV3/V4) or V2 (128 cell proofs per blob, getPayloadV5) of a built
    /// block's blob transactions, in block order. A sidecar pooled in the other form has its proofs computed here.
    /// </summary>
    private static JsonObject BlobsBundle(BlobTransactionWithSidecar[] sidecars, bool cellProofs)
    {
        var commitments = new JsonArray();
        var proofs = new JsonArray();
        var blobs = new JsonArray();
        foreach (var sidecar in sidecars)
        {
            bool hasCellProofs = sidecar.WrapperVersion == BlobTransactionWithSidecar.WrapperVersionCellProofs;
            for (int i = 0; i < sidecar.Blobs.Length; i++)
            {
                commitments.Add(RpcJson.Data(sidecar.Commitments[i]));
                blobs.Add(RpcJson.Data(sidecar.Blobs[i]));
                foreach (var proof in ProofsOf(sidecar, i, hasCellProofs, cellProofs)) proofs.Add(RpcJson.Data(proof));
            }
        }
        return new JsonObject { ["commitments"] = commitments, ["proofs"] = proofs, ["blobs"] = blobs };
    }

    private static IEnumerable<byte[]> ProofsOf(BlobTransactionWithSidecar sidecar, int blob, bool hasCellProofs, bool cellProofs)
    {
        const int perBlob = BlobTransactionWithSidecar.CellsPerExtBlob;
        if (hasCellProofs == cellProofs)
            return cellProofs ? sidecar.Proofs.Skip(blob * perBlob).Take(perBlob) : [sidecar.Proofs[blob]];
        if (!cellProofs)
        {
            var proof = new byte[BlobKzg.BytesPerProof];
            if (!BlobKzg.TryComputeBlobProof(sidecar.Blobs[blob], sidecar.Commitments[blob], proof)) throw new InvalidOperationException("a pooled blob does not prove");
            return [proof];
        }
        var cells = new byte[BlobKzg.CellsPerExtBlob * BlobKzg.BytesPerCell];
        var all = new byte[BlobKzg.CellsPerExtBlob * BlobKzg.BytesPerProof];
        if (!BlobKzg.TryComputeCellsAndProofs(sidecar.Blobs[blob], cells, all)) throw new InvalidOperationException("a pooled blob does not prove");
        return Enumerable.Range(0, perBlob).Select(k => all.AsSpan(k * BlobKzg.BytesPerProof, BlobKzg.BytesPerProof).ToArray());
    }
}
