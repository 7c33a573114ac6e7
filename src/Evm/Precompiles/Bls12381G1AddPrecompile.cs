using BeamSync.Core;
using BeamSync.Core.Specs;
using BeamSync.Evm.Precompiles.Bls12381;

namespace BeamSync.Evm.Precompiles;

/// <summary>
/// 0x0b BLS12_G1ADD (EIP-2537, Prague), 375 gas: two uncompressed G1 points (256 bytes) to their sum. Points must be
/// on the curve; no subgroup check, as the EIP specifies. Input and output
/// are affine, so the sum is taken in affine coordinates (one inversion). Stateless; thread-safe.
/// </summary>
public sealed class Bls12381G1AddPrecompile : IPrecompile
{
    public static readonly Bls12381G1AddPrecompile Instance = new();
    private Bls12381G1AddPrecompile() { }

    public Address Address => PrecompileAddress.Of(0x0b);

    public long GasCost(ReadOnlySpan<byte> input, Fork fork) => Bls12381Gas.G1Add;

    public bool TryRun(ReadOnlySpan<byte> input, Fork fork, out byte[] output)
    {
        output = [];
        if (input.Length != 2 * Bls12381Encoding.G1Size) return false;
        if (!Bls12381Encoding.TryReadG1(input[..Bls12381Encoding.G1Size], out AffinePoint<Fp> p)) return false;
        if (!Bls12381Encoding.TryReadG1(input[Bls12381Encoding.G1Size..], out AffinePoint<Fp> q)) return false;
        output = Bls12381Encoding.EncodeG1(p + q);
        return true;
    }
}
