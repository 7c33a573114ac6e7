using BeamSync.Core;
using BeamSync.Core.Specs;

namespace BeamSync.Evm.Precompiles;

/// <summary>0x04 identity (datacopy): returns its input; 15 + 3 per word. Stateless; thread-safe.</summary>
public sealed class IdentityPrecompile : IPrecompile
{
    public static readonly IdentityPrecompile Instance = new();
    private IdentityPrecompile() { }

    public Address Address => PrecompileAddress.Identity;

    public long GasCost(ReadOnlySpan<byte> input, Fork fork) => PrecompileGas.PerWord(input.Length, 15, 3);

    public bool TryRun(ReadOnlySpan<byte> input, Fork fork, out byte[] output)
    {
        output = input.ToArray();
        return true;
    }
}
