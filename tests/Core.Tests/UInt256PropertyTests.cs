using BeamSync.Core;
using CsCheck;

namespace BeamSync.Core.Tests;

/// <summary>
/// Algebraic laws of UInt256 checked with CsCheck, which shrinks a failing case to a minimal one. Limbs are
/// drawn from a mix of 0, all ones, the sign bit and arbitrary values so carries and zero limbs are common.
/// </summary>
public class UInt256PropertyTests
{
    private static readonly Gen<ulong> Limb = Gen.Frequency(
        (2, Gen.Const(0UL)), (2, Gen.Const(ulong.MaxValue)), (1, Gen.Const(1UL << 63)), (1, Gen.ULong[0, 16]), (4, Gen.ULong));

    private static readonly Gen<UInt256> Value =
        Gen.Select(Limb, Limb, Limb, Limb, (u0, u1, u2, u3) => new UInt256(u0, u1, u2, u3));

    [Fact]
    public void DivisionRecombines() =>
        Gen.Select(Value, Value).Sample((a, b) =>
        {
            UInt256.DivideRemainder(a, b, out var q, out var r);
            if (b.IsZero) return q.IsZero && r.IsZero;
            bool overflow = UInt256.MultiplyOverflow(q, b, out var product);
            bool carry = UInt256.AddOverflow(product, r, out var recombined);
            return !overflow && !carry && recombined == a && r < b;
        }, iter: 20_000);

    [Fact]
    public void SubtractionUndoesAddition() =>
        Gen.Select(Value, Value).Sample((a, b) => a + b - b == a && a - b + b == a, iter: 20_000);

    [Fact]
    public void MultiplicationDistributesOverAddition() =>
        Gen.Select(Value, Value, Value).Sample((a, b, c) => a * (b + c) == a * b + a * c, iter: 20_000);

    [Fact]
    public void ShiftsComposeWithMultiplicationByPowersOfTwo() =>
        Gen.Select(Value, Gen.Int[0, 255]).Sample((a, s) =>
        {
            UInt256 power = UInt256.One << s;
            UInt256.Exp(new UInt256(2), new UInt256((ulong)s), out var viaExp);
            return (a << s) == a * power && (a >> s) == a / power && viaExp == power;
        }, iter: 20_000);

    [Fact]
    public void MulModAgreesWithReducedOperands() =>
        Gen.Select(Value, Value, Value).Sample((a, b, m) =>
        {
            UInt256.MultiplyMod(a, b, m, out var direct);
            UInt256.MultiplyMod(a % m, b % m, m, out var reduced);
            UInt256.AddMod(a, b, m, out var sum);
            UInt256.AddMod(a % m, b % m, m, out var reducedSum);
            return direct == reduced && sum == reducedSum;
        }, iter: 20_000);
}
