using BeamSync.Core;
using BeamSync.Core.Specs;
using BeamSync.Evm.Precompiles.Bn254;

namespace BeamSync.Evm.Precompiles;

/// <summary>
/// 0x06 alt_bn128 point addition (EIP-196): two G1 points (64 bytes each, right-padded) to their sum. Fails on a
/// coordinate not below p or a point off the curve. 500 gas, 150 from Istanbul (EIP-1108). Stateless; thread-safe.
/// </summary>
public sealed class Bn254AddPrecompile : IPrecompile
{
    public static readonly Bn254AddPrecompile Instance = new();
    private Bn254AddPrecompile() { }

    public Address Address => PrecompileAddress.Bn254Add;

    public long GasCost(ReadOnlySpan<byte> input, Fork fork) => fork >= Fork.Istanbul ? 150 : 500;

    public bool TryRun(ReadOnlySpan<byte> input, Fork fork, out byte[] output)
    {
        output = [];
        Span<byte> padded = stackalloc byte[128];
        PaddedInput.Copy(input, 0, padded);
        if (!Bn254Curve.TryReadG1(padded[..64], out JacobianPoint<Fp> a) ||
            !Bn254Curve.TryReadG1(padded[64..], out JacobianPoint<Fp> b)) return false;
        output = new byte[64];
        Bn254Curve.WriteG1(a.Add(b), output);
        return true;
    }
}
