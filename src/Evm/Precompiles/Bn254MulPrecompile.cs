using BeamSync.Core;
using BeamSync.Core.Specs;
using BeamSync.Evm.Precompiles.Bn254;

namespace BeamSync.Evm.Precompiles;

/// <summary>
/// 0x07 alt_bn128 scalar multiplication (EIP-196): a G1 point (64 bytes) times a 256-bit scalar (32 bytes),
/// input right-padded. Fails on an invalid point. 40000 gas, 6000 from Istanbul (EIP-1108). Stateless; thread-safe.
/// </summary>
public sealed class Bn254MulPrecompile : IPrecompile
{
    public static readonly Bn254MulPrecompile Instance = new();
    private Bn254MulPrecompile() { }

    public Address Address => PrecompileAddress.Bn254Mul;

    public long GasCost(ReadOnlySpan<byte> input, Fork fork) => fork >= Fork.Istanbul ? 6000 : 40000;

    public bool TryRun(ReadOnlySpan<byte> input, Fork fork, out byte[] output)
    {
        output = [];
        Span<byte> padded = stackalloc byte[96];
        PaddedInput.Copy(input, 0, padded);
        if (!Bn254Curve.TryReadG1(padded[..64], out JacobianPoint<Fp> point)) return false;
        output = new byte[64];
        if (point.IsInfinity) return true;
        // The full 256-bit scalar is used as given: G1 has prime order r, so reducing it first would give the same point.
        Bn254Curve.WriteG1(JacobianPoint<Fp>.Multiply(point.X, point.Y, padded[64..]), output);
        return true;
    }
}
