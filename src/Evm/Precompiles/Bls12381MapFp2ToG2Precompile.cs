using BeamSync.Core;
using BeamSync.Core.Specs;
using BeamSync.Evm.Precompiles.Bls12381;

namespace BeamSync.Evm.Precompiles;

/// <summary>
/// 0x11 BLS12_MAP_FP2_TO_G2 (EIP-2537, Prague), 23800 gas: one 128-byte Fp2 element (c0 ‖ c1, each below p) to a G2
/// point by simplified SWU, the 3-isogeny and cofactor clearing. Stateless; thread-safe.
/// </summary>
public sealed class Bls12381MapFp2ToG2Precompile : IPrecompile
{
    public static readonly Bls12381MapFp2ToG2Precompile Instance = new();
    private Bls12381MapFp2ToG2Precompile() { }

    public Address Address => PrecompileAddress.Of(0x11);

    public long GasCost(ReadOnlySpan<byte> input, Fork fork) => Bls12381Gas.MapFp2ToG2;

    public bool TryRun(ReadOnlySpan<byte> input, Fork fork, out byte[] output)
    {
        output = [];
        if (input.Length != Bls12381Encoding.Fp2Size || !Bls12381Encoding.TryReadFp2(input, out Fp2 u)) return false;
        output = Bls12381Encoding.EncodeG2(Bls12381MapToCurve.MapToG2(u));
        return true;
    }
}
