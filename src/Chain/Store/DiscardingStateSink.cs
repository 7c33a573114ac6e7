using BeamSync.Chain.Processing;
using BeamSync.Core;

namespace BeamSync.Chain.Store;

/// <summary>A sink that drops what it is given: for computing a state root without storing it. Stateless; thread-safe.</summary>
public sealed class DiscardingStateSink : IStateSink
{
    public static readonly DiscardingStateSink Instance = new();
    public void PutNode(Hash256 hash, ReadOnlySpan<byte> rlp) { }
    public void PutCode(Hash256 codeHash, ReadOnlySpan<byte> code) { }
}
