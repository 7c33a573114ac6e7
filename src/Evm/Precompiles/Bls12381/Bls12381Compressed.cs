namespace BeamSync.Evm.Precompiles.Bls12381;

/// <summary>
/// The zcash compressed encoding used by EIP-4844 commitments and proofs: x big-endian with three flag bits in the
/// first byte (0x80 compressed, must be set; 0x40 infinity; 0x20 y is the lexicographically larger root). Infinity
/// must be exactly 0xc0 followed by zeros. Decoding checks the curve equation but not the subgroup. Stateless; thread-safe.
/// </summary>
public static class Bls12381Compressed
{
    public const int G1Size = 48;
    public const int G2Size = 96;

    private const byte CompressedFlag = 0x80, InfinityFlag = 0x40, SignFlag = 0x20, FlagMask = 0xE0;

    public static bool TryDecompressG1(ReadOnlySpan<byte> input48, out JacobianPoint<Fp> point)
    {
        point = JacobianPoint<Fp>.Infinity;
        if (input48.Length != G1Size) return false;
        if (!TryReadFlags(input48, out bool infinity, out bool larger)) return false;
        Span<byte> x = stackalloc byte[G1Size];
        input48.CopyTo(x);
        x[0] &= unchecked((byte)~FlagMask);
        if (infinity) return !larger && x.IndexOfAnyExcept((byte)0) < 0;
        if (!Fp.TryRead(x, out Fp fx)) return false;
        if (!(fx.Square() * fx + Bls12381Curve.B1).TrySqrt(out Fp y)) return false;
        if (y.IsLexicographicallyLargest() != larger) y = y.Negate();
        point = JacobianPoint<Fp>.FromAffine(fx, y);
        return true;
    }

    /// <summary>G2: x = c1 ‖ c0 (c1 first, as zcash orders it), flags in c1's first byte.</summary>
    public static bool TryDecompressG2(ReadOnlySpan<byte> input96, out JacobianPoint<Fp2> point)
    {
        point = JacobianPoint<Fp2>.Infinity;
        if (input96.Length != G2Size) return false;
        if (!TryReadFlags(input96, out bool infinity, out bool larger)) return false;
        Span<byte> x = stackalloc byte[G2Size];
        input96.CopyTo(x);
        x[0] &= unchecked((byte)~FlagMask);
        if (infinity) return !larger && x.IndexOfAnyExcept((byte)0) < 0;
        if (!Fp.TryRead(x[..G1Size], out Fp c1) || !Fp.TryRead(x[G1Size..], out Fp c0)) return false;
        var fx = new Fp2(c0, c1);
        if (!(fx.Square() * fx + Bls12381Curve.B2).TrySqrt(out Fp2 y)) return false;
        if (y.IsLexicographicallyLargest() != larger) y = y.Negate();
        point = JacobianPoint<Fp2>.FromAffine(fx, y);
        return true;
    }

    /// <summary>Writes a G1 point in the 48-byte compressed form (infinity as 0xc0 followed by zeros).</summary>
    public static void CompressG1(in JacobianPoint<Fp> point, Span<byte> output48)
    {
        output48[..G1Size].Clear();
        if (point.IsInfinity)
        {
            output48[0] = CompressedFlag | InfinityFlag;
            return;
        }
        point.ToAffine(out Fp x, out Fp y);
        x.Write(output48[..G1Size]);
        output48[0] |= y.IsLexicographicallyLargest() ? (byte)(CompressedFlag | SignFlag) : CompressedFlag;
    }

    private static bool TryReadFlags(ReadOnlySpan<byte> input, out bool infinity, out bool larger)
    {
        byte flags = input[0];
        infinity = (flags & InfinityFlag) != 0;
        larger = (flags & SignFlag) != 0;
        return (flags & CompressedFlag) != 0;
    }
}
