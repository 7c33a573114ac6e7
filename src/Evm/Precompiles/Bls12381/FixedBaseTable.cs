namespace BeamSync.Evm.Precompiles.Bls12381;

/// <summary>
/// [k]P for one fixed point P with no doublings at all: k is cut into signed 8-bit windows and window w's digit d
/// looks up [|d|·2^(8w)]P in a table kept in affine coordinates, so a 256-bit scalar costs at most 33 mixed additions
/// where a doubling chain costs hundreds of point operations. The table (33 × 128 points, about 400 KB over Fp) is
/// built once, so this pays off only for a base used on every call, such as the KZG setup's generator. P must have
/// prime order above 2^8 (as points of G1 and G2 do), so no entry is infinity. Variable time (inputs are public).
/// Immutable; thread-safe.
/// </summary>
public sealed class FixedBaseTable<T> where T : unmanaged, IBlsField<T>
{
    private const int WindowBits = 8;
    private const int ScalarBytes = 32;
    /// <summary>A signed digit can carry one past the top byte.</summary>
    private const int Windows = ScalarBytes + 1;
    /// <summary>Digits lie in [−127, 128], so entry d − 1 holds the multiple for |d| = d.</summary>
    private const int Entries = 1 << (WindowBits - 1);

    private readonly T[] _x;
    private readonly T[] _y;

    public FixedBaseTable(in JacobianPoint<T> point)
    {
        if (point.IsInfinity) throw new ArgumentException("the base of a fixed-base table cannot be infinity", nameof(point));
        var multiples = new JacobianPoint<T>[Windows * Entries];
        JacobianPoint<T> windowBase = point;
        for (int w = 0; w < Windows; w++)
        {
            JacobianPoint<T> multiple = windowBase;
            for (int d = 0; d < Entries; d++)
            {
                multiples[w * Entries + d] = multiple;
                multiple += windowBase;
            }
            windowBase = multiples[w * Entries + Entries - 1].Double();
        }
        _x = new T[multiples.Length];
        _y = new T[multiples.Length];
        ToAffine(multiples, _x, _y);
    }

    /// <summary>[k]P for a 32-byte big-endian k (any value below 2^256; it is not reduced).</summary>
    public JacobianPoint<T> Multiply(ReadOnlySpan<byte> bigEndian32)
    {
        if (bigEndian32.Length != ScalarBytes) throw new ArgumentException("a scalar is 32 bytes", nameof(bigEndian32));
        var result = JacobianPoint<T>.Infinity;
        int carry = 0;
        for (int w = 0; w < Windows; w++)
        {
            int digit = (w < ScalarBytes ? bigEndian32[ScalarBytes - 1 - w] : 0) + carry;
            carry = digit > Entries ? 1 : 0;
            digit -= carry << WindowBits;
            if (digit == 0) continue;
            int index = w * Entries + Math.Abs(digit) - 1;
            result = result.AddAffine(_x[index], digit > 0 ? _y[index] : _y[index].Negate());
        }
        return result;
    }

    /// <summary>All points to affine with one field inversion (Montgomery's trick); none may be infinity.</summary>
    private static void ToAffine(ReadOnlySpan<JacobianPoint<T>> points, Span<T> x, Span<T> y)
    {
        // x temporarily holds the prefix products Z_0···Z_(i−1).
        T running = T.One;
        for (int i = 0; i < points.Length; i++)
        {
            x[i] = running;
            running *= points[i].Z;
        }
        T inverse = running.Inverse();
        for (int i = points.Length - 1; i >= 0; i--)
        {
            T zInverse = inverse * x[i];
            inverse *= points[i].Z;
            T zInverse2 = zInverse.Square();
            x[i] = points[i].X * zInverse2;
            y[i] = points[i].Y * zInverse2 * zInverse;
        }
    }
}
