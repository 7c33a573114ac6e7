using System.Security.Cryptography;
using BeamSync.Core.Types;

namespace BeamSync.Core.Tests.Types;

public class BlobSidecarTests
{
    internal static BlobTransactionWithSidecar Sample(byte version, int blobCount = 2)
    {
        var commitments = new byte[blobCount][];
        var hashes = new Hash256[blobCount];
        for (int i = 0; i < blobCount; i++)
        {
            commitments[i] = new byte[48];
            commitments[i][0] = (byte)(0xc0 + i);
            var digest = SHA256.HashData(commitments[i]);
            digest[0] = 0x01;
            hashes[i] = new Hash256(digest);
        }
        var blobs = Enumerable.Range(0, blobCount).Select(i => { var b = new byte[BlobTransactionWithSidecar.BytesPerBlob]; b[5] = (byte)i; return b; }).ToArray();
        int proofCount = version == 1 ? blobCount * BlobTransactionWithSidecar.CellsPerExtBlob : blobCount;
        var proofs = Enumerable.Range(0, proofCount).Select(i => { var p = new byte[48]; p[0] = (byte)i; return p; }).ToArray();
        return new BlobTransactionWithSidecar(Samples.Blob(hashes), version, blobs, commitments, proofs);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public void RoundTripsBothWrapperVersions(byte version)
    {
        var original = Sample(version);
        var encoded = original.Encode();
        var decoded = BlobTransactionWithSidecar.Decode(encoded);
        Assert.Equal(version, decoded.WrapperVersion);
        Assert.Equal(original.Transaction.Hash, decoded.Transaction.Hash);
        Assert.Equal(encoded, decoded.Encode());
        Assert.Equal(original.Proofs.Length, decoded.Proofs.Length);
    }

    [Fact]
    public void ProofCountMustMatchTheVersion()
    {
        var v1 = Sample(1);
        var asV0 = new BlobTransactionWithSidecar(v1.Transaction, 0, v1.Blobs, v1.Commitments, v1.Proofs);
        Assert.Equal(TransactionError.InvalidBlobSidecar, Assert.Throws<TransactionException>(() => BlobTransactionWithSidecar.Decode(asV0.Encode())).Error);
    }

    [Fact]
    public void CommitmentMustHashToTheVersionedHash()
    {
        var s = Sample(0);
        var commitments = s.Commitments.Select(c => (byte[])c.Clone()).ToArray();
        commitments[1][47] ^= 1;
        var bad = new BlobTransactionWithSidecar(s.Transaction, 0, s.Blobs, commitments, s.Proofs);
        Assert.Equal(TransactionError.InvalidBlobSidecar, Assert.Throws<TransactionException>(() => BlobTransactionWithSidecar.Decode(bad.Encode())).Error);
    }
}
