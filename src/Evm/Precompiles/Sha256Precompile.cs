using System.Security.Cryptography;
using BeamSync.Core;
using BeamSync.Core.Specs;

namespace BeamSync.Evm.Precompiles;

/// <summary>0x02 SHA-256 of the input; 60 + 12 per word. Stateless; thread-safe.</summary>
public sealed class Sha256Precompile : IPrecompile
{
    public static readonly Sha256Precompile Instance = new();
    private Sha256Precompile() { }

    public Address Address => PrecompileAddress.Sha256;

    public long GasCost(ReadOnlySpan<byte> input, Fork fork) => PrecompileGas.PerWord(input.Length, 60, 12);

    public bool TryRun(ReadOnlySpan<byte> input, Fork fork, out byte[] output)
    {
        output = SHA256.HashData(input);
        return true;
    }
}
