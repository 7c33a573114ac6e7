using BeamSync.Core;
using BeamSync.Core.Types;
using BeamSync.Evm.Precompiles.Kzg;

namespace BeamSync.Chain.Pool;

/// <summary>
/// Builds the network form of a blob transaction with the project's KZG prover: commit to the blobs (their versioned
/// hashes go into the transaction before it is signed), then wrap the signed transaction with the blobs, commitments
/// and either one proof per blob (EIP-4844) or 128 cell proofs per blob (EIP-7594, about a second per blob).
/// Stateless; thread-safe.
/// </summary>
public static class BlobSidecars
{
    /// <summary>Each blob's commitment and versioned hash; throws <see cref="ArgumentException"/> for a malformed blob.</summary>
    public static (byte[][] Commitments, Hash256[] VersionedHashes) Commit(IReadOnlyList<byte[]> blobs)
    {
        var commitments = new byte[blobs.Count][];
        for (int i = 0; i < commitments.Length; i++)
        {
            commitments[i] = new byte[BlobKzg.BytesPerCommitment];
            if (!BlobKzg.TryBlobToCommitment(blobs[i], commitments[i])) throw new ArgumentException($"blob {i} is not 4096 field elements below r");
        }
        return (commitments, [.. commitments.Select(c => BlobTransactionWithSidecar.VersionedHashOf(c))]);
    }

    /// <summary>The network form of <paramref name="signed"/>, whose versioned hashes are those of <paramref name="blobs"/>.</summary>
    public static BlobTransactionWithSidecar Wrap(Transaction signed, IReadOnlyList<byte[]> blobs, bool cellProofs)
    {
        var (commitments, _) = Commit(blobs);
        var proofs = new List<byte[]>();
        for (int i = 0; i < blobs.Count; i++)
        {
            if (!cellProofs)
            {
                var proof = new byte[BlobKzg.BytesPerProof];
                BlobKzg.TryComputeBlobProof(blobs[i], commitments[i], proof);
                proofs.Add(proof);
                continue;
            }
            var cells = new byte[BlobKzg.CellsPerExtBlob * BlobKzg.BytesPerCell];
            var cellProofBytes = new byte[BlobKzg.CellsPerExtBlob * BlobKzg.BytesPerProof];
            BlobKzg.TryComputeCellsAndProofs(blobs[i], cells, cellProofBytes);
            proofs.AddRange(cellProofBytes.Chunk(BlobKzg.BytesPerProof));
        }
        var sidecar = new BlobTransactionWithSidecar(signed, cellProofs ? BlobTransactionWithSidecar.WrapperVersionCellProofs : (byte)0,
            [.. blobs], commitments, [.. proofs]);
        sidecar.ValidateSidecar();
        return sidecar;
    }
}
