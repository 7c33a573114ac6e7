using BeamSync.Evm.Precompiles.Bls12381;

namespace BeamSync.Evm.Precompiles.Kzg;

/// <summary>
/// EIP-4844 verify_kzg_proof: whether the polynomial committed to by C evaluates to y at z, given the opening proof π.
/// The check e(π, [s]₂ − [z]₂) = e(C − [y]₁, [1]₂) is rearranged to e(π, [s]₂) · e(C − [y]₁ + [z]π, −[1]₂) = 1 so all
/// scalar work happens in G1 and one two-pair Miller loop with one final exponentiation decides. Stateless; thread-safe.
/// </summary>
public static class KzgProof
{
    /// <summary>
    /// Decodes and checks the inputs as the EIP does: z and y below r, C and π valid compressed G1 points in the
    /// subgroup. False for malformed input or a wrong proof.
    /// </summary>
    public static bool Verify(ReadOnlySpan<byte> commitment48, ReadOnlySpan<byte> z32, ReadOnlySpan<byte> y32, ReadOnlySpan<byte> proof48)
    {
        if (!IsCanonicalScalar(z32) || !IsCanonicalScalar(y32)) return false;
        if (!Bls12381Compressed.TryDecompressG1(commitment48, out JacobianPoint<Fp> commitment) || !Bls12381Curve.IsInG1Subgroup(commitment)) return false;
        if (!Bls12381Compressed.TryDecompressG1(proof48, out JacobianPoint<Fp> proof) || !Bls12381Curve.IsInG1Subgroup(proof)) return false;

        // −[y]G1 + [z]π as one two-term multi-scalar multiplication (both points affine and in G1).
        ReadOnlySpan<JacobianPoint<Fp>> terms = [KzgTrustedSetup.G1.Negate(), proof];
        Span<byte> scalars = stackalloc byte[2 * Bls12381Msm.ScalarSize];
        y32.CopyTo(scalars);
        z32.CopyTo(scalars[Bls12381Msm.ScalarSize..]);
        JacobianPoint<Fp> left = commitment + Bls12381Msm.ComputeG1(terms, scalars);
        return PairingProductIsOne(proof, KzgTrustedSetup.SecretG2, left, KzgTrustedSetup.G2.Negate());
    }

    /// <summary>Whether e(p1, q1) · e(p2, q2) = 1 (a pair with a point at infinity contributes 1).</summary>
    internal static bool PairingProductIsOne(in JacobianPoint<Fp> p1, in JacobianPoint<Fp2> q1, in JacobianPoint<Fp> p2, in JacobianPoint<Fp2> q2)
    {
        Span<Bls12381Pairing.Pair> pairs = stackalloc Bls12381Pairing.Pair[2];
        int count = 0;
        AddPair(pairs, ref count, p1, q1);
        AddPair(pairs, ref count, p2, q2);
        return Bls12381Pairing.ProductIsOne(pairs[..count]);
    }

    private static void AddPair(Span<Bls12381Pairing.Pair> pairs, ref int count, in JacobianPoint<Fp> p, in JacobianPoint<Fp2> q)
    {
        if (p.IsInfinity || q.IsInfinity) return;
        p.ToAffine(out Fp px, out Fp py);
        q.ToAffine(out Fp2 qx, out Fp2 qy);
        pairs[count++] = new Bls12381Pairing.Pair(px, py, qx, qy);
    }

    /// <summary>The 32-byte big-endian BLS scalar-field modulus r.</summary>
    public static ReadOnlySpan<byte> Modulus =>
    [
        0x73, 0xed, 0xa7, 0x53, 0x29, 0x9d, 0x7d, 0x48, 0x33, 0x39, 0xd8, 0x08, 0x09, 0xa1, 0xd8, 0x05,
        0x53, 0xbd, 0xa4, 0x02, 0xff, 0xfe, 0x5b, 0xfe, 0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x01,
    ];

    /// <summary>Whether a 32-byte big-endian value is below r.</summary>
    public static bool IsCanonicalScalar(ReadOnlySpan<byte> value32) => value32.SequenceCompareTo(Modulus) < 0;
}
