using System.Numerics;
using BeamSync.Evm.Precompiles.Bls12381;

namespace BeamSync.Evm.Tests.Precompiles;

/// <summary>
/// The multi-scalar multiplications (Straus and Pippenger, plain and split along the endomorphisms) against the
/// definitional sum of double-and-add products, for full 256-bit scalars including those at and above r.
/// </summary>
public class BlsMsmTests
{
    private static readonly BigInteger Two256 = BigInteger.One << 256;

    private static readonly BigInteger[] EdgeScalars =
    [
        0, 1, 2, 15, 16, 17, Bls12381Curve.Order - 1, Bls12381Curve.Order, Bls12381Curve.Order + 1,
        2 * Bls12381Curve.Order + 5, Two256 - 1, new BigInteger(Bls12381Curve.AbsX), BigInteger.Pow(Bls12381Curve.AbsX, 2) - 1,
    ];

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(5)]
    [InlineData(13)]
    [InlineData(40)]
    public void G1_matches_the_sum_of_products(int count)
    {
        var (points, scalars, limbs) = Terms(Bls12381Curve.G1Generator, count);
        var expected = Reference(points, limbs);
        Assert.True(Bls12381Msm.ComputeG1(points, scalars).IsSamePoint(expected));
        Assert.True(Bls12381Msm.Compute<Fp>(points, scalars).IsSamePoint(expected));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(5)]
    [InlineData(13)]
    [InlineData(40)]
    public void G2_matches_the_sum_of_products(int count)
    {
        var (points, scalars, limbs) = Terms(Bls12381Curve.G2Generator, count);
        var expected = Reference(points, limbs);
        Assert.True(Bls12381Msm.ComputeG2(points, scalars).IsSamePoint(expected));
        Assert.True(Bls12381Msm.Compute<Fp2>(points, scalars).IsSamePoint(expected));
    }

    /// <summary>
    /// The single-point G1 product through base-|x| digits and the [|x|]P the subgroup check leaves, against plain
    /// double-and-add, for the edge scalars (0, 1, r − 1, r, r + 1, 2^256 − 1 and the like) and random ones, on affine
    /// and non-affine points.
    /// </summary>
    [Fact]
    public void G1_product_from_powers_of_x_matches_double_and_add()
    {
        var (points, scalars, limbs) = Terms(Bls12381Curve.G1Generator, 40);
        for (int i = 0; i < points.Length; i++)
        {
            JacobianPoint<Fp> point = i % 2 == 0 ? points[i] : points[i].Double();
            Assert.True(Bls12381Endomorphisms.IsInG1Subgroup(point, out JacobianPoint<Fp> timesAbsX));
            Assert.True(timesAbsX.IsSamePoint(point.Multiply([Bls12381Curve.AbsX])));
            JacobianPoint<Fp> expected = point.Multiply(limbs[i]);
            Assert.True(Bls12381Msm.MultiplyG1(point, timesAbsX, scalars.AsSpan(32 * i, 32)).IsSamePoint(expected));
        }
        Assert.True(Bls12381Msm.MultiplyG1(JacobianPoint<Fp>.Infinity, JacobianPoint<Fp>.Infinity, scalars.AsSpan(0, 32)).IsInfinity);
    }

    [Fact]
    public void Infinity_terms_and_zero_scalars_contribute_nothing()
    {
        JacobianPoint<Fp>[] points = [JacobianPoint<Fp>.Infinity, Bls12381Curve.G1Generator];
        byte[] scalars = new byte[64];
        scalars[31] = 7;
        Assert.True(Bls12381Msm.ComputeG1(points, scalars).IsInfinity);
        Assert.True(Bls12381Msm.ComputeG2([Bls12381Curve.G2Generator], new byte[32]).IsInfinity);
    }

    /// <summary>Distinct affine subgroup points (multiples of the generator) with edge scalars first, then random ones.</summary>
    private static (JacobianPoint<T>[] Points, byte[] Scalars, ulong[][] Limbs) Terms<T>(JacobianPoint<T> generator, int count)
        where T : unmanaged, IBlsField<T>
    {
        var random = new Random(count);
        var points = new JacobianPoint<T>[count];
        var scalars = new byte[32 * count];
        var limbs = new ulong[count][];
        var point = generator;
        for (int i = 0; i < count; i++)
        {
            point = point.Double() + generator;
            point.ToAffine(out T x, out T y);
            points[i] = JacobianPoint<T>.FromAffine(x, y);
            BigInteger k;
            if (i < EdgeScalars.Length && count > 2) k = EdgeScalars[i];
            else
            {
                byte[] bytes = new byte[32];
                random.NextBytes(bytes);
                k = new BigInteger(bytes, isUnsigned: true);
            }
            k.TryWriteBytes(scalars.AsSpan(32 * i + 32 - k.GetByteCount(isUnsigned: true), k.GetByteCount(isUnsigned: true)), out _, isUnsigned: true, isBigEndian: true);
            limbs[i] = Enumerable.Range(0, 4).Select(j => (ulong)((k >> (64 * j)) & ulong.MaxValue)).ToArray();
        }
        return (points, scalars, limbs);
    }

    private static JacobianPoint<T> Reference<T>(JacobianPoint<T>[] points, ulong[][] limbs) where T : unmanaged, IBlsField<T>
    {
        var sum = JacobianPoint<T>.Infinity;
        for (int i = 0; i < points.Length; i++) sum += points[i].Multiply(limbs[i]);
        return sum;
    }
}
