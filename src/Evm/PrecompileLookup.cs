using BeamSync.Core;
using BeamSync.Core.Specs;
using BeamSync.Evm.Precompiles;

namespace BeamSync.Evm;

/// <summary>
/// The interpreter's one door to the precompiles. Until the precompile set lands this returns no implementation,
/// and a call to a precompile address succeeds with empty output (wrong for real inputs; tracked in the report).
/// </summary>
internal static class PrecompileLookup
{
    public static IPrecompile? Get(Address address, Fork fork) => null;
}
