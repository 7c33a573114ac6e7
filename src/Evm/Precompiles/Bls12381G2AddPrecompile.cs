using BeamSync.Core;
using BeamSync.Core.Specs;
using BeamSync.Evm.Precompiles.Bls12381;

namespace BeamSync.Evm.Precompiles;

/// <summary>
/// 0x0d BLS12_G2ADD (EIP-2537, Prague), 600 gas: two uncompressed G2 points (512 bytes) to their sum. Points must be
/// on the curve; no subgroup check, as the EIP specifies. Input and output
/// are affine, so the sum is taken in affine coordinates (one inversion). Stateless; thread-safe.
/// </summary>
public sealed class Bls12381G2AddPrecompile : IPrecompile
{
    public static readonly Bls12381G2AddPrecompile Instance = new();
    private Bls12381G2AddPrecompile() { }

    public Address Address => PrecompileAddress.Of(0x0d);

    public long GasCost(ReadOnlySpan<byte> input, Fork fork) => Bls12381Gas.G2Add;

    public bool TryRun(ReadOnlySpan<byte> input, Fork fork, out byte[] output)
    {
        output = [];
        if (input.Length != 2 * Bls12381Encoding.G2Size) return false;
        if (!Bls12381Encoding.TryReadG2(input[..Bls12381Encoding.G2Size], out AffinePoint<Fp2> p)) return false;
        if (!Bls12381Encoding.TryReadG2(input[Bls12381Encoding.G2Size..], out AffinePoint<Fp2> q)) return false;
        output = Bls12381Encoding.EncodeG2(p + q);
        return true;
    }
}
