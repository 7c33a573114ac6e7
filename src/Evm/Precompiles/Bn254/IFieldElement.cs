namespace BeamSync.Evm.Precompiles.Bn254;

/// <summary>
/// The field operations the curve code is generic over (<see cref="Fp"/> for G1, <see cref="Fp2"/> for G2).
/// Implementations are immutable value types; the JIT specialises generic code per struct, so the abstraction costs nothing.
/// </summary>
public interface IFieldElement<T> where T : struct, IFieldElement<T>
{
    static abstract T Zero { get; }
    static abstract T One { get; }
    bool IsZero { get; }
    T Square();
    T Double();
    T Negate();
    T Inverse();
    static abstract T operator +(in T a, in T b);
    static abstract T operator -(in T a, in T b);
    static abstract T operator *(in T a, in T b);
    static abstract bool operator ==(in T a, in T b);
    static abstract bool operator !=(in T a, in T b);
}
