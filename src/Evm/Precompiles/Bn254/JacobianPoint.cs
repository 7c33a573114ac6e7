using System.Runtime.CompilerServices;

namespace BeamSync.Evm.Precompiles.Bn254;

/// <summary>
/// A point (X/Z², Y/Z³) on y² = x³ + b over <typeparamref name="T"/> (a = 0 for both bn254 groups); Z = 0 is the point
/// at infinity. Formulas are the complete-case-checked ones from the Explicit-Formulas Database (dbl-2009-l,
/// add-2007-bl, madd-2007-bl). Immutable; thread-safe.
/// </summary>
[SkipLocalsInit]
public readonly struct JacobianPoint<T> where T : struct, IFieldElement<T>
{
    public readonly T X, Y, Z;

    public JacobianPoint(in T x, in T y, in T z) { X = x; Y = y; Z = z; }

    public static JacobianPoint<T> Infinity => new(T.One, T.One, T.Zero);

    public bool IsInfinity => Z.IsZero;

    public static JacobianPoint<T> FromAffine(in T x, in T y) => new(x, y, T.One);

    public JacobianPoint<T> Double()
    {
        if (IsInfinity) return this;
        T a = X.Square();
        T b = Y.Square();
        T c = b.Square();
        T d = ((X + b).Square() - a - c).Double();
        T e = a.Double() + a;
        T f = e.Square();
        T x3 = f - d.Double();
        T c8 = c.Double().Double().Double();
        T y3 = e * (d - x3) - c8;
        T z3 = (Y * Z).Double();
        return new(x3, y3, z3);
    }

    public JacobianPoint<T> Add(in JacobianPoint<T> other)
    {
        if (IsInfinity) return other;
        if (other.IsInfinity) return this;
        T z1z1 = Z.Square();
        T z2z2 = other.Z.Square();
        T u1 = X * z2z2;
        T u2 = other.X * z1z1;
        T s1 = Y * other.Z * z2z2;
        T s2 = other.Y * Z * z1z1;
        T h = u2 - u1;
        T r = (s2 - s1).Double();
        if (h.IsZero) return r.IsZero ? Double() : Infinity;
        T i = h.Double().Square();
        T j = h * i;
        T v = u1 * i;
        T x3 = r.Square() - j - v.Double();
        T y3 = r * (v - x3) - (s1 * j).Double();
        T z3 = ((Z + other.Z).Square() - z1z1 - z2z2) * h;
        return new(x3, y3, z3);
    }

    /// <summary>Adds an affine point (x2, y2), which must not be the point at infinity.</summary>
    public JacobianPoint<T> AddAffine(in T x2, in T y2)
    {
        if (IsInfinity) return FromAffine(x2, y2);
        T z1z1 = Z.Square();
        T u2 = x2 * z1z1;
        T s2 = y2 * Z * z1z1;
        T h = u2 - X;
        T r = (s2 - Y).Double();
        if (h.IsZero) return r.IsZero ? Double() : Infinity;
        T hh = h.Square();
        T i = hh.Double().Double();
        T j = h * i;
        T v = X * i;
        T x3 = r.Square() - j - v.Double();
        T y3 = r * (v - x3) - (Y * j).Double();
        T z3 = (Z + h).Square() - z1z1 - hh;
        return new(x3, y3, z3);
    }

    public JacobianPoint<T> Negate() => new(X, Y.Negate(), Z);

    /// <summary>scalar·(x, y) for an affine point, by left-to-right double-and-add over the 256-bit big-endian scalar.</summary>
    public static JacobianPoint<T> Multiply(in T x, in T y, ReadOnlySpan<byte> scalarBigEndian)
    {
        JacobianPoint<T> acc = Infinity;
        foreach (byte b in scalarBigEndian)
        {
            for (int bit = 7; bit >= 0; bit--)
            {
                acc = acc.Double();
                if (((b >> bit) & 1) != 0) acc = acc.AddAffine(x, y);
            }
        }
        return acc;
    }

    /// <summary>The affine coordinates; (0, 0) for the point at infinity, as EIP-196 encodes it.</summary>
    public void ToAffine(out T x, out T y)
    {
        if (IsInfinity) { x = T.Zero; y = T.Zero; return; }
        T zInv = Z.Inverse();
        T zInv2 = zInv.Square();
        x = X * zInv2;
        y = Y * zInv2 * zInv;
    }

    /// <summary>Whether an affine (x, y) satisfies y² = x³ + b.</summary>
    public static bool IsOnCurve(in T x, in T y, in T b) => y.Square() == x.Square() * x + b;
}
