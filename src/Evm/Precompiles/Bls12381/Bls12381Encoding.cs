namespace BeamSync.Evm.Precompiles.Bls12381;

/// <summary>
/// EIP-2537 encodings: a field element is 64 big-endian bytes whose top 16 are zero and whose value is below p; an Fp2
/// is c0 ‖ c1; a point is x ‖ y, uncompressed, with infinity as all zeros. Readers return false for any violation,
/// including a point off its curve (subgroup checks are the caller's, as only some operations require them).
/// Stateless; thread-safe.
/// </summary>
public static class Bls12381Encoding
{
    public const int FpSize = 64;
    public const int Fp2Size = 128;
    public const int G1Size = 128;
    public const int G2Size = 256;

    public static bool TryReadFp(ReadOnlySpan<byte> input64, out Fp value)
    {
        if (input64[..16].IndexOfAnyExcept((byte)0) >= 0) { value = default; return false; }
        return Fp.TryRead(input64[16..FpSize], out value);
    }

    public static bool TryReadFp2(ReadOnlySpan<byte> input128, out Fp2 value)
    {
        value = default;
        if (!TryReadFp(input128[..FpSize], out Fp c0) || !TryReadFp(input128[FpSize..Fp2Size], out Fp c1)) return false;
        value = new Fp2(c0, c1);
        return true;
    }

    public static bool TryReadG1(ReadOnlySpan<byte> input128, out JacobianPoint<Fp> point)
    {
        bool valid = TryReadG1(input128, out AffinePoint<Fp> affine);
        point = affine.ToJacobian();
        return valid;
    }

    public static bool TryReadG1(ReadOnlySpan<byte> input128, out AffinePoint<Fp> point)
    {
        point = AffinePoint<Fp>.Infinity;
        if (!TryReadFp(input128[..FpSize], out Fp x) || !TryReadFp(input128[FpSize..G1Size], out Fp y)) return false;
        if (x.IsZero && y.IsZero) return true;
        if (!Bls12381Curve.IsOnG1Curve(x, y)) return false;
        point = new AffinePoint<Fp>(x, y);
        return true;
    }

    public static bool TryReadG2(ReadOnlySpan<byte> input256, out JacobianPoint<Fp2> point)
    {
        bool valid = TryReadG2(input256, out AffinePoint<Fp2> affine);
        point = affine.ToJacobian();
        return valid;
    }

    public static bool TryReadG2(ReadOnlySpan<byte> input256, out AffinePoint<Fp2> point)
    {
        point = AffinePoint<Fp2>.Infinity;
        if (!TryReadFp2(input256[..Fp2Size], out Fp2 x) || !TryReadFp2(input256[Fp2Size..G2Size], out Fp2 y)) return false;
        if (x.IsZero && y.IsZero) return true;
        if (!Bls12381Curve.IsOnG2Curve(x, y)) return false;
        point = new AffinePoint<Fp2>(x, y);
        return true;
    }

    public static void WriteFp(in Fp value, Span<byte> output64)
    {
        output64[..16].Clear();
        value.Write(output64[16..FpSize]);
    }

    public static byte[] EncodeG1(in JacobianPoint<Fp> point)
    {
        point.ToAffine(out Fp x, out Fp y);
        return EncodeG1(x, y);
    }

    /// <summary>Infinity is written as (0, 0), which is also what its X and Y hold.</summary>
    public static byte[] EncodeG1(in AffinePoint<Fp> point) => EncodeG1(point.X, point.Y);

    private static byte[] EncodeG1(in Fp x, in Fp y)
    {
        var output = new byte[G1Size];
        WriteFp(x, output.AsSpan(0, FpSize));
        WriteFp(y, output.AsSpan(FpSize, FpSize));
        return output;
    }

    public static byte[] EncodeG2(in JacobianPoint<Fp2> point)
    {
        point.ToAffine(out Fp2 x, out Fp2 y);
        return EncodeG2(x, y);
    }

    public static byte[] EncodeG2(in AffinePoint<Fp2> point) => EncodeG2(point.X, point.Y);

    private static byte[] EncodeG2(in Fp2 x, in Fp2 y)
    {
        var output = new byte[G2Size];
        WriteFp(x.C0, output.AsSpan(0, FpSize));
        WriteFp(x.C1, output.AsSpan(FpSize, FpSize));
        WriteFp(y.C0, output.AsSpan(2 * FpSize, FpSize));
        WriteFp(y.C1, output.AsSpan(3 * FpSize, FpSize));
        return output;
    }
}
