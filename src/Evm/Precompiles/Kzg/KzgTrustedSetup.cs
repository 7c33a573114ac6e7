using BeamSync.Evm.Precompiles.Bls12381;

namespace BeamSync.Evm.Precompiles.Kzg;

/// <summary>
/// The three points of the Ethereum KZG ceremony a single-point opening check needs: [1]₁ (g1_monomial[0]),
/// [1]₂ (g2_monomial[0]) and [s]₂ (g2_monomial[1]), shipped compressed (240 bytes) as an embedded resource taken
/// from trusted_setup.json (a test checks it still matches). Loaded and validated once; thread-safe.
/// </summary>
public static class KzgTrustedSetup
{
    public const string ResourceName = "BeamSync.Evm.Kzg.SetupPoints";
    public const int ResourceSize = Bls12381Compressed.G1Size + 2 * Bls12381Compressed.G2Size;

    public static readonly JacobianPoint<Fp> G1;
    public static readonly JacobianPoint<Fp2> G2;
    public static readonly JacobianPoint<Fp2> SecretG2;

    static KzgTrustedSetup()
    {
        byte[] bytes = ReadResource();
        if (bytes.Length != ResourceSize
            || !Bls12381Compressed.TryDecompressG1(bytes.AsSpan(0, 48), out G1)
            || !Bls12381Compressed.TryDecompressG2(bytes.AsSpan(48, 96), out G2)
            || !Bls12381Compressed.TryDecompressG2(bytes.AsSpan(144, 96), out SecretG2)
            || !Bls12381Curve.IsInG2Subgroup(SecretG2))
            throw new InvalidDataException("embedded KZG setup points are malformed");
    }

    /// <summary>The raw compressed points: g1_monomial[0] ‖ g2_monomial[0] ‖ g2_monomial[1].</summary>
    public static byte[] ReadResource()
    {
        using Stream stream = typeof(KzgTrustedSetup).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidDataException($"resource {ResourceName} missing");
        var bytes = new byte[stream.Length];
        stream.ReadExactly(bytes);
        return bytes;
    }
}
