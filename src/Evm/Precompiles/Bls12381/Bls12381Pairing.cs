using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace BeamSync.Evm.Precompiles.Bls12381;

/// <summary>
/// The optimal ate pairing on BLS12-381 as a product check: ∏ e(P_i, Q_i) = 1. Each Q_i's Miller-loop lines are
/// computed first, as coefficients that P enters only linearly (<see cref="Line"/>), so a fixed Q (the KZG setup's
/// G2 points) is prepared once and its pairings do no G2 arithmetic at all. One Miller loop over |x| then shares its
/// squarings between all pairs. T runs in Jacobian coordinates and each line is scaled by a factor in Fp2 (which
/// the final exponentiation removes), so no inversion is needed. Stateless; thread-safe.
/// </summary>
[SkipLocalsInit]
public static partial class Bls12381Pairing
{
    /// <summary>An affine pair (P in G1, Q in G2); neither may be infinity (such pairs contribute 1 and are dropped).</summary>
    public readonly record struct Pair(Fp Px, Fp Py, Fp2 Qx, Fp2 Qy);

    /// <summary>One Miller-loop line before P enters: evaluated at P it is Constant + (XFactor·xP)·v + (YFactor·yP)·vw.</summary>
    public readonly record struct Line(Fp2 Constant, Fp2 XFactor, Fp2 YFactor);

    /// <summary>Lines per Q: a doubling for each bit of |x| below the top one, an addition for each set one.</summary>
    public static readonly int LinesPerPair = 63 + BitOperations.PopCount(Bls12381Curve.AbsX) - 1;

    /// <summary>Pairs whose lines are prepared in a stack buffer; more rent one.</summary>
    private const int StackPairs = 1;

    /// <summary>Whether the product of the pairings is the identity of the target group.</summary>
    public static bool ProductIsOne(ReadOnlySpan<Pair> pairs)
    {
        if (pairs.IsEmpty) return true;
        return FinalExponentiation(MillerLoop(pairs)).IsOne;
    }

    /// <summary>Whether ∏ e(P_i, Q_i) = 1 for affine P_i (none infinity) and Q_i given by their prepared lines, pair-major.</summary>
    public static bool ProductIsOne(ReadOnlySpan<Fp> px, ReadOnlySpan<Fp> py, ReadOnlySpan<Line> lines)
    {
        if (px.IsEmpty) return true;
        return FinalExponentiation(MillerLoop(px, py, lines, unitLines: false)).IsOne;
    }

    /// <summary>
    /// As <see cref="ProductIsOne(ReadOnlySpan{Fp}, ReadOnlySpan{Fp}, ReadOnlySpan{Line})"/> for lines from
    /// <see cref="PrepareUnitLines"/>. Each line evaluated at P is also divided by yP, an Fp factor the final
    /// exponentiation removes, so it reads Constant/yP + XFactor·(xP/yP)·v + v·w: a sparser product per line, for
    /// one inversion per pair.
    /// </summary>
    public static bool ProductIsOneWithUnitLines(ReadOnlySpan<Fp> px, ReadOnlySpan<Fp> py, ReadOnlySpan<Line> unitLines)
    {
        if (px.IsEmpty) return true;
        Span<Fp> xOverY = px.Length <= 8 ? stackalloc Fp[px.Length] : new Fp[px.Length];
        Span<Fp> yInverse = px.Length <= 8 ? stackalloc Fp[px.Length] : new Fp[px.Length];
        for (int i = 0; i < px.Length; i++)
        {
            yInverse[i] = py[i].Inverse();
            xOverY[i] = px[i] * yInverse[i];
        }
        return FinalExponentiation(MillerLoop(xOverY, yInverse, unitLines, unitLines: true)).IsOne;
    }

    /// <summary>
    /// As <see cref="ProductIsOneWithUnitLines(ReadOnlySpan{Fp}, ReadOnlySpan{Fp}, ReadOnlySpan{Line})"/> for two G1
    /// points in Jacobian coordinates, neither infinity (so Y ≠ 0: no curve point has order two): a unit
    /// line needs only xP/yP = X·Z/Y and 1/yP = Z³/Y, so one inversion of Y1·Y2 serves both points where going
    /// through affine coordinates inverts Z and then y for each.
    /// </summary>
    public static bool ProductIsOneWithUnitLines(in JacobianPoint<Fp> p1, in JacobianPoint<Fp> p2, ReadOnlySpan<Line> unitLines)
    {
        Fp bothInverse = (p1.Y * p2.Y).Inverse();
        Fp y1Inverse = bothInverse * p2.Y, y2Inverse = bothInverse * p1.Y;
        Fp z1Squared = p1.Z.Square(), z2Squared = p2.Z.Square();
        ReadOnlySpan<Fp> xOverY = [p1.X * p1.Z * y1Inverse, p2.X * p2.Z * y2Inverse];
        ReadOnlySpan<Fp> yInverse = [z1Squared * p1.Z * y1Inverse, z2Squared * p2.Z * y2Inverse];
        return FinalExponentiation(MillerLoop(xOverY, yInverse, unitLines, unitLines: true)).IsOne;
    }

    /// <summary>The full pairing e(P, Q) (reduced); for tests and bilinearity checks.</summary>
    public static Fp12 Pair1(in Pair pair) => FinalExponentiation(MillerLoop([pair]));

    public static Fp12 MillerLoop(ReadOnlySpan<Pair> pairs)
    {
        int lineCount = pairs.Length * LinesPerPair;
        Line[]? rented = pairs.Length > StackPairs ? ArrayPool<Line>.Shared.Rent(lineCount) : null;
        Span<Line> lines = rented is null ? stackalloc Line[StackPairs * LinesPerPair] : rented;
        Span<Fp> px = pairs.Length <= 8 ? stackalloc Fp[pairs.Length] : new Fp[pairs.Length];
        Span<Fp> py = pairs.Length <= 8 ? stackalloc Fp[pairs.Length] : new Fp[pairs.Length];
        for (int i = 0; i < pairs.Length; i++)
        {
            px[i] = pairs[i].Px;
            py[i] = pairs[i].Py;
            PrepareLines(pairs[i].Qx, pairs[i].Qy, lines.Slice(i * LinesPerPair, LinesPerPair));
        }
        Fp12 f = MillerLoop(px, py, lines[..lineCount], unitLines: false);
        if (rented is not null) ArrayPool<Line>.Shared.Return(rented);
        return f;
    }

    /// <summary>The lines of the Miller loop for Q (affine, not infinity), in the order the loop consumes them.</summary>
    public static Line[] PrepareLines(in Fp2 qx, in Fp2 qy)
    {
        var lines = new Line[LinesPerPair];
        PrepareLines(qx, qy, lines);
        return lines;
    }

    /// <summary>
    /// The lines for Q scaled so that YFactor is one (each by the Fp2 factor 1/YFactor, which the final
    /// exponentiation removes): one inversion per line, worth it for a Q that is fixed and prepared once.
    /// </summary>
    public static Line[] PrepareUnitLines(in Fp2 qx, in Fp2 qy)
    {
        Line[] lines = PrepareLines(qx, qy);
        for (int i = 0; i < lines.Length; i++)
        {
            Fp2 scale = lines[i].YFactor.Inverse();
            lines[i] = new Line(lines[i].Constant * scale, lines[i].XFactor * scale, Fp2.One);
        }
        return lines;
    }

    private static void PrepareLines(in Fp2 qx, in Fp2 qy, Span<Line> lines)
    {
        var t = JacobianPoint<Fp2>.FromAffine(qx, qy);
        int n = 0;
        for (int bit = 62; bit >= 0; bit--)
        {
            lines[n++] = DoublingStep(ref t);
            if (((Bls12381Curve.AbsX >> bit) & 1) != 0) lines[n++] = AdditionStep(ref t, qx, qy);
        }
    }

    /// <summary>With <paramref name="unitLines"/>, px and py hold xP/yP and 1/yP (see <see cref="ProductIsOneWithUnitLines"/>).</summary>
    private static Fp12 MillerLoop(ReadOnlySpan<Fp> px, ReadOnlySpan<Fp> py, ReadOnlySpan<Line> lines, bool unitLines)
    {
        Fp12 f = Fp12.One;
        int n = 0;
        for (int bit = 62; bit >= 0; bit--)
        {
            if (bit != 62) f = f.Square();
            f = MultiplyByLines(f, px, py, lines, n++, unitLines);
            if (((Bls12381Curve.AbsX >> bit) & 1) != 0) f = MultiplyByLines(f, px, py, lines, n++, unitLines);
        }
        // x is negative: f_{x} = 1/f_{|x|}, and after the final exponentiation the inverse is the conjugate.
        return f.Conjugate();
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Fp12 MultiplyByLines(Fp12 f, ReadOnlySpan<Fp> px, ReadOnlySpan<Fp> py, ReadOnlySpan<Line> lines, int step, bool unitLines)
    {
        for (int i = 0; i < px.Length; i++)
        {
            ref readonly Line line = ref lines[i * LinesPerPair + step];
            f = unitLines
                ? f.MulByUnitLine(line.Constant * py[i], line.XFactor * px[i])
                : f.MulByLine(line.Constant, line.XFactor * px[i], line.YFactor * py[i]);
        }
        return f;
    }

    /// <summary>
    /// T ← 2T, and the tangent at T. With λ = 3X²/(2YZ) the line, multiplied by w³·2YZ³, is
    /// (3X³ − 2Y²) − 3X²Z²·xP·v + 2YZ·Z²·yP·vw.
    /// </summary>
    private static Line DoublingStep(ref JacobianPoint<Fp2> t)
    {
        Fp2 x = t.X, y = t.Y, z = t.Z;
        Fp2 a = x.Square();
        Fp2 b = y.Square();
        Fp2 c = b.Square();
        Fp2 d = ((x + b).Square() - a - c).Double();
        Fp2 e = a.Double() + a;
        Fp2 zz = z.Square();
        Fp2 x3 = e.Square() - d.Double();
        Fp2 y3 = e * (d - x3) - c.Double().Double().Double();
        Fp2 z3 = (y * z).Double();
        t = new JacobianPoint<Fp2>(x3, y3, z3);
        return new Line(e * x - b.Double(), (e * zz).Negate(), z3 * zz);
    }

    /// <summary>
    /// T ← T + Q, and the line through T and Q. With H = xQ·Z² − X, R = yQ·Z³ − Y the line, multiplied by w³·HZ, is
    /// (R·xQ − yQ·HZ) − R·xP·v + HZ·yP·vw.
    /// </summary>
    private static Line AdditionStep(ref JacobianPoint<Fp2> t, in Fp2 qx, in Fp2 qy)
    {
        Fp2 zz = t.Z.Square();
        Fp2 h = qx * zz - t.X;
        Fp2 r = qy * t.Z * zz - t.Y;
        Fp2 hh = h.Square();
        Fp2 hhh = h * hh;
        Fp2 v = t.X * hh;
        Fp2 x3 = r.Square() - hhh - v.Double();
        Fp2 y3 = r * (v - x3) - t.Y * hhh;
        Fp2 z3 = t.Z * h;
        t = new JacobianPoint<Fp2>(x3, y3, z3);
        return new Line(r * qx - qy * z3, r.Negate(), z3);
    }
}
