using System.Buffers;
using System.Security.Cryptography;
using BeamSync.Evm.Precompiles.Bls12381;

namespace BeamSync.Evm.Precompiles.Kzg;

/// <summary>
/// EIP-4844 blob commitments and proofs (consensus-specs deneb/polynomial-commitments): a blob is 4096 field elements,
/// the values of a polynomial on the 4096th roots of unity in bit-reversed order. blob_to_kzg_commitment,
/// compute_blob_kzg_proof (opening at the Fiat–Shamir challenge) and verify_blob_kzg_proof; the EIP-7594 cells are in
/// <c>BlobKzg.Cells.cs</c>. The Try methods return false for malformed input (a blob element not below r, a
/// commitment or proof that is not a valid compressed G1 point in the subgroup). Stateless; thread-safe.
/// </summary>
public static partial class BlobKzg
{
    public const int FieldElementsPerBlob = KzgTrustedSetup.FieldElementsPerBlob;
    public const int BytesPerBlob = FieldElementsPerBlob * Fr.Size;
    public const int BytesPerCommitment = Bls12381Compressed.G1Size;
    public const int BytesPerProof = Bls12381Compressed.G1Size;

    private static ReadOnlySpan<byte> FiatShamirDomain => "FSBLOBVERIFY_V1_"u8;

    public static bool TryBlobToCommitment(ReadOnlySpan<byte> blob, Span<byte> commitment48)
    {
        if (!TryReadBlob(blob, out var polynomial)) return false;
        Bls12381Compressed.CompressG1(Commit(KzgTrustedSetup.G1LagrangeBitReversed, polynomial), commitment48);
        return true;
    }

    /// <summary>compute_blob_kzg_proof: the opening proof of the blob at the challenge its commitment fixes.</summary>
    public static bool TryComputeBlobProof(ReadOnlySpan<byte> blob, ReadOnlySpan<byte> commitment48, Span<byte> proof48)
    {
        if (!TryReadBlob(blob, out var polynomial) || !TryReadPoint(commitment48, out _)) return false;
        var z = Challenge(blob, commitment48);
        var quotient = new Fr[FieldElementsPerBlob];
        EvaluateWithQuotient(polynomial, z, quotient);
        Bls12381Compressed.CompressG1(Commit(KzgTrustedSetup.G1LagrangeBitReversed, quotient), proof48);
        return true;
    }

    /// <summary>verify_blob_kzg_proof: false for a wrong proof as for malformed input.</summary>
    public static bool VerifyBlobProof(ReadOnlySpan<byte> blob, ReadOnlySpan<byte> commitment48, ReadOnlySpan<byte> proof48)
    {
        if (!TryReadBlob(blob, out var polynomial)) return false;
        var z = Challenge(blob, commitment48);
        var y = EvaluateWithQuotient(polynomial, z, quotient: default);
        Span<byte> z32 = stackalloc byte[Fr.Size], y32 = stackalloc byte[Fr.Size];
        z.Write(z32);
        y.Write(y32);
        return KzgProof.Verify(commitment48, z32, y32, proof48);
    }

    /// <summary>The polynomial's value at <paramref name="z"/>, for the point-evaluation precompile's (z, y) pair.</summary>
    public static bool TryEvaluate(ReadOnlySpan<byte> blob, ReadOnlySpan<byte> z32, Span<byte> y32)
    {
        if (!TryReadBlob(blob, out var polynomial) || !Fr.TryRead(z32, out var z)) return false;
        EvaluateWithQuotient(polynomial, z, quotient: default).Write(y32);
        return true;
    }

    /// <summary>The opening proof at an arbitrary <paramref name="z32"/> (compute_kzg_proof), with the value there.</summary>
    public static bool TryComputeProofAt(ReadOnlySpan<byte> blob, ReadOnlySpan<byte> z32, Span<byte> proof48, Span<byte> y32)
    {
        if (!TryReadBlob(blob, out var polynomial) || !Fr.TryRead(z32, out var z)) return false;
        var quotient = new Fr[FieldElementsPerBlob];
        EvaluateWithQuotient(polynomial, z, quotient).Write(y32);
        Bls12381Compressed.CompressG1(Commit(KzgTrustedSetup.G1LagrangeBitReversed, quotient), proof48);
        return true;
    }

    private static bool TryReadBlob(ReadOnlySpan<byte> blob, out Fr[] polynomial)
    {
        polynomial = [];
        if (blob.Length != BytesPerBlob) return false;
        var values = new Fr[FieldElementsPerBlob];
        for (int i = 0; i < values.Length; i++)
            if (!Fr.TryRead(blob.Slice(i * Fr.Size, Fr.Size), out values[i])) return false;
        polynomial = values;
        return true;
    }

    /// <summary>A compressed G1 point that decodes and lies in the subgroup (the spec's validate_kzg_g1).</summary>
    internal static bool TryReadPoint(ReadOnlySpan<byte> compressed48, out JacobianPoint<Fp> point) =>
        Bls12381Compressed.TryDecompressG1(compressed48, out point) && Bls12381Curve.IsInG1Subgroup(point);

    /// <summary>compute_challenge: sha256(domain ‖ 4096 as 16 big-endian bytes ‖ blob ‖ commitment) mod r.</summary>
    private static Fr Challenge(ReadOnlySpan<byte> blob, ReadOnlySpan<byte> commitment48)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(FiatShamirDomain);
        Span<byte> degree = stackalloc byte[16];
        degree.Clear();
        degree[14] = FieldElementsPerBlob >> 8;
        hash.AppendData(degree);
        hash.AppendData(blob);
        hash.AppendData(commitment48);
        Span<byte> digest = stackalloc byte[32];
        hash.GetHashAndReset(digest);
        return Fr.FromBigEndianReduced(digest);
    }

    /// <summary>
    /// The polynomial (values in bit-reversed order) at <paramref name="z"/> by the barycentric formula, and, when
    /// <paramref name="quotient"/> is given, (p(x) − y)/(x − z) in the same evaluation form (compute_kzg_proof_impl).
    /// </summary>
    private static Fr EvaluateWithQuotient(ReadOnlySpan<Fr> polynomial, Fr z, Span<Fr> quotient)
    {
        var points = KzgDomain.BlobPointsBitReversed;
        int inDomain = points.IndexOf(z);
        var differences = new Fr[FieldElementsPerBlob];
        Fr y;
        if (inDomain >= 0)
        {
            y = polynomial[inDomain];
            if (quotient.IsEmpty) return y;
            for (int i = 0; i < differences.Length; i++) differences[i] = i == inDomain ? Fr.One : z - points[i];
            Fr.BatchInvert(differences);
            // compute_quotient_eval_within_domain: the quotient's value at z itself, from the others.
            var atZ = Fr.Zero;
            var zInverse = z.Inverse();
            for (int i = 0; i < polynomial.Length; i++)
            {
                if (i == inDomain) continue;
                var shifted = polynomial[i] - y;
                quotient[i] = -shifted * differences[i];
                atZ += shifted * points[i] * zInverse * differences[i];
            }
            quotient[inDomain] = atZ;
            return y;
        }
        for (int i = 0; i < differences.Length; i++) differences[i] = z - points[i];
        Fr.BatchInvert(differences);
        var sum = Fr.Zero;
        for (int i = 0; i < polynomial.Length; i++) sum += polynomial[i] * points[i] * differences[i];
        y = sum * (z.Pow((ulong)FieldElementsPerBlob) - Fr.One) * Fr.FromUInt64(FieldElementsPerBlob).Inverse();
        if (!quotient.IsEmpty)
            for (int i = 0; i < polynomial.Length; i++) quotient[i] = (y - polynomial[i]) * differences[i];
        return y;
    }

    /// <summary>Σ scalars[i]·basis[i] (g1_lincomb) over affine basis points.</summary>
    internal static JacobianPoint<Fp> Commit(ReadOnlySpan<JacobianPoint<Fp>> basis, ReadOnlySpan<Fr> scalars)
    {
        int bytes = scalars.Length * Fr.Size;
        byte[] buffer = ArrayPool<byte>.Shared.Rent(bytes);
        try
        {
            for (int i = 0; i < scalars.Length; i++) scalars[i].Write(buffer.AsSpan(i * Fr.Size, Fr.Size));
            return scalars.Length == 0 ? JacobianPoint<Fp>.Infinity : Bls12381Msm.Compute(basis[..scalars.Length], buffer.AsSpan(0, bytes));
        }
        finally { ArrayPool<byte>.Shared.Return(buffer); }
    }
}
