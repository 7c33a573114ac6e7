using BeamSync.Core;

namespace BeamSync.Chain.Building;

/// <summary>
/// The newest blocks this node built, by hash, until they come back to be imported (engine_newPayload of a payload
/// our own engine_getPayload gave out). A block whose hash matches one built here has the header the build computed
/// by executing it (state root, receipts root, gas, bloom), so its import can store the build's receipts and state
/// writes instead of executing it a second time. Bounded: builds that never come back (a consensus client that chose
/// another payload) are dropped oldest first. Thread-safe.
/// </summary>
public sealed class LocallyBuiltBlocks(int capacity = 8)
{
    private readonly Lock _lock = new();
    private readonly Dictionary<Hash256, BuiltBlock> _byHash = new();
    private readonly Queue<Hash256> _order = new();

    public void Remember(BuiltBlock built)
    {
        lock (_lock)
        {
            if (!_byHash.TryAdd(built.Block.Hash, built)) return;
            _order.Enqueue(built.Block.Hash);
            while (_order.Count > capacity) _byHash.Remove(_order.Dequeue());
        }
    }

    /// <summary>The build of <paramref name="blockHash"/>, removed from the set (an import uses it once).</summary>
    public bool TryTake(Hash256 blockHash, out BuiltBlock built)
    {
        lock (_lock) return _byHash.Remove(blockHash, out built!);
    }
}
