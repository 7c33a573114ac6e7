using System.Runtime.CompilerServices;

namespace BeamSync.Evm.Precompiles.Bls12381;

/// <summary>
/// A point on y² = x³ + b over <typeparamref name="T"/> in Jacobian coordinates (x = X/Z², y = Y/Z³); Z = 0 is the
/// point at infinity. The formulas need a = 0 only, so b never enters them. Immutable; thread-safe.
/// </summary>
[SkipLocalsInit]
public readonly struct JacobianPoint<T> where T : unmanaged, IBlsField<T>
{
    public readonly T X, Y, Z;

    public JacobianPoint(in T x, in T y, in T z) { X = x; Y = y; Z = z; }

    public static JacobianPoint<T> Infinity => new(T.One, T.One, T.Zero);

    public static JacobianPoint<T> FromAffine(in T x, in T y) => new(x, y, T.One);

    public bool IsInfinity => Z.IsZero;

    public JacobianPoint<T> Negate() => new(X, Y.Negate(), Z);

    /// <summary>dbl-2009-l (a = 0).</summary>
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
        return new JacobianPoint<T>(x3, y3, z3);
    }

    /// <summary>add-2007-bl, falling back to doubling for equal inputs.</summary>
    public static JacobianPoint<T> operator +(in JacobianPoint<T> p, in JacobianPoint<T> q)
    {
        if (p.IsInfinity) return q;
        if (q.IsInfinity) return p;
        T z1z1 = p.Z.Square();
        T z2z2 = q.Z.Square();
        T u1 = p.X * z2z2;
        T u2 = q.X * z1z1;
        T s1 = p.Y * q.Z * z2z2;
        T s2 = q.Y * p.Z * z1z1;
        T h = u2 - u1;
        T r = (s2 - s1).Double();
        if (h.IsZero) return r.IsZero ? p.Double() : Infinity;
        T i = h.Double().Square();
        T j = h * i;
        T v = u1 * i;
        T x3 = r.Square() - j - v.Double();
        T y3 = r * (v - x3) - (s1 * j).Double();
        T z3 = ((p.Z + q.Z).Square() - z1z1 - z2z2) * h;
        return new JacobianPoint<T>(x3, y3, z3);
    }

    /// <summary>madd-2007-bl: adds an affine point (x, y), which must not be infinity.</summary>
    public JacobianPoint<T> AddAffine(in T x, in T y)
    {
        if (IsInfinity) return FromAffine(x, y);
        T z1z1 = Z.Square();
        T u2 = x * z1z1;
        T s2 = y * Z * z1z1;
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
        return new JacobianPoint<T>(x3, y3, z3);
    }

    public static JacobianPoint<T> operator -(in JacobianPoint<T> p, in JacobianPoint<T> q) => p + q.Negate();

    /// <summary>Affine coordinates; (0, 0) for infinity, which is also how EIP-2537 encodes it.</summary>
    public void ToAffine(out T x, out T y)
    {
        if (IsInfinity) { x = T.Zero; y = T.Zero; return; }
        T zInv = Z.Inverse();
        T zInv2 = zInv.Square();
        x = X * zInv2;
        y = Y * zInv2 * zInv;
    }

    /// <summary>Whether both points are the same group element (cross-multiplied, no inversion).</summary>
    public bool IsSamePoint(in JacobianPoint<T> other)
    {
        if (IsInfinity || other.IsInfinity) return IsInfinity && other.IsInfinity;
        T z1z1 = Z.Square();
        T z2z2 = other.Z.Square();
        return X * z2z2 == other.X * z1z1 && Y * other.Z * z2z2 == other.Y * Z * z1z1;
    }

    /// <summary>
    /// [k]P for a scalar given as little-endian limbs: double-and-add from the top bit (variable time), with mixed
    /// additions when P is affine.
    /// </summary>
    public JacobianPoint<T> Multiply(ReadOnlySpan<ulong> scalar)
    {
        bool affine = !IsInfinity && Z == T.One;
        var result = Infinity;
        for (int limb = scalar.Length - 1; limb >= 0; limb--)
        {
            ulong word = scalar[limb];
            for (int bit = 63; bit >= 0; bit--)
            {
                result = result.Double();
                if (((word >> bit) & 1) != 0) result = affine ? result.AddAffine(X, Y) : result + this;
            }
        }
        return result;
    }

    /// <summary>[k]P for a scalar given as 32 big-endian bytes, with a 4-bit fixed window.</summary>
    public JacobianPoint<T> MultiplyBigEndian(ReadOnlySpan<byte> scalar)
    {
        Span<JacobianPoint<T>> table = stackalloc JacobianPoint<T>[16];
        table[0] = Infinity;
        table[1] = this;
        for (int i = 2; i < 16; i++) table[i] = table[i - 1] + this;
        var result = Infinity;
        bool started = false;
        foreach (byte b in scalar)
        {
            for (int shift = 4; shift >= 0; shift -= 4)
            {
                if (started) result = result.Double().Double().Double().Double();
                int nibble = (b >> shift) & 0xF;
                if (nibble != 0) { result += table[nibble]; started = true; }
            }
        }
        return result;
    }
}
