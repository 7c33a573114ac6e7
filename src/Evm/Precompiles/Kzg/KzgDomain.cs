using System.Numerics;
using BeamSync.Core;

namespace BeamSync.Evm.Precompiles.Kzg;

/// <summary>
/// The evaluation domains of EIP-4844 and EIP-7594: the 4096th roots of unity a blob is evaluated on and the 8192th
/// roots its extension is, both from the spec's primitive root 7, with the bit-reversal permutation the specs order
/// them by, and the radix-2 FFT between evaluations and coefficients. Roots are computed once; thread-safe.
/// </summary>
public static class KzgDomain
{
    public const int BlobSize = KzgTrustedSetup.FieldElementsPerBlob;
    public const int ExtendedSize = 2 * BlobSize;
    private const ulong PrimitiveRoot = 7;

    private static readonly Lazy<Fr[]> BlobRoots = new(() => RootsOfUnity(BlobSize));
    private static readonly Lazy<Fr[]> BlobRootsBitReversed = new(() => BitReversed(BlobRoots.Value));
    private static readonly Lazy<Fr[]> ExtendedRoots = new(() => RootsOfUnity(ExtendedSize));
    private static readonly Lazy<Fr[]> ExtendedRootsBitReversed = new(() => BitReversed(ExtendedRoots.Value));

    /// <summary>ω^i for the 4096-point domain, in bit-reversed order: the points blob element i is the value at.</summary>
    public static ReadOnlySpan<Fr> BlobPointsBitReversed => BlobRootsBitReversed.Value;

    /// <summary>ω^i for the 8192-point domain, in bit-reversed order: cell k holds the values at elements [64k, 64k+64).</summary>
    public static ReadOnlySpan<Fr> ExtendedPointsBitReversed => ExtendedRootsBitReversed.Value;

    /// <summary>[ω^0, ω^1, …, ω^(n−1)] for a primitive n-th root ω = 7^((r−1)/n), n a power of two dividing 2^32.</summary>
    public static Fr[] RootsOfUnity(int n)
    {
        var root = PrimitiveRootOfUnity(n);
        var roots = new Fr[n];
        roots[0] = Fr.One;
        for (int i = 1; i < n; i++) roots[i] = roots[i - 1] * root;
        return roots;
    }

    public static Fr PrimitiveRootOfUnity(int n) => Fr.FromUInt64(PrimitiveRoot).Pow((Fr.Modulus - UInt256.One) / new UInt256((ulong)n));

    /// <summary>A copy of <paramref name="values"/> (length a power of two) with element i moved to the bit reversal of i.</summary>
    public static T[] BitReversed<T>(ReadOnlySpan<T> values)
    {
        var result = new T[values.Length];
        int bits = BitOperations.Log2((uint)values.Length);
        for (int i = 0; i < values.Length; i++) result[ReverseBits(i, bits)] = values[i];
        return result;
    }

    public static T[] BitReversed<T>(T[] values) => BitReversed((ReadOnlySpan<T>)values);

    public static int ReverseBits(int value, int bits) => bits == 0 ? 0 : (int)(BitOperations.RotateLeft(ReverseAll((uint)value), bits) & ((1u << bits) - 1));

    private static uint ReverseAll(uint v)
    {
        v = ((v >> 1) & 0x55555555) | ((v & 0x55555555) << 1);
        v = ((v >> 2) & 0x33333333) | ((v & 0x33333333) << 2);
        v = ((v >> 4) & 0x0F0F0F0F) | ((v & 0x0F0F0F0F) << 4);
        v = ((v >> 8) & 0x00FF00FF) | ((v & 0x00FF00FF) << 8);
        return (v >> 16) | (v << 16);
    }

    /// <summary>
    /// In place: natural-order coefficients to natural-order values at root^i (root a primitive n-th root, n the length,
    /// a power of two), or with <paramref name="inverse"/> values back to coefficients.
    /// </summary>
    public static void Fft(Span<Fr> values, Fr root, bool inverse)
    {
        int n = values.Length;
        if (inverse) root = root.Inverse();
        int bits = BitOperations.Log2((uint)n);
        for (int i = 0; i < n; i++)
        {
            int j = ReverseBits(i, bits);
            if (j > i) (values[i], values[j]) = (values[j], values[i]);
        }
        var twiddles = new Fr[n / 2];
        for (int half = 1; half < n; half *= 2)
        {
            var step = root.Pow((ulong)(n / (2 * half)));
            twiddles[0] = Fr.One;
            for (int k = 1; k < half; k++) twiddles[k] = twiddles[k - 1] * step;
            for (int start = 0; start < n; start += 2 * half)
                for (int k = 0; k < half; k++)
                {
                    var odd = values[start + half + k] * twiddles[k];
                    var even = values[start + k];
                    values[start + k] = even + odd;
                    values[start + half + k] = even - odd;
                }
        }
        if (!inverse) return;
        var scale = Fr.FromUInt64((ulong)n).Inverse();
        for (int i = 0; i < n; i++) values[i] *= scale;
    }
}
