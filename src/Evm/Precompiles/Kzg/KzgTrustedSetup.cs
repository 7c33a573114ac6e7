using BeamSync.Evm.Precompiles.Bls12381;

namespace BeamSync.Evm.Precompiles.Kzg;

/// <summary>
/// The Ethereum KZG ceremony's setup, shipped compressed as an embedded resource taken from trusted_setup.json (a test
/// checks it still matches): g1_lagrange (4096 points, natural order) ‖ g1_monomial (4096) ‖ g2_monomial (65).
/// The three points a single opening check needs ([1]₁, [1]₂, [s]₂) load with the type, their Miller-loop lines on
/// first use; the 8192 G1 points the prover
/// and the cell-proof checks need are decompressed on first use (about 0.2 s). The ceremony's points are trusted, so
/// only the curve equation is checked on load, not the subgroup. Thread-safe.
/// </summary>
public static class KzgTrustedSetup
{
    public const string ResourceName = "BeamSync.Evm.Kzg.TrustedSetup";
    public const int FieldElementsPerBlob = 4096;
    public const int G2Points = 65;
    public const int ResourceSize = 2 * FieldElementsPerBlob * Bls12381Compressed.G1Size + G2Points * Bls12381Compressed.G2Size;

    private const int LagrangeOffset = 0;
    private const int MonomialOffset = FieldElementsPerBlob * Bls12381Compressed.G1Size;
    private const int G2Offset = 2 * FieldElementsPerBlob * Bls12381Compressed.G1Size;

    private static readonly byte[] Resource = ReadResource();

    /// <summary>[1]₁ (g1_monomial[0]).</summary>
    public static readonly JacobianPoint<Fp> G1 = DecompressG1(MonomialOffset);
    /// <summary>[1]₂ (g2_monomial[0]).</summary>
    public static readonly JacobianPoint<Fp2> G2 = DecompressG2(0);
    /// <summary>[s]₂ (g2_monomial[1]).</summary>
    public static readonly JacobianPoint<Fp2> SecretG2 = DecompressG2(1);
    /// <summary>[s^64]₂ (g2_monomial[64]): the vanishing polynomial of a 64-point cell coset is x^64 − h^64.</summary>
    public static readonly JacobianPoint<Fp2> SecretToCellSizeG2 = DecompressG2(64);

    private static readonly Lazy<FixedBaseTable<Fp>> G1Multiples = new(() => new FixedBaseTable<Fp>(G1));

    /// <summary>Multiples of <see cref="G1"/> for [k]G1 without doublings, built on first use (about 400 KB).</summary>
    public static FixedBaseTable<Fp> G1Table => G1Multiples.Value;

    private static readonly Lazy<Bls12381Pairing.Line[]> OpeningLines = new(() => PrepareLines(SecretG2, G2.Negate()));
    private static readonly Lazy<Bls12381Pairing.Line[]> CellLines = new(() => PrepareLines(SecretToCellSizeG2, G2.Negate()));

    /// <summary>The Miller-loop lines (unit form, see <see cref="Bls12381Pairing.PrepareUnitLines"/>) of [s]₂ then −[1]₂, the fixed G2 side of the single-opening check.</summary>
    public static ReadOnlySpan<Bls12381Pairing.Line> OpeningCheckLines => OpeningLines.Value;

    /// <summary>The Miller-loop lines (unit form) of [s^64]₂ then −[1]₂, the fixed G2 side of the cell-proof check.</summary>
    public static ReadOnlySpan<Bls12381Pairing.Line> CellCheckLines => CellLines.Value;

    private static readonly Lazy<JacobianPoint<Fp>[]> LagrangeBitReversed = new(() =>
    {
        var natural = DecompressG1Range(LagrangeOffset, FieldElementsPerBlob);
        return KzgDomain.BitReversed(natural);
    });

    private static readonly Lazy<JacobianPoint<Fp>[]> Monomial = new(() => DecompressG1Range(MonomialOffset, FieldElementsPerBlob));

    /// <summary>g1_lagrange in bit-reversed order, affine: the basis a blob (evaluations in bit-reversed order) commits in.</summary>
    public static ReadOnlySpan<JacobianPoint<Fp>> G1LagrangeBitReversed => LagrangeBitReversed.Value;

    /// <summary>[s^i]₁ for i below 4096, affine: the basis polynomial coefficients commit in.</summary>
    public static ReadOnlySpan<JacobianPoint<Fp>> G1Monomial => Monomial.Value;

    /// <summary>The raw compressed points as shipped.</summary>
    public static byte[] ReadResource()
    {
        using Stream stream = typeof(KzgTrustedSetup).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidDataException($"resource {ResourceName} missing");
        if (stream.Length != ResourceSize) throw new InvalidDataException($"resource {ResourceName} is {stream.Length} bytes, not {ResourceSize}");
        var bytes = new byte[stream.Length];
        stream.ReadExactly(bytes);
        return bytes;
    }

    private static JacobianPoint<Fp> DecompressG1(int offset) =>
        Bls12381Compressed.TryDecompressG1(Resource.AsSpan(offset, Bls12381Compressed.G1Size), out var point)
            ? point : throw new InvalidDataException($"embedded KZG setup has a malformed G1 point at byte {offset}");

    private static JacobianPoint<Fp2> DecompressG2(int index)
    {
        int offset = G2Offset + index * Bls12381Compressed.G2Size;
        if (!Bls12381Compressed.TryDecompressG2(Resource.AsSpan(offset, Bls12381Compressed.G2Size), out var point) || !Bls12381Curve.IsInG2Subgroup(point))
            throw new InvalidDataException($"embedded KZG setup has a malformed G2 point {index}");
        return point;
    }

    private static Bls12381Pairing.Line[] PrepareLines(in JacobianPoint<Fp2> first, in JacobianPoint<Fp2> second)
    {
        first.ToAffine(out Fp2 x1, out Fp2 y1);
        second.ToAffine(out Fp2 x2, out Fp2 y2);
        return [.. Bls12381Pairing.PrepareUnitLines(x1, y1), .. Bls12381Pairing.PrepareUnitLines(x2, y2)];
    }

    private static JacobianPoint<Fp>[] DecompressG1Range(int offset, int count)
    {
        var points = new JacobianPoint<Fp>[count];
        Parallel.For(0, count, i => points[i] = DecompressG1(offset + i * Bls12381Compressed.G1Size));
        return points;
    }
}
