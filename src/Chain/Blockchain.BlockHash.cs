using BeamSync.Core;
using BeamSync.Core.Types;

namespace BeamSync.Chain;

public sealed partial class Blockchain
{
    /// <summary>
    /// BLOCKHASH for the child of <paramref name="parent"/>: the hashes of its 256 ancestors along its own branch.
    /// Returns null only for a number outside the window (at or above the child, or more than 256 below it), which
    /// the EVM answers with zero. Inside the window the answer is always a real hash: an ancestor whose header is not
    /// stored throws <see cref="MissingAncestorException"/>. Walks lazily (most blocks never execute BLOCKHASH); a
    /// hash is its child's parent hash, so the deepest answer needs only the headers above it. Not thread-safe: one
    /// block's execution.
    /// </summary>
    private Func<ulong, Hash256?> BlockHashLookup(BlockHeader parent)
    {
        // hashes[d] is the hash of block parent.Number - d; deepest is the header of the last one loaded.
        List<Hash256> hashes = [parent.Hash];
        var deepest = parent;
        return number =>
        {
            if (number > parent.Number || parent.Number - number >= 256) return null;
            int depth = (int)(parent.Number - number);
            while (hashes.Count <= depth)
            {
                if (deepest.Hash != hashes[^1])
                    deepest = _store.GetHeader(hashes[^1])
                        ?? throw new MissingAncestorException(number, parent.Number - (ulong)(hashes.Count - 1), hashes[^1]);
                hashes.Add(deepest.ParentHash);
            }
            return hashes[depth];
        };
    }
}
