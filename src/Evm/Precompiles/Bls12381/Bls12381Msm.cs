using System.Buffers;
using System.Buffers.Binary;

namespace BeamSync.Evm.Precompiles.Bls12381;

/// <summary>
/// Multi-scalar multiplication Σ [k_i]P_i for affine points and 256-bit big-endian scalars. Whichever of two methods
/// costs fewer point operations for the count and scalar length runs: Straus (all terms share one chain of
/// doublings, each adds its width-5 NAF digits from a table of odd multiples) for few terms, Pippenger's bucket
/// method (window chosen by the same cost model, buckets filled with mixed additions) for many. For points known to
/// be in the order-r subgroup, <see cref="ComputeG1"/> and <see cref="ComputeG2"/> first split each scalar along the
/// endomorphisms (φ acts on G1 as [−x²], ψ on G2 as [x]), so the shared chain is 128 or 64 doublings long instead
/// of 256. Variable time (inputs are public). Stateless; thread-safe.
/// </summary>
public static partial class Bls12381Msm
{
    public const int ScalarSize = 32;

    private const int ScalarLimbs = ScalarSize / 8;

    /// <param name="points">Affine points (Z = 1) or infinity; any points on the curve.</param>
    /// <param name="scalars">32 bytes per point, big-endian, concatenated.</param>
    public static JacobianPoint<T> Compute<T>(ReadOnlySpan<JacobianPoint<T>> points, ReadOnlySpan<byte> scalars)
        where T : unmanaged, IBlsField<T>
    {
        ulong[] limbs = ArrayPool<ulong>.Shared.Rent(points.Length * ScalarLimbs);
        try
        {
            for (int i = 0; i < points.Length; i++)
                ReadScalar(scalars.Slice(i * ScalarSize, ScalarSize), limbs.AsSpan(i * ScalarLimbs, ScalarLimbs));
            return ComputeLimbs(points, limbs.AsSpan(0, points.Length * ScalarLimbs), ScalarLimbs);
        }
        finally
        {
            ArrayPool<ulong>.Shared.Return(limbs);
        }
    }

    /// <summary>
    /// Σ [k_i]P_i for scalars of <paramref name="limbsPerScalar"/> little-endian limbs each; the method with the
    /// lower estimated cost runs. When the points come in runs of <paramref name="powers"/> where each is
    /// <paramref name="endomorphism"/> of the one before (the endomorphism splits), Straus maps the previous table of
    /// odd multiples entry by entry (a group homomorphism commutes with them) instead of building it by additions.
    /// </summary>
    private static JacobianPoint<T> ComputeLimbs<T>(ReadOnlySpan<JacobianPoint<T>> points, ReadOnlySpan<ulong> scalars, int limbsPerScalar,
        Func<JacobianPoint<T>, JacobianPoint<T>>? endomorphism = null, int powers = 1)
        where T : unmanaged, IBlsField<T>
    {
        int bits = 0;
        for (int i = 0; i < points.Length; i++)
            bits = Math.Max(bits, BitLength(scalars.Slice(i * limbsPerScalar, limbsPerScalar)));
        if (bits == 0) return JacobianPoint<T>.Infinity;
        int window = PippengerWindow(points.Length, bits, out double pippengerCost);
        int builtTables = endomorphism is null ? points.Length : (points.Length + powers - 1) / powers;
        return StrausCost(points.Length, builtTables, bits) <= pippengerCost
            ? Straus(points, scalars, limbsPerScalar, bits, endomorphism, powers)
            : Pippenger(points, scalars, limbsPerScalar, bits, window);
    }

    // Point operations in units of one Jacobian addition (add-2007-bl); a mixed addition and a doubling cost less.
    private const double MixedAdditionCost = 0.7;
    private const double DoublingCost = 0.6;

    private const int NafWidth = 5;
    private const int OddMultiples = 1 << (NafWidth - 2);

    /// <summary>A table entry mapped by an endomorphism: one or two field products against an addition's dozen or more.</summary>
    private const double MappedEntryCost = 0.15;

    /// <summary>
    /// One shared doubling per bit; per term an addition per NAF digit (density 1/(w+1)) and a table of odd
    /// multiples, built by additions or (the rest of an endomorphism run) mapped from the one before.
    /// </summary>
    private static double StrausCost(int count, int builtTables, int bits) =>
        bits * DoublingCost + builtTables * OddMultiples + (count - builtTables) * OddMultiples * MappedEntryCost
        + count * (double)bits / (NafWidth + 1);

    private static int PippengerWindow(int count, int bits, out double cost)
    {
        int best = 1;
        cost = double.MaxValue;
        for (int window = 2; window <= 16; window++)
        {
            int windows = (bits + window - 1) / window;
            double windowCost = windows * (count * MixedAdditionCost + 2.0 * ((1 << window) - 1) + window * DoublingCost);
            if (windowCost < cost) { cost = windowCost; best = window; }
        }
        return best;
    }

    private static JacobianPoint<T> Straus<T>(ReadOnlySpan<JacobianPoint<T>> points, ReadOnlySpan<ulong> scalars, int limbsPerScalar, int bits,
        Func<JacobianPoint<T>, JacobianPoint<T>>? endomorphism, int powers)
        where T : unmanaged, IBlsField<T>
    {
        int nafStride = bits + 1;
        JacobianPoint<T>[] tables = ArrayPool<JacobianPoint<T>>.Shared.Rent(points.Length * OddMultiples);
        sbyte[] nafs = ArrayPool<sbyte>.Shared.Rent(points.Length * nafStride);
        int[] lengths = ArrayPool<int>.Shared.Rent(points.Length);
        try
        {
            int longest = 0;
            bool previousBuilt = false;
            for (int i = 0; i < points.Length; i++)
            {
                lengths[i] = points[i].IsInfinity ? 0 : ToNaf(scalars.Slice(i * limbsPerScalar, limbsPerScalar), nafs.AsSpan(i * nafStride, nafStride));
                bool derive = endomorphism is not null && i % powers != 0 && previousBuilt;
                previousBuilt = false;
                if (lengths[i] == 0) continue;
                longest = Math.Max(longest, lengths[i]);
                Span<JacobianPoint<T>> table = tables.AsSpan(i * OddMultiples, OddMultiples);
                if (derive)
                {
                    ReadOnlySpan<JacobianPoint<T>> previous = tables.AsSpan((i - 1) * OddMultiples, OddMultiples);
                    for (int j = 0; j < OddMultiples; j++) table[j] = endomorphism!(previous[j]);
                }
                else
                {
                    JacobianPoint<T> twice = points[i].Double();
                    table[0] = points[i];
                    for (int j = 1; j < OddMultiples; j++) table[j] = table[j - 1] + twice;
                }
                previousBuilt = true;
            }

            var result = JacobianPoint<T>.Infinity;
            for (int bit = longest - 1; bit >= 0; bit--)
            {
                result = result.Double();
                for (int i = 0; i < points.Length; i++)
                {
                    if (bit >= lengths[i]) continue;
                    int digit = nafs[i * nafStride + bit];
                    if (digit > 0) result += tables[i * OddMultiples + (digit >> 1)];
                    else if (digit < 0) result -= tables[i * OddMultiples + (-digit >> 1)];
                }
            }
            return result;
        }
        finally
        {
            ArrayPool<JacobianPoint<T>>.Shared.Return(tables);
            ArrayPool<sbyte>.Shared.Return(nafs);
            ArrayPool<int>.Shared.Return(lengths);
        }
    }

    private static JacobianPoint<T> Pippenger<T>(ReadOnlySpan<JacobianPoint<T>> points, ReadOnlySpan<ulong> scalars, int limbsPerScalar, int bits, int window)
        where T : unmanaged, IBlsField<T>
    {
        int bucketCount = (1 << window) - 1;
        JacobianPoint<T>[] buckets = ArrayPool<JacobianPoint<T>>.Shared.Rent(bucketCount);
        try
        {
            var result = JacobianPoint<T>.Infinity;
            int windows = (bits + window - 1) / window;
            for (int w = windows - 1; w >= 0; w--)
            {
                for (int i = 0; i < window; i++) result = result.Double();
                buckets.AsSpan(0, bucketCount).Fill(JacobianPoint<T>.Infinity);
                for (int i = 0; i < points.Length; i++)
                {
                    int digit = Digit(scalars.Slice(i * limbsPerScalar, limbsPerScalar), w * window, window);
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

    private static void ReadScalar(ReadOnlySpan<byte> bigEndian32, Span<ulong> limbs)
    {
        for (int i = 0; i < ScalarLimbs; i++)
            limbs[i] = BinaryPrimitives.ReadUInt64BigEndian(bigEndian32.Slice(ScalarSize - 8 * (i + 1), 8));
    }

    private static int BitLength(ReadOnlySpan<ulong> limbs)
    {
        for (int i = limbs.Length - 1; i >= 0; i--)
            if (limbs[i] != 0) return 64 * i + 64 - System.Numerics.BitOperations.LeadingZeroCount(limbs[i]);
        return 0;
    }

    /// <summary>Bits [offset, offset + width) of a little-endian limb scalar (width ≤ 16).</summary>
    private static int Digit(ReadOnlySpan<ulong> scalar, int offset, int width)
    {
        int limb = offset >> 6, shift = offset & 63;
        if (limb >= scalar.Length) return 0;
        ulong value = scalar[limb] >> shift;
        if (shift + width > 64 && limb + 1 < scalar.Length) value |= scalar[limb + 1] << (64 - shift);
        return (int)(value & ((1UL << width) - 1));
    }

    /// <summary>
    /// The width-5 non-adjacent form, least significant digit first: odd digits in (−16, 16), each followed by at
    /// least four zeros. Returns the number of digits (at most the bit length plus one).
    /// </summary>
    private static int ToNaf(ReadOnlySpan<ulong> scalar, Span<sbyte> naf)
    {
        const int modulus = 1 << NafWidth;
        Span<ulong> k = stackalloc ulong[ScalarLimbs + 1];
        k.Clear();
        scalar.CopyTo(k);
        int length = 0;
        while (k.IndexOfAnyExcept(0UL) >= 0)
        {
            int digit = 0;
            if ((k[0] & 1) != 0)
            {
                digit = (int)(k[0] & (modulus - 1));
                if (digit >= modulus / 2) digit -= modulus;
                if (digit > 0) SubtractSmall(k, (ulong)digit);
                else AddSmall(k, (ulong)-digit);
            }
            naf[length++] = (sbyte)digit;
            for (int i = 0; i < k.Length - 1; i++) k[i] = (k[i] >> 1) | (k[i + 1] << 63);
            k[^1] >>= 1;
        }
        return length;
    }

    private static void SubtractSmall(Span<ulong> k, ulong value)
    {
        // Only the low bits are cleared here (value equals k's low bits), so no borrow leaves limb 0.
        k[0] -= value;
    }

    private static void AddSmall(Span<ulong> k, ulong value)
    {
        for (int i = 0; i < k.Length && value != 0; i++)
        {
            ulong sum = k[i] + value;
            value = sum < k[i] ? 1UL : 0UL;
            k[i] = sum;
        }
    }
}
