using System.Buffers;
using BeamSync.Core;
using BeamSync.Core.Specs;
using BeamSync.Evm.Precompiles.Bls12381;

namespace BeamSync.Evm.Precompiles;

/// <summary>
/// 0x0c BLS12_G1MSM (EIP-2537, Prague): k ≥ 1 pairs of (G1 point, 128 bytes; scalar, 32 bytes) to Σ [s_i]P_i. Every
/// point must be on the curve and in the subgroup. k·12000·discount(k)/1000 gas. Stateless; thread-safe.
/// </summary>
public sealed class Bls12381G1MsmPrecompile : IPrecompile
{
    public static readonly Bls12381G1MsmPrecompile Instance = new();
    private Bls12381G1MsmPrecompile() { }

    private const int PairSize = Bls12381Encoding.G1Size + Bls12381Msm.ScalarSize;

    public Address Address => PrecompileAddress.Of(0x0c);

    public long GasCost(ReadOnlySpan<byte> input, Fork fork) => Bls12381Gas.G1Msm(input.Length / PairSize);

    public bool TryRun(ReadOnlySpan<byte> input, Fork fork, out byte[] output)
    {
        output = [];
        if (input.Length == 0 || input.Length % PairSize != 0) return false;
        int count = input.Length / PairSize;
        JacobianPoint<Fp>[] points = ArrayPool<JacobianPoint<Fp>>.Shared.Rent(count);
        byte[] scalars = ArrayPool<byte>.Shared.Rent(count * Bls12381Msm.ScalarSize);
        try
        {
            for (int i = 0; i < count; i++)
            {
                ReadOnlySpan<byte> pair = input.Slice(i * PairSize, PairSize);
                if (!Bls12381Encoding.TryReadG1(pair[..Bls12381Encoding.G1Size], out points[i])) return false;
                if (!Bls12381Curve.IsInG1Subgroup(points[i])) return false;
                pair[Bls12381Encoding.G1Size..].CopyTo(scalars.AsSpan(i * Bls12381Msm.ScalarSize));
            }
            output = Bls12381Encoding.EncodeG1(Bls12381Msm.ComputeG1(points.AsSpan(0, count), scalars.AsSpan(0, count * Bls12381Msm.ScalarSize)));
            return true;
        }
        finally
        {
            ArrayPool<JacobianPoint<Fp>>.Shared.Return(points);
            ArrayPool<byte>.Shared.Return(scalars);
        }
    }
}
