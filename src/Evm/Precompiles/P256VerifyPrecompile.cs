using BeamSync.Core;
using BeamSync.Core.Specs;
using BeamSync.Evm.Precompiles.P256;

namespace BeamSync.Evm.Precompiles;

/// <summary>
/// 0x100 P256VERIFY (EIP-7951, Osaka), 6900 gas: input hash ‖ r ‖ s ‖ qx ‖ qy (160 bytes) to a 32-byte 1 when the
/// secp256r1 signature is valid. Any invalid input (wrong length, out-of-range values, bad key, wrong signature) gives
/// empty output, but the call itself succeeds and is charged only the fixed price. Stateless; thread-safe.
/// </summary>
public sealed class P256VerifyPrecompile : IPrecompile
{
    public static readonly P256VerifyPrecompile Instance = new();
    private P256VerifyPrecompile() { }

    public const long Gas = 6900;
    private const int InputSize = 160;

    public Address Address => PrecompileAddress.Of(0x100);

    public long GasCost(ReadOnlySpan<byte> input, Fork fork) => Gas;

    public bool TryRun(ReadOnlySpan<byte> input, Fork fork, out byte[] output)
    {
        output = [];
        if (input.Length != InputSize) return true;
        if (P256Verifier.Verify(input[..32], input[32..64], input[64..96], input[96..128], input[128..160]))
        {
            output = new byte[32];
            output[31] = 1;
        }
        return true;
    }
}
