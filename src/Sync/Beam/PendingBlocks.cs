using BeamSync.Core;
using BeamSync.Core.Types;

namespace BeamSync.Sync.Beam;

/// <summary>A block known by header, waiting for its body and its turn to execute.</summary>
public sealed class PendingBlock(BlockHeader header)
{
    public BlockHeader Header { get; } = header;
    public BlockBody? Body { get; set; }
    /// <summary>When header and body were both local (the "available" of available-to-verified).</summary>
    public long AvailableTicks { get; set; }
    public bool BodyRequested { get; set; }
    /// <summary>The block's prefetch and preview, which the executor lets finish (within a bound) before executing it.</summary>
    public Task Accelerated { get; set; } = Task.CompletedTask;
    /// <summary>The bulk fetch of the block's witness, started when its header became known (null without one).</summary>
    internal WitnessFetch? Witness { get; set; }
    public Block? Block => Body is null ? null : new Block(Header, Body);
}

/// <summary>
/// Blocks between the last executed one and the head, by number, on the branch the head source chose. The header
/// follower adds to it, the executor takes from it; <see cref="WaitForChange"/> wakes the executor without polling.
/// Thread-safe.
/// </summary>
public sealed class PendingBlocks
{
    private readonly SortedDictionary<ulong, PendingBlock> _blocks = new();
    private readonly Lock _lock = new();
    private readonly SemaphoreSlim _changed = new(0, int.MaxValue);

    public void Add(BlockHeader header)
    {
        lock (_lock)
        {
            if (_blocks.TryGetValue(header.Number, out var existing) && existing.Header.Hash == header.Hash) return;
            _blocks[header.Number] = new PendingBlock(header);
        }
        Signal();
    }

    public void SetBody(Hash256 blockHash, BlockBody body)
    {
        lock (_lock)
            foreach (var block in _blocks.Values)
                if (block.Header.Hash == blockHash && block.Body is null)
                {
                    block.Body = body;
                    block.AvailableTicks = SyncMetrics.Now;
                }
        Signal();
    }

    public PendingBlock? Get(ulong number) { lock (_lock) return _blocks.GetValueOrDefault(number); }

    /// <summary>Blocks whose bodies have not been asked for yet; marks them asked.</summary>
    public List<PendingBlock> TakeBodiesToRequest()
    {
        lock (_lock)
        {
            var list = new List<PendingBlock>();
            foreach (var b in _blocks.Values)
                if (b.Body is null && !b.BodyRequested) { b.BodyRequested = true; list.Add(b); }
            return list;
        }
    }

    public void BodyRequestFailed(PendingBlock block) { lock (_lock) block.BodyRequested = false; }

    public void RemoveUpTo(ulong number)
    {
        lock (_lock)
            foreach (var n in _blocks.Keys.Where(n => n <= number).ToList()) _blocks.Remove(n);
    }

    /// <summary>
    /// Drops the blocks above <paramref name="number"/> (another branch's, after a reorganization), except those that
    /// descend from <paramref name="keepDescendantsOf"/> without a gap (payloads that came before their fork choice).
    /// </summary>
    public void DropAbove(ulong number, BlockHeader keepDescendantsOf)
    {
        lock (_lock)
        {
            var parent = keepDescendantsOf;
            foreach (var n in _blocks.Keys.Where(n => n > number).ToList())
            {
                var block = _blocks[n];
                if (n <= keepDescendantsOf.Number) { _blocks.Remove(n); continue; }
                if (n == parent.Number + 1 && block.Header.ParentHash == parent.Hash) { parent = block.Header; continue; }
                _blocks.Remove(n);
            }
        }
        Signal();
    }

    /// <summary>Drops <paramref name="header"/>'s block if it is the one waiting at its height.</summary>
    public void Remove(BlockHeader header)
    {
        lock (_lock)
            if (_blocks.TryGetValue(header.Number, out var block) && block.Header.Hash == header.Hash) _blocks.Remove(header.Number);
        Signal();
    }

    public void Clear() { lock (_lock) _blocks.Clear(); Signal(); }

    public void Signal() => _changed.Release();

    /// <summary>Waits until something changed (a header, a body, a head) or the timeout passed.</summary>
    public Task WaitForChangeAsync(TimeSpan timeout, CancellationToken ct) => _changed.WaitAsync(timeout, ct);

    public void WaitForChange(TimeSpan timeout, CancellationToken ct) => _changed.Wait(timeout, ct);
}
