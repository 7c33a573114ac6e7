using BeamSync.Core;
using BeamSync.Core.Specs;
using BeamSync.Evm.Precompiles.Bls12381;

namespace BeamSync.Evm.Precompiles;

/// <summary>
/// 0x10 BLS12_MAP_FP_TO_G1 (EIP-2537, Prague), 5500 gas: one 64-byte field element (below p) to a G1 point by
/// simplified SWU, the 11-isogeny and cofactor clearing. Stateless; thread-safe.
/// </summary>
public sealed class Bls12381MapFpToG1Precompile : IPrecompile
{
    public static readonly Bls12381MapFpToG1Precompile Instance = new();
    private Bls12381MapFpToG1Precompile() { }

    public Address Address => PrecompileAddress.Of(0x10);

    public long GasCost(ReadOnlySpan<byte> input, Fork fork) => Bls12381Gas.MapFpToG1;

    public bool TryRun(ReadOnlySpan<byte> input, Fork fork, out byte[] output)
    {
        output = [];
        if (input.Length != Bls12381Encoding.FpSize || !Bls12381Encoding.TryReadFp(input, out Fp u)) return false;
        output = Bls12381Encoding.EncodeG1(Bls12381MapToCurve.MapToG1(u));
        return true;
    }
}
