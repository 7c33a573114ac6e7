namespace BeamSync.Evm.Precompiles.Bls12381;

/// <summary>
/// A point on y² = x³ + b over <typeparamref name="T"/> in affine coordinates, or the point at infinity. The add
/// precompiles take and return affine points, so adding here costs one field inversion, where a Jacobian sum plus
/// the conversion back costs that inversion and a dozen products more. Neither curve has a point of order two
/// (both cofactors are odd), so y is never zero and the doubling formula never divides by zero. Immutable; thread-safe.
/// </summary>
public readonly struct AffinePoint<T> where T : unmanaged, IBlsField<T>
{
    public readonly T X, Y;
    public readonly bool IsInfinity;

    public AffinePoint(in T x, in T y) { X = x; Y = y; IsInfinity = false; }

    private AffinePoint(bool infinity) { X = T.Zero; Y = T.Zero; IsInfinity = infinity; }

    public static AffinePoint<T> Infinity => new(infinity: true);

    public JacobianPoint<T> ToJacobian() => IsInfinity ? JacobianPoint<T>.Infinity : JacobianPoint<T>.FromAffine(X, Y);

    /// <summary>The chord through p and q (the tangent when they are equal), from one inversion of the slope's denominator.</summary>
    public static AffinePoint<T> operator +(in AffinePoint<T> p, in AffinePoint<T> q)
    {
        if (p.IsInfinity) return q;
        if (q.IsInfinity) return p;
        T numerator, denominator;
        if (p.X == q.X)
        {
            if (p.Y != q.Y) return Infinity;
            T xx = p.X.Square();
            numerator = xx.Double() + xx;
            denominator = p.Y.Double();
        }
        else
        {
            numerator = q.Y - p.Y;
            denominator = q.X - p.X;
        }
        T slope = numerator * denominator.Inverse();
        T x3 = slope.Square() - p.X - q.X;
        T y3 = slope * (p.X - x3) - p.Y;
        return new AffinePoint<T>(x3, y3);
    }
}
