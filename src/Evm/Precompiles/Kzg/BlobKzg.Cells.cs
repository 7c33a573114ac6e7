using System.Security.Cryptography;
using BeamSync.Evm.Precompiles.Bls12381;

namespace BeamSync.Evm.Precompiles.Kzg;

/// <summary>
/// EIP-7594 cells (consensus-specs fulu/polynomial-commitments-sampling): the blob's polynomial extended to the 8192th
/// roots of unity, in bit-reversed order, cut into 128 cells of 64 values. Cell k holds the values on a coset h·μ of
/// the 64th roots μ, whose vanishing polynomial is x^64 − h^64, so its proof is the commitment to the quotient of the
/// polynomial by x^64 − h^64.
/// </summary>
public static partial class BlobKzg
{
    public const int CellsPerExtBlob = 128;
    public const int FieldElementsPerCell = KzgDomain.ExtendedSize / CellsPerExtBlob;
    public const int BytesPerCell = FieldElementsPerCell * Fr.Size;

    /// <summary>Quotient terms per proof: the polynomial has 4096 coefficients, each division by x^64 − c drops 64.</summary>
    private const int QuotientChunks = FieldElementsPerBlob / FieldElementsPerCell - 1;

    /// <summary>compute_cells (no proofs): 128 cells of 2048 bytes, concatenated into <paramref name="cells"/>.</summary>
    public static bool TryComputeCells(ReadOnlySpan<byte> blob, Span<byte> cells)
    {
        if (!TryReadBlob(blob, out var polynomial) || cells.Length != CellsPerExtBlob * BytesPerCell) return false;
        WriteCells(ExtendedValues(Coefficients(polynomial)), cells);
        return true;
    }

    /// <summary>
    /// compute_cells_and_kzg_proofs: the 128 cells (2048 bytes each) and their proofs (48 bytes each), concatenated.
    /// A proof for cell k with c = h_k^64 is Σ_j q_j [s^j] for the quotient q_j = Σ_i c^i f_(j+64(i+1)), which regroups
    /// as Σ_i c^i P_i with P_i = Σ_m f_(m+64(i+1)) [s^m]: the 63 P_i are shared by every cell, so each proof is a
    /// 63-term combination instead of a 4032-term one.
    /// </summary>
    public static bool TryComputeCellsAndProofs(ReadOnlySpan<byte> blob, Span<byte> cells, Span<byte> proofs)
    {
        if (!TryReadBlob(blob, out var polynomial)
            || cells.Length != CellsPerExtBlob * BytesPerCell || proofs.Length != CellsPerExtBlob * BytesPerProof) return false;
        var coefficients = Coefficients(polynomial);
        WriteCells(ExtendedValues(coefficients), cells);

        var shared = new JacobianPoint<Fp>[QuotientChunks];
        Parallel.For(0, QuotientChunks, i =>
        {
            int from = FieldElementsPerCell * (i + 1);
            shared[i] = Affine(Commit(KzgTrustedSetup.G1Monomial, coefficients.AsSpan(from)));
        });
        var result = new byte[CellsPerExtBlob * BytesPerProof];
        Parallel.For(0, CellsPerExtBlob, k =>
        {
            var c = KzgDomain.ExtendedPointsBitReversed[k * FieldElementsPerCell].Pow(FieldElementsPerCell);
            var powers = new Fr[QuotientChunks];
            powers[0] = Fr.One;
            for (int i = 1; i < powers.Length; i++) powers[i] = powers[i - 1] * c;
            Bls12381Compressed.CompressG1(Commit(shared, powers), result.AsSpan(k * BytesPerProof, BytesPerProof));
        });
        result.CopyTo(proofs);
        return true;
    }

    /// <summary>
    /// verify_cell_kzg_proof_batch: every cell k of <paramref name="cellIndices"/> is the value of the polynomial
    /// committed to by its commitment on cell k's coset, as its proof attests. For each cell,
    /// e(π, [s^64 − h^64]₂) = e(C − [I(s)]₁, [1]₂) with I the cell's interpolation polynomial; the cells are combined with
    /// powers of a random r so one two-pair pairing decides them all. False for malformed input or any wrong proof.
    /// </summary>
    public static bool VerifyCellProofBatch(ReadOnlySpan<byte[]> commitments, ReadOnlySpan<int> cellIndices, ReadOnlySpan<byte[]> cells, ReadOnlySpan<byte[]> proofs)
    {
        int count = cells.Length;
        if (commitments.Length != count || cellIndices.Length != count || proofs.Length != count) return false;
        if (count == 0) return true;

        var distinct = new Dictionary<string, int>();
        var commitmentPoints = new List<JacobianPoint<Fp>>();
        var commitmentOf = new int[count];
        var proofPoints = new JacobianPoint<Fp>[count];
        for (int j = 0; j < count; j++)
        {
            if ((uint)cellIndices[j] >= CellsPerExtBlob || cells[j].Length != BytesPerCell) return false;
            string key = Convert.ToHexString(commitments[j]);
            if (!distinct.TryGetValue(key, out commitmentOf[j]))
            {
                if (!TryReadPoint(commitments[j], out var commitment)) return false;
                commitmentOf[j] = distinct[key] = commitmentPoints.Count;
                commitmentPoints.Add(commitment);
            }
            if (!TryReadPoint(proofs[j], out proofPoints[j])) return false;
        }

        var r = RandomChallenge();
        var commitmentWeights = new Fr[commitmentPoints.Count];
        var proofWeights = new Fr[count];
        var shiftedProofWeights = new Fr[count];
        var interpolation = new Fr[FieldElementsPerCell];
        var cellRoot = KzgDomain.PrimitiveRootOfUnity(FieldElementsPerCell);
        var points = KzgDomain.ExtendedPointsBitReversed;
        var weight = Fr.One;
        var values = new Fr[FieldElementsPerCell];
        for (int j = 0; j < count; j++, weight *= r)
        {
            // The cell holds the coset's values in bit-reversed order; in natural order they are g(μ^t) for
            // g(x) = I(h·x), so an inverse FFT gives g's coefficients and I's are g_n·h^−n.
            for (int t = 0; t < FieldElementsPerCell; t++)
                if (!Fr.TryRead(cells[j].AsSpan(KzgDomain.ReverseBits(t, 6) * Fr.Size, Fr.Size), out values[t])) return false;
            KzgDomain.Fft(values, cellRoot, inverse: true);
            var h = points[cellIndices[j] * FieldElementsPerCell];
            var hInverse = h.Inverse();
            var scale = weight;
            for (int n = 0; n < FieldElementsPerCell; n++, scale *= hInverse) interpolation[n] += values[n] * scale;

            commitmentWeights[commitmentOf[j]] += weight;
            proofWeights[j] = weight;
            shiftedProofWeights[j] = weight * h.Pow(FieldElementsPerCell);
        }

        var combinedProof = Commit(proofPoints, proofWeights);
        var right = Commit(commitmentPoints.ToArray(), commitmentWeights)
            - Commit(KzgTrustedSetup.G1Monomial, interpolation)
            + Commit(proofPoints, shiftedProofWeights);
        return KzgProof.PairingProductIsOne(combinedProof, right, KzgTrustedSetup.CellCheckLines);
    }

    /// <summary>
    /// Checks a network blob transaction's cell proofs (wrapper version 1): 128 per blob, blob by blob, against the
    /// cells the blobs extend to.
    /// </summary>
    public static bool VerifyBlobCellProofs(ReadOnlySpan<byte[]> blobs, ReadOnlySpan<byte[]> commitments, ReadOnlySpan<byte[]> cellProofs)
    {
        if (commitments.Length != blobs.Length || cellProofs.Length != blobs.Length * CellsPerExtBlob) return false;
        int total = cellProofs.Length;
        var cellCommitments = new byte[total][];
        var indices = new int[total];
        var cells = new byte[total][];
        var extended = new byte[CellsPerExtBlob * BytesPerCell];
        for (int b = 0; b < blobs.Length; b++)
        {
            if (!TryComputeCells(blobs[b], extended)) return false;
            for (int k = 0; k < CellsPerExtBlob; k++)
            {
                int j = b * CellsPerExtBlob + k;
                cellCommitments[j] = commitments[b];
                indices[j] = k;
                cells[j] = extended.AsSpan(k * BytesPerCell, BytesPerCell).ToArray();
            }
        }
        return VerifyCellProofBatch(cellCommitments, indices, cells, cellProofs);
    }

    /// <summary>polynomial_eval_to_coeff: the blob's values (bit-reversed) to the polynomial's 4096 coefficients.</summary>
    private static Fr[] Coefficients(Fr[] polynomial)
    {
        var coefficients = KzgDomain.BitReversed(polynomial);
        KzgDomain.Fft(coefficients, KzgDomain.PrimitiveRootOfUnity(FieldElementsPerBlob), inverse: true);
        return coefficients;
    }

    /// <summary>The polynomial's values on the 8192th roots, in bit-reversed order.</summary>
    private static Fr[] ExtendedValues(Fr[] coefficients)
    {
        var values = new Fr[KzgDomain.ExtendedSize];
        coefficients.CopyTo(values, 0);
        KzgDomain.Fft(values, KzgDomain.PrimitiveRootOfUnity(KzgDomain.ExtendedSize), inverse: false);
        return KzgDomain.BitReversed(values);
    }

    private static void WriteCells(Fr[] extendedBitReversed, Span<byte> cells)
    {
        for (int i = 0; i < extendedBitReversed.Length; i++) extendedBitReversed[i].Write(cells.Slice(i * Fr.Size, Fr.Size));
    }

    /// <summary>A random non-zero field element: the batch's weights need only be unpredictable to whoever made the proofs.</summary>
    private static Fr RandomChallenge()
    {
        Span<byte> bytes = stackalloc byte[32];
        Fr r;
        do
        {
            RandomNumberGenerator.Fill(bytes);
            r = Fr.FromBigEndianReduced(bytes);
        } while (r.IsZero);
        return r;
    }

    private static JacobianPoint<Fp> Affine(in JacobianPoint<Fp> point)
    {
        if (point.IsInfinity) return point;
        point.ToAffine(out var x, out var y);
        return JacobianPoint<Fp>.FromAffine(x, y);
    }
}
