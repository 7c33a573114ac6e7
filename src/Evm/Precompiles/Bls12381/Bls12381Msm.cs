using System.Buffers;

namespace BeamSync.Evm.Precompiles.Bls12381;

/// <summary>
/// Multi-scalar multiplication Σ [k_i]P_i for affine points and 256-bit big-endian scalars: a 4-bit window for one
/// term, Pippenger's bucket method above (window c ≈ 0.7·log2 n + 2, buckets filled with mixed additions). Variable
/// time (inputs are public). Stateless; thread-safe.
/// </summary>
public static class Bls12381Msm
{
    public const int ScalarSize = 32;

    /// <param name="points">Affine points (Z = 1) or infinity.</param>
    /// <param name="scalars">32 bytes per point, big-endian, concatenated.</param>
    public static JacobianPoint<T> Compute<T>(ReadOnlySpan<JacobianPoint<T>> points, ReadOnlySpan<byte> scalars)
        where T : unmanaged, IBlsField<T>
    {
        if (points.Length == 1) return points[0].IsInfinity ? points[0] : points[0].MultiplyBigEndian(scalars[..ScalarSize]);
        int window = WindowFor(points.Length);
        int bucketCount = (1 << window) - 1;
        JacobianPoint<T>[] buckets = ArrayPool<JacobianPoint<T>>.Shared.Rent(bucketCount);
        try
        {
            var result = JacobianPoint<T>.Infinity;
            int windows = (ScalarSize * 8 + window - 1) / window;
            for (int w = windows - 1; w >= 0; w--)
            {
                for (int i = 0; i < window; i++) result = result.Double();
                buckets.AsSpan(0, bucketCount).Fill(JacobianPoint<T>.Infinity);
                for (int i = 0; i < points.Length; i++)
                {
                    int digit = Digit(scalars.Slice(i * ScalarSize, ScalarSize), w * window, window);
                    if (digit == 0 || points[i].IsInfinity) continue;
                    buckets[digit - 1] = buckets[digit - 1].AddAffine(points[i].X, points[i].Y);
                }
                // Σ d·B_d as running sums from the top bucket down.
                var running = JacobianPoint<T>.Infinity;
                var sum = JacobianPoint<T>.Infinity;
                for (int d = bucketCount - 1; d >= 0; d--)
                {
                    running += buckets[d];
                    sum += running;
                }
                result += sum;
            }
            return result;
        }
        finally
        {
            ArrayPool<JacobianPoint<T>>.Shared.Return(buckets);
        }
    }

    private static int WindowFor(int count) => count < 4 ? 3 : Math.Min(16, (int)(Math.Log2(count) * 0.7) + 2);

    /// <summary>Bits [offset, offset + width) of a 256-bit big-endian scalar, bit 0 being the least significant.</summary>
    private static int Digit(ReadOnlySpan<byte> scalar, int offset, int width)
    {
        int result = 0;
        for (int bit = Math.Min(offset + width, 256) - 1; bit >= offset; bit--)
        {
            int b = (scalar[31 - (bit >> 3)] >> (bit & 7)) & 1;
            result = (result << 1) | b;
        }
        return result;
    }
}
