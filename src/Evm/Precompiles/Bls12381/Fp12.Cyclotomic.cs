namespace BeamSync.Evm.Precompiles.Bls12381;

public readonly partial struct Fp12
{
    /// <summary>
    /// Squaring for elements of the cyclotomic subgroup (norm 1, as after the final exponentiation's easy part):
    /// Granger–Scott. Seen as A + B·w + C·w² over Fp4 = Fp2[t]/(t² − ξ), t = w³, the square is
    /// (3A² − 2Ā) + (3t·C² + 2B̄)·w + (3B² − 2C̄)·w², three Fp4 squarings instead of a full Fp12 squaring.
    /// Wrong for elements outside that subgroup.
    /// </summary>
    public Fp12 CyclotomicSquare()
    {
        Fp2 z0 = C0.C0, z1 = C1.C0, z2 = C0.C1, z3 = C1.C1, z4 = C0.C2, z5 = C1.C2;
        SquareFp4(z0, z3, out Fp2 a0, out Fp2 a1);
        SquareFp4(z1, z4, out Fp2 b0, out Fp2 b1);
        SquareFp4(z2, z5, out Fp2 c0, out Fp2 c1);
        Fp2 tc = c1.MulByNonResidue();

        z0 = (a0 - z0).Double() + a0;
        z3 = (a1 + z3).Double() + a1;
        z1 = (tc + z1).Double() + tc;
        z4 = (c0 - z4).Double() + c0;
        z2 = (b0 - z2).Double() + b0;
        z5 = (b1 + z5).Double() + b1;
        return new Fp12(new Fp6(z0, z2, z4), new Fp6(z1, z3, z5));
    }

    /// <summary>(x + y·t)² = (x² + ξy²) + 2xy·t.</summary>
    private static void SquareFp4(in Fp2 x, in Fp2 y, out Fp2 c0, out Fp2 c1)
    {
        Fp2 x2 = x.Square();
        Fp2 y2 = y.Square();
        c0 = y2.MulByNonResidue() + x2;
        c1 = (x + y).Square() - x2 - y2;
    }

    /// <summary>
    /// this^e in the cyclotomic subgroup, with Karabina's compressed squarings: the chain of squares keeps four of
    /// the six Fp2 coefficients (four Fp2 products per squaring instead of nine Fp2 squarings), and only the powers
    /// this^(2^k) for the set bits k of e are decompressed, all with one shared inversion, then multiplied. Where a
    /// decompression would divide by zero (degenerate elements such as one) it falls back to Granger–Scott
    /// square-and-multiply. Wrong for elements outside that subgroup.
    /// </summary>
    public Fp12 CyclotomicPow(ulong exponent)
    {
        // One (what the easy part leaves of pairs that cancel, e(P, Q)·e(−P, Q)) compresses to zeros, which cannot be
        // decompressed; so would any other element with g2 = g3 = 0, which go the uncompressed way at once.
        if (exponent == 0 || this == One) return One;
        if (C1.C0.IsZero && C0.C2.IsZero) return CyclotomicPowUncompressed(exponent);
        int setBits = System.Numerics.BitOperations.PopCount(exponent);
        Span<Fp12> powers = stackalloc Fp12[setBits];
        int count = 0;
        if ((exponent & 1) != 0) powers[count++] = this;
        Span<KarabinaCompressed> compressed = stackalloc KarabinaCompressed[setBits];
        int compressedCount = 0;
        var square = new KarabinaCompressed(this);
        for (int bit = 1; bit < 64 && (exponent >> bit) != 0; bit++)
        {
            square = square.Square();
            if (((exponent >> bit) & 1) != 0) compressed[compressedCount++] = square;
        }
        if (!KarabinaCompressed.TryDecompress(compressed[..compressedCount], powers[count..])) return CyclotomicPowUncompressed(exponent);
        count += compressedCount;
        Fp12 result = powers[0];
        for (int i = 1; i < count; i++) result *= powers[i];
        return result;
    }

    private Fp12 CyclotomicPowUncompressed(ulong exponent)
    {
        Fp12 result = One;
        for (int bit = 63 - System.Numerics.BitOperations.LeadingZeroCount(exponent); bit >= 0; bit--)
        {
            result = result.CyclotomicSquare();
            if (((exponent >> bit) & 1) != 0) result *= this;
        }
        return result;
    }

    /// <summary>
    /// Karabina's compressed form of a cyclotomic element (c0.c0 + c0.c1·v + c0.c2·v²) + (c1.c0 + c1.c1·v + c1.c2·v²)·w:
    /// the four coefficients g2 = c1.c0, g3 = c0.c2, g4 = c0.c1, g5 = c1.c2, from which the other two follow.
    /// </summary>
    internal readonly struct KarabinaCompressed
    {
        private readonly Fp2 _g2, _g3, _g4, _g5;

        public KarabinaCompressed(in Fp12 element) : this(element.C1.C0, element.C0.C2, element.C0.C1, element.C1.C2) { }

        internal KarabinaCompressed(in Fp2 g2, in Fp2 g3, in Fp2 g4, in Fp2 g5) { _g2 = g2; _g3 = g3; _g4 = g4; _g5 = g5; }

        internal Fp2 G2 => _g2;
        internal Fp2 G3 => _g3;
        internal Fp2 G4 => _g4;
        internal Fp2 G5 => _g5;

        /// <summary>
        /// With B_ij = g_i·g_j and A_ij = (g_i + g_j)(g_i + ξ·g_j): g2' = 2(g2 + 3ξ·B45), g3' = 3(A45 − (ξ + 1)·B45) − 2g3,
        /// g4' = 3(A23 − (ξ + 1)·B23) − 2g4, g5' = 2(g5 + 3·B23).
        /// </summary>
        public KarabinaCompressed Square() => FpNativeKernels.IsAvailable ? FpNativeKernels.KarabinaSquare(this) : SquareManaged();

        internal KarabinaCompressed SquareManaged()
        {
            Fp2 b23 = _g2 * _g3;
            Fp2 b45 = _g4 * _g5;
            Fp2 a23 = (_g2 + _g3) * (_g2 + _g3.MulByNonResidue());
            Fp2 a45 = (_g4 + _g5) * (_g4 + _g5.MulByNonResidue());
            Fp2 xiB45 = b45.MulByNonResidue();
            Fp2 g2 = (_g2 + xiB45.Double() + xiB45).Double();
            Fp2 g3 = ThreeTimesMinusTwice(a45 - xiB45 - b45, _g3);
            Fp2 g4 = ThreeTimesMinusTwice(a23 - b23.MulByNonResidue() - b23, _g4);
            Fp2 g5 = (_g5 + Triple(b23)).Double();
            return new KarabinaCompressed(g2, g3, g4, g5);
        }

        private static Fp2 Triple(in Fp2 x) => x.Double() + x;

        /// <summary>3t − 2g as t + 2(t − g): three additions instead of four.</summary>
        private static Fp2 ThreeTimesMinusTwice(in Fp2 t, in Fp2 g) => (t - g).Double() + t;

        /// <summary>
        /// Recovers g1 (then g0) for each element: g1 = (ξ·g5² + 3g4² − 2g3)/(4g2), or 2g4g5/g3 when g2 = 0;
        /// g0 = ξ(2g1² + g2g5 − 3g3g4) + 1. The divisions share one inversion (Montgomery's trick). False when some
        /// denominator is zero.
        /// </summary>
        public static bool TryDecompress(ReadOnlySpan<KarabinaCompressed> compressed, Span<Fp12> decompressed)
        {
            int n = compressed.Length;
            if (n == 0) return true;
            Span<Fp2> numerators = stackalloc Fp2[n];
            Span<Fp2> prefix = stackalloc Fp2[n];
            Fp2 running = Fp2.One;
            for (int i = 0; i < n; i++)
            {
                ref readonly KarabinaCompressed c = ref compressed[i];
                Fp2 denominator;
                if (c._g2.IsZero)
                {
                    numerators[i] = (c._g4 * c._g5).Double();
                    denominator = c._g3;
                }
                else
                {
                    Fp2 g4Squared = c._g4.Square();
                    numerators[i] = c._g5.Square().MulByNonResidue() + g4Squared.Double() + g4Squared - c._g3.Double();
                    denominator = c._g2.Double().Double();
                }
                if (denominator.IsZero) return false;
                prefix[i] = running;
                running *= denominator;
            }
            // inverse holds (d_0···d_i)⁻¹ going down: d_i⁻¹ = inverse·(d_0···d_(i−1)), then drop d_i from it.
            Fp2 inverse = running.Inverse();
            for (int i = n - 1; i >= 0; i--)
            {
                ref readonly KarabinaCompressed c = ref compressed[i];
                Fp2 denominator = c._g2.IsZero ? c._g3 : c._g2.Double().Double();
                Fp2 g1 = numerators[i] * (inverse * prefix[i]);
                inverse *= denominator;
                Fp2 g3g4 = c._g3 * c._g4;
                Fp2 g0 = (g1.Square().Double() + c._g2 * c._g5 - g3g4.Double() - g3g4).MulByNonResidue() + Fp2.One;
                decompressed[i] = new Fp12(new Fp6(g0, c._g4, c._g3), new Fp6(c._g2, g1, c._g5));
            }
            return true;
        }
    }
}
