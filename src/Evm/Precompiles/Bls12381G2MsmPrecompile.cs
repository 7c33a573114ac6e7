using System.Buffers;
using BeamSync.Core;
using BeamSync.Core.Specs;
using BeamSync.Evm.Precompiles.Bls12381;

namespace BeamSync.Evm.Precompiles;

/// <summary>
/// 0x0e BLS12_G2MSM (EIP-2537, Prague): k ≥ 1 pairs of (G2 point, 256 bytes; scalar, 32 bytes) to Σ [s_i]P_i. Every
/// point must be on the curve and in the subgroup. k·22500·discount(k)/1000 gas. Stateless; thread-safe.
/// </summary>
public sealed class Bls12381G2MsmPrecompile : IPrecompile
{
    public static readonly Bls12381G2MsmPrecompile Instance = new();
    private Bls12381G2MsmPrecompile() { }

    private const int PairSize = Bls12381Encoding.G2Size + Bls12381Msm.ScalarSize;

    public Address Address => PrecompileAddress.Of(0x0e);

    public long GasCost(ReadOnlySpan<byte> input, Fork fork) => Bls12381Gas.G2Msm(input.Length / PairSize);

    public bool TryRun(ReadOnlySpan<byte> input, Fork fork, out byte[] output)
    {
        output = [];
        if (input.Length == 0 || input.Length % PairSize != 0) return false;
        int count = input.Length / PairSize;
        JacobianPoint<Fp2>[] points = ArrayPool<JacobianPoint<Fp2>>.Shared.Rent(count);
        byte[] scalars = ArrayPool<byte>.Shared.Rent(count * Bls12381Msm.ScalarSize);
        try
        {
            for (int i = 0; i < count; i++)
            {
                ReadOnlySpan<byte> pair = input.Slice(i * PairSize, PairSize);
                if (!Bls12381Encoding.TryReadG2(pair[..Bls12381Encoding.G2Size], out points[i])) return false;
                if (!Bls12381Curve.IsInG2Subgroup(points[i])) return false;
                pair[Bls12381Encoding.G2Size..].CopyTo(scalars.AsSpan(i * Bls12381Msm.ScalarSize));
            }
            output = Bls12381Encoding.EncodeG2(Bls12381Msm.ComputeG2(points.AsSpan(0, count), scalars.AsSpan(0, count * Bls12381Msm.ScalarSize)));
            return true;
        }
        finally
        {
            ArrayPool<JacobianPoint<Fp2>>.Shared.Return(points);
            ArrayPool<byte>.Shared.Return(scalars);
        }
    }
}
