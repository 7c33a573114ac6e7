using BeamSync.Core;
using BeamSync.Core.Types;

namespace BeamSync.Chain.Validation;

/// <summary>What validation reads of blocks already known: headers and bodies by hash (any branch).</summary>
public interface IChainLookup
{
    BlockHeader? GetHeader(Hash256 hash);
    BlockBody? GetBody(Hash256 hash);
}
