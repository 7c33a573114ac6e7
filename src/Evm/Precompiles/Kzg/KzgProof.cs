using BeamSync.Evm.Precompiles.Bls12381;

namespace BeamSync.Evm.Precompiles.Kzg;

/// <summary>
/// EIP-4844 verify_kzg_proof: whether the polynomial committed to by C evaluates to y at z, given the opening proof π.
/// The check e(π, [s]₂ − [z]₂) = e(C − [y]₁, [1]₂) is rearranged to e(π, [s]₂) · e(C − [y]₁ + [z]π, −[1]₂) = 1 so all
/// scalar work happens in G1 and both G2 points are fixed (their Miller-loop lines are prepared once); one two-pair
/// Miller loop with one final exponentiation decides. Stateless; thread-safe.
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
        if (!Bls12381Compressed.TryDecompressG1(proof48, out JacobianPoint<Fp> proof)
            || !Bls12381Endomorphisms.IsInG1Subgroup(proof, out JacobianPoint<Fp> proofTimesAbsX)) return false;

        // [y]G1 from the generator's fixed-base table (no doublings); only [z]π needs a doubling chain, 64 long with
        // the [|x|]π the subgroup check left and the endomorphism.
        JacobianPoint<Fp> left = commitment - KzgTrustedSetup.G1Table.Multiply(y32) + Bls12381Msm.MultiplyG1(proof, proofTimesAbsX, z32);
        return PairingProductIsOne(proof, left, KzgTrustedSetup.OpeningCheckLines);
    }

    /// <summary>
    /// Whether e(p1, q1) · e(p2, q2) = 1 for fixed q1, q2 given by their prepared unit lines (q1's then q2's, see
    /// <see cref="KzgTrustedSetup.OpeningCheckLines"/>); a pair whose G1 point is infinity contributes 1.
    /// </summary>
    internal static bool PairingProductIsOne(in JacobianPoint<Fp> p1, in JacobianPoint<Fp> p2, ReadOnlySpan<Bls12381Pairing.Line> lines)
    {
        if (!p1.IsInfinity && !p2.IsInfinity) return Bls12381Pairing.ProductIsOneWithUnitLines(p1, p2, lines);
        int linesPerPair = Bls12381Pairing.LinesPerPair;
        Span<Fp> px = stackalloc Fp[2];
        Span<Fp> py = stackalloc Fp[2];
        int count = 0;
        if (!p1.IsInfinity) p1.ToAffine(out px[count], out py[count++]);
        else lines = lines[linesPerPair..];
        if (!p2.IsInfinity) p2.ToAffine(out px[count], out py[count++]);
        return Bls12381Pairing.ProductIsOneWithUnitLines(px[..count], py[..count], lines[..(count * linesPerPair)]);
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
