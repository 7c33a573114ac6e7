using System.Diagnostics;
using System.Text.Json;
using BeamSync.Core.Specs;
using BeamSync.Evm.Precompiles;
using BeamSync.Evm.Precompiles.Bls12381;
using BeamSync.Evm.Precompiles.Kzg;
using BeamSync.Tests.Shared;
using Xunit.Abstractions;

namespace BeamSync.Evm.Tests.Precompiles;

/// <summary>
/// The KZG prover: commitments, blob proofs and EIP-7594 cells with their proofs, checked against facts that hold
/// whatever our code does (a constant blob commits to c·G1; the first 64 cells are the blob itself), against the
/// point-evaluation precompile, and byte for byte against kzg-wasm (c-kzg-4844) for random blobs.
/// </summary>
public class BlobKzgTests(ITestOutputHelper log)
{
    internal static byte[] RandomBlob(int seed)
    {
        var random = new Random(seed);
        var blob = new byte[BlobKzg.BytesPerBlob];
        random.NextBytes(blob);
        // Below r: r's top byte is 0x73, so any element whose first byte is smaller is canonical.
        for (int i = 0; i < blob.Length; i += Fr.Size) blob[i] %= 0x73;
        return blob;
    }

    /// <summary>One blob's cells and cell proofs, computed once for the tests that need them (about a second each).</summary>
    private static readonly Lazy<(byte[] Blob, byte[] Cells, byte[] Proofs, long Milliseconds)> Sample = new(() =>
    {
        var blob = RandomBlob(4);
        var cells = new byte[BlobKzg.CellsPerExtBlob * BlobKzg.BytesPerCell];
        var proofs = new byte[BlobKzg.CellsPerExtBlob * BlobKzg.BytesPerProof];
        var clock = Stopwatch.StartNew();
        Assert.True(BlobKzg.TryComputeCellsAndProofs(blob, cells, proofs));
        return (blob, cells, proofs, clock.ElapsedMilliseconds);
    });

    private static byte[] Commitment(byte[] blob)
    {
        var commitment = new byte[BlobKzg.BytesPerCommitment];
        Assert.True(BlobKzg.TryBlobToCommitment(blob, commitment));
        return commitment;
    }

    [Fact]
    public void A_constant_blob_commits_to_the_constant_times_the_generator()
    {
        // Every Lagrange basis sums to 1, so the constant polynomial c commits to c·[1]₁ whatever the order.
        var blob = new byte[BlobKzg.BytesPerBlob];
        for (int i = 0; i < blob.Length; i += Fr.Size) blob[i + 31] = 9;
        var expected = new byte[48];
        Bls12381Compressed.CompressG1(Bls12381Curve.G1Generator.MultiplyBigEndian([.. new byte[31], 9]), expected);
        Assert.Equal(Convert.ToHexString(expected), Convert.ToHexString(Commitment(blob)));
        Assert.Equal("C0" + new string('0', 94), Convert.ToHexString(Commitment(new byte[BlobKzg.BytesPerBlob])));
    }

    [Fact]
    public void A_blob_proof_verifies_and_a_tampered_one_does_not()
    {
        var blob = RandomBlob(1);
        var commitment = Commitment(blob);
        var proof = new byte[48];
        Assert.True(BlobKzg.TryComputeBlobProof(blob, commitment, proof));
        Assert.True(BlobKzg.VerifyBlobProof(blob, commitment, proof));

        var otherBlob = (byte[])blob.Clone();
        otherBlob[100] ^= 1;
        Assert.False(BlobKzg.VerifyBlobProof(otherBlob, commitment, proof));
        Assert.False(BlobKzg.VerifyBlobProof(blob, commitment, Commitment(RandomBlob(2))));

        var nonCanonical = (byte[])blob.Clone();
        KzgProof.Modulus.CopyTo(nonCanonical.AsSpan(32 * 7));
        Assert.False(BlobKzg.TryBlobToCommitment(nonCanonical, new byte[48]));
        Assert.False(BlobKzg.TryBlobToCommitment(blob.AsSpan(1), new byte[48]));
    }

    [Fact]
    public void An_opening_proof_passes_the_point_evaluation_precompile()
    {
        var blob = RandomBlob(3);
        var commitment = Commitment(blob);
        byte[] z = [.. new byte[31], 0x2a];
        var proof = new byte[48];
        var y = new byte[32];
        Assert.True(BlobKzg.TryComputeProofAt(blob, z, proof, y));

        byte[] versionedHash = System.Security.Cryptography.SHA256.HashData(commitment);
        versionedHash[0] = 0x01;
        byte[] input = [.. versionedHash, .. z, .. y, .. commitment, .. proof];
        Assert.True(PointEvaluationPrecompile.Instance.TryRun(input, Fork.Cancun, out _));
        input[95] ^= 1;
        Assert.False(PointEvaluationPrecompile.Instance.TryRun(input, Fork.Cancun, out _));
    }

    [Fact]
    public void The_first_half_of_the_cells_is_the_blob_and_the_cell_proofs_verify()
    {
        var (blob, cells, proofs, milliseconds) = Sample.Value;
        var commitment = Commitment(blob);
        log.WriteLine($"cells and proofs of one blob: {milliseconds} ms");
        // Bit-reversed, the 8192-point domain starts with the 4096-point one in its own bit-reversed order.
        Assert.True(cells.AsSpan(0, BlobKzg.BytesPerBlob).SequenceEqual(blob));

        var proofArray = Enumerable.Range(0, BlobKzg.CellsPerExtBlob).Select(k => proofs.AsSpan(k * 48, 48).ToArray()).ToArray();
        var clock = Stopwatch.StartNew();
        Assert.True(BlobKzg.VerifyBlobCellProofs([blob], [commitment], proofArray));
        log.WriteLine($"verifying 128 cell proofs: {clock.ElapsedMilliseconds} ms");

        int[] some = [0, 5, 77, 127];
        byte[][] Cells(int[] indices) => [.. indices.Select(k => cells.AsSpan(k * BlobKzg.BytesPerCell, BlobKzg.BytesPerCell).ToArray())];
        byte[][] Proofs(int[] indices) => [.. indices.Select(k => proofArray[k])];
        byte[][] Commitments(int n) => [.. Enumerable.Repeat(commitment, n)];
        Assert.True(BlobKzg.VerifyCellProofBatch(Commitments(4), some, Cells(some), Proofs(some)));
        Assert.False(BlobKzg.VerifyCellProofBatch(Commitments(4), [0, 5, 77, 126], Cells(some), Proofs(some)));
        var tampered = Cells(some);
        tampered[2][63] ^= 1;
        Assert.False(BlobKzg.VerifyCellProofBatch(Commitments(4), some, tampered, Proofs(some)));
        Assert.False(BlobKzg.VerifyCellProofBatch(Commitments(4), [0, 5, 77, 128], Cells(some), Proofs(some)));
        Assert.False(BlobKzg.VerifyCellProofBatch(Commitments(3), some, Cells(some), Proofs(some)));
    }

    [BenchNodeFact("kzg-wasm")]
    public void Commitments_proofs_and_cells_match_kzg_wasm_byte_for_byte()
    {
        byte[][] blobs = [Sample.Value.Blob, RandomBlob(10), RandomBlob(11)];
        var file = Path.Combine(Path.GetTempPath(), $"beamsync-kzg-blobs-{Guid.NewGuid():N}.json");
        try
        {
            File.WriteAllText(file, JsonSerializer.Serialize(blobs.Select(b => "0x" + Convert.ToHexStringLower(b))));
            var clock = Stopwatch.StartNew();
            var (exitCode, output) = BenchNodeScripts.Run("kzg-wasm", "kzg-blobs.mjs", TimeSpan.FromSeconds(180), file);
            log.WriteLine($"kzg-wasm: {clock.ElapsedMilliseconds} ms");
            Assert.True(exitCode == 0, $"kzg-blobs.mjs exited with {exitCode}:\n{output}");
            using var results = JsonDocument.Parse(output);
            Assert.Equal(blobs.Length, results.RootElement.GetArrayLength());
            for (int b = 0; b < blobs.Length; b++)
            {
                var expected = results.RootElement[b];
                string Hex(ReadOnlySpan<byte> bytes) => "0x" + Convert.ToHexStringLower(bytes);
                var commitment = Commitment(blobs[b]);
                Assert.Equal(expected.GetProperty("commitment").GetString(), Hex(commitment));
                var proof = new byte[48];
                Assert.True(BlobKzg.TryComputeBlobProof(blobs[b], commitment, proof));
                Assert.Equal(expected.GetProperty("proof").GetString(), Hex(proof));
                Assert.True(expected.GetProperty("blobProofVerifies").GetBoolean());
                if (b > 0) continue;

                var (_, cells, proofs, milliseconds) = Sample.Value;
                log.WriteLine($"ours, cells and proofs: {milliseconds} ms");
                for (int k = 0; k < BlobKzg.CellsPerExtBlob; k++)
                {
                    Assert.Equal(expected.GetProperty("cells")[k].GetString(), Hex(cells.AsSpan(k * BlobKzg.BytesPerCell, BlobKzg.BytesPerCell)));
                    Assert.Equal(expected.GetProperty("cellProofs")[k].GetString(), Hex(proofs.AsSpan(k * 48, 48)));
                }
                Assert.True(expected.GetProperty("cellProofsVerify").GetBoolean());
            }
        }
        finally { File.Delete(file); }
    }
}
