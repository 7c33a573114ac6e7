using BeamSync.Core;
using BeamSync.Core.Specs;
using Org.BouncyCastle.Crypto.Digests;

namespace BeamSync.Evm.Precompiles;

/// <summary>
/// 0x03 RIPEMD-160 of the input, left-padded to 32 bytes; 600 + 120 per word. .NET has no RIPEMD-160 on Linux,
/// so BouncyCastle's digest is used (one short-lived instance per call). Stateless; thread-safe.
/// </summary>
public sealed class Ripemd160Precompile : IPrecompile
{
    public static readonly Ripemd160Precompile Instance = new();
    private Ripemd160Precompile() { }

    public Address Address => PrecompileAddress.Ripemd160;

    public long GasCost(ReadOnlySpan<byte> input, Fork fork) => PrecompileGas.PerWord(input.Length, 600, 120);

    public bool TryRun(ReadOnlySpan<byte> input, Fork fork, out byte[] output)
    {
        var digest = new RipeMD160Digest();
        digest.BlockUpdate(input);
        output = new byte[32];
        digest.DoFinal(output.AsSpan(12));
        return true;
    }
}
