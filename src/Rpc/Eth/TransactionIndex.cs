using BeamSync.Core;

namespace BeamSync.Rpc;

/// <summary>Where a transaction sits: its block and its index in the block.</summary>
public readonly record struct TransactionLocation(Hash256 BlockHash, ulong BlockNumber, int Index);

/// <summary>
/// Transaction hash to block and index, over the local canonical chain. The RPC layer keeps it in memory and brings
/// it up to date at each lookup: it indexes the canonical blocks from the head down to the first one it already
/// holds (a reorganization re-indexes the replaced blocks; entries of blocks that left the canonical chain are
/// checked and dropped on lookup, and indexed blocks above a lowered head are forgotten), never below the oldest local
/// block. The first lookup indexes the whole local chain. Thread-safe (one lock).
/// </summary>
public sealed class TransactionIndex(IRpcChain chain, IRpcSyncStatus sync)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<Hash256, TransactionLocation> _byHash = new();
    private readonly Dictionary<ulong, Hash256> _indexedBlocks = new();
    private ulong _highestIndexed;

    /// <summary>The canonical location of <paramref name="txHash"/>, or null when no local canonical block holds it.</summary>
    public TransactionLocation? Find(Hash256 txHash)
    {
        lock (_lock)
        {
            CatchUp();
            if (!_byHash.TryGetValue(txHash, out var location)) return null;
            if (chain.GetCanonicalHash(location.BlockNumber) == location.BlockHash) return location;
            _byHash.Remove(txHash);
            return null;
        }
    }

    private void CatchUp()
    {
        if (chain.Head is not { } head) return;
        // The walk below stops at the first block it indexed before, trusting every indexed block under it to be on the
        // same chain. Blocks above a lowered head (a reorganization to a shorter branch) are forgotten so that holds: else
        // one of them, canonical again after a later reorganization back, would stop the walk above the blocks that left.
        for (; _highestIndexed > head.Number; _highestIndexed--) _indexedBlocks.Remove(_highestIndexed);
        ulong oldest = sync.OldestLocalBlock;
        for (ulong number = head.Number; ; number--)
        {
            var hash = chain.GetCanonicalHash(number);
            if (hash is null) break;
            if (_indexedBlocks.TryGetValue(number, out var indexed) && indexed == hash.Value) break;
            var body = chain.GetBody(hash.Value);
            if (body is null) break;
            var transactions = body.Transactions;
            for (int i = 0; i < transactions.Length; i++) _byHash[transactions[i].Hash] = new TransactionLocation(hash.Value, number, i);
            _indexedBlocks[number] = hash.Value;
            _highestIndexed = Math.Max(_highestIndexed, number);
            if (number == 0 || number <= oldest) break;
        }
    }
}
