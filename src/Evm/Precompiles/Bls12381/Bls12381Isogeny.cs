namespace BeamSync.Evm.Precompiles.Bls12381;

internal static partial class Bls12381Isogeny
{
    /// <summary>
    /// Maps (x', y') on the SWU curve to the target curve, in Jacobian coordinates so no inversion is needed: with
    /// Z = x_den·y_den, X = x_num·Z·y_den and Y = y'·y_num·Z²·x_den give x = x_num/x_den and y = y'·y_num/y_den.
    /// A pole (a zero denominator) maps to infinity.
    /// </summary>
    public static JacobianPoint<T> Map<T>(in T x, in T y, T[] xNum, T[] xDen, T[] yNum, T[] yDen)
        where T : unmanaged, IBlsField<T>
    {
        T xd = Horner(x, xDen);
        T yd = Horner(x, yDen);
        if (xd.IsZero || yd.IsZero) return JacobianPoint<T>.Infinity;
        T z = xd * yd;
        return new JacobianPoint<T>(Horner(x, xNum) * z * yd, y * Horner(x, yNum) * z.Square() * xd, z);
    }

    /// <summary>Σ k_i·x^i for ascending coefficients.</summary>
    private static T Horner<T>(in T x, T[] coefficients) where T : unmanaged, IBlsField<T>
    {
        T acc = coefficients[^1];
        for (int i = coefficients.Length - 2; i >= 0; i--) acc = acc * x + coefficients[i];
        return acc;
    }
}
