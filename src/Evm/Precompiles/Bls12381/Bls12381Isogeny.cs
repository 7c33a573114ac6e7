namespace BeamSync.Evm.Precompiles.Bls12381;

internal static partial class Bls12381Isogeny
{
    /// <summary>Maps (x', y') on the SWU curve to (x, y) on the target curve; false at a pole (the image is infinity).</summary>
    public static bool TryMap<T>(in T x, in T y, T[] xNum, T[] xDen, T[] yNum, T[] yDen, out T mappedX, out T mappedY)
        where T : unmanaged, IBlsField<T>
    {
        T xd = Horner(x, xDen);
        T yd = Horner(x, yDen);
        mappedX = default;
        mappedY = default;
        if (xd.IsZero || yd.IsZero) return false;
        mappedX = Horner(x, xNum) * xd.Inverse();
        mappedY = y * Horner(x, yNum) * yd.Inverse();
        return true;
    }

    /// <summary>Σ k_i·x^i for ascending coefficients.</summary>
    private static T Horner<T>(in T x, T[] coefficients) where T : unmanaged, IBlsField<T>
    {
        T acc = coefficients[^1];
        for (int i = coefficients.Length - 2; i >= 0; i--) acc = acc * x + coefficients[i];
        return acc;
    }
}
