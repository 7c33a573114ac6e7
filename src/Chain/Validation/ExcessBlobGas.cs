using BeamSync.Chain.Specs;
using BeamSync.Core.Specs;
using BeamSync.Core.Types;

namespace BeamSync.Chain.Validation;

/// <summary>EIP-4844 excess blob gas and blob base fee. Stateless; thread-safe.</summary>
public static class ExcessBlobGas
{
    /// <summary>The excess blob gas a child of <paramref name="parent"/> must carry (a pre-Cancun parent counts as zero).</summary>
    public static ulong Calculate(BlockHeader parent, BlobParameters parameters)
    {
        ulong total = (parent.ExcessBlobGas ?? 0) + (parent.BlobGasUsed ?? 0);
        return total < parameters.TargetBlobGas() ? 0 : total - parameters.TargetBlobGas();
    }
}
