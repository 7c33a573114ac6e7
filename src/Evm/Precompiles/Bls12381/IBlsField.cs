namespace BeamSync.Evm.Precompiles.Bls12381;

/// <summary>
/// The field operations curve arithmetic needs, implemented by <see cref="Fp"/> (G1) and <see cref="Fp2"/> (G2) so
/// one generic <see cref="JacobianPoint{T}"/> serves both; the JIT specialises it per struct, so no boxing or calls.
/// </summary>
public interface IBlsField<T> where T : struct, IBlsField<T>
{
    static abstract T Zero { get; }
    static abstract T One { get; }
    bool IsZero { get; }
    static abstract T operator +(in T a, in T b);
    static abstract T operator -(in T a, in T b);
    static abstract T operator *(in T a, in T b);
    static abstract bool operator ==(in T a, in T b);
    static abstract bool operator !=(in T a, in T b);
    T Square();
    T Double();
    T Negate();
    T Inverse();
    /// <summary>A square root when one exists; false for a non-residue.</summary>
    bool TrySqrt(out T root);
    /// <summary>RFC 9380 sgn0.</summary>
    bool Sgn0 { get; }
}
