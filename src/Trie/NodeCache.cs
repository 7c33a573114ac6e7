using BeamSync.Core;

namespace BeamSync.Trie;

/// <summary>
/// Content-addressed bytes (trie node RLP, or code) by their Keccak hash, bounded in bytes, shared by every reader
/// of one store across blocks. A hash names its bytes forever, so an entry is never stale: the cache only has to
/// decide what to keep. Eviction is by generations rather than an exact LRU list (no per-hit list surgery, no
/// per-entry node): each shard fills a young generation; when the young one holds half the shard's budget the old
/// one is dropped whole and the young one becomes old; a hit in the old generation moves the entry back to the
/// young one. So whatever was read in the last half-budget's worth of traffic stays, and the total never exceeds the
/// budget. Thread-safe: one lock per shard, shards chosen by the hash's first bytes (uniform for Keccak).
/// </summary>
public sealed class NodeCache
{
    /// <summary>What an entry costs beyond its bytes: the 32-byte key, the array's header, the dictionary slot.</summary>
    public const int EntryOverheadBytes = 96;

    private const int ShardCount = 64;

    private readonly Shard[] _shards = new Shard[ShardCount];
    private long _hits;
    private long _misses;

    /// <param name="capacityBytes">The budget for bytes plus <see cref="EntryOverheadBytes"/> per entry; 0 caches nothing.</param>
    public NodeCache(long capacityBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(capacityBytes);
        CapacityBytes = capacityBytes;
        for (int i = 0; i < ShardCount; i++) _shards[i] = new Shard(capacityBytes / ShardCount);
    }

    public long CapacityBytes { get; }

    /// <summary>Bytes held now (entries plus their overhead); at most <see cref="CapacityBytes"/>.</summary>
    public long SizeBytes
    {
        get
        {
            long total = 0;
            foreach (var shard in _shards) total += shard.SizeBytes;
            return total;
        }
    }

    public int Count
    {
        get
        {
            int total = 0;
            foreach (var shard in _shards) total += shard.Count;
            return total;
        }
    }

    public long Hits => Interlocked.Read(ref _hits);
    public long Misses => Interlocked.Read(ref _misses);

    /// <summary>The bytes under <paramref name="hash"/>, or null when not cached. The array is shared: never write to it.</summary>
    public byte[]? Get(in Hash256 hash)
    {
        var value = ShardOf(hash).Get(hash);
        if (value is null) Interlocked.Increment(ref _misses);
        else Interlocked.Increment(ref _hits);
        return value;
    }

    /// <summary>Keeps <paramref name="value"/> under <paramref name="hash"/>; the caller hands the array over and must not change it.</summary>
    public void Set(in Hash256 hash, byte[] value) => ShardOf(hash).Set(hash, value);

    /// <summary>Forgets <paramref name="hash"/> (its bytes were deleted from the store).</summary>
    public void Remove(in Hash256 hash) => ShardOf(hash).Remove(hash);

    public void Clear()
    {
        foreach (var shard in _shards) shard.Clear();
    }

    private Shard ShardOf(in Hash256 hash) => _shards[hash.Bytes[0] & (ShardCount - 1)];

    private static long CostOf(byte[] value) => value.Length + EntryOverheadBytes;

    private sealed class Shard(long budget)
    {
        private readonly Lock _lock = new();
        private Dictionary<Hash256, byte[]> _young = new();
        private Dictionary<Hash256, byte[]> _old = new();
        private long _youngBytes;
        private long _oldBytes;

        public long SizeBytes
        {
            get { lock (_lock) return _youngBytes + _oldBytes; }
        }

        public int Count
        {
            get { lock (_lock) return _young.Count + _old.Count; }
        }

        public byte[]? Get(in Hash256 hash)
        {
            lock (_lock)
            {
                if (_young.TryGetValue(hash, out var value)) return value;
                if (!_old.Remove(hash, out value)) return null;
                _oldBytes -= CostOf(value);
                AddYoung(hash, value);
                return value;
            }
        }

        public void Set(in Hash256 hash, byte[] value)
        {
            if (CostOf(value) * 2 > budget) return;
            lock (_lock)
            {
                if (_young.ContainsKey(hash)) return;
                if (_old.Remove(hash, out var old)) _oldBytes -= CostOf(old);
                AddYoung(hash, value);
            }
        }

        public void Remove(in Hash256 hash)
        {
            lock (_lock)
            {
                if (_young.Remove(hash, out var value)) _youngBytes -= CostOf(value);
                if (_old.Remove(hash, out value)) _oldBytes -= CostOf(value);
            }
        }

        public void Clear()
        {
            lock (_lock)
            {
                _young.Clear();
                _old.Clear();
                _youngBytes = _oldBytes = 0;
            }
        }

        /// <summary>Adds under the lock; a young generation past half the budget becomes the old one first.</summary>
        private void AddYoung(in Hash256 hash, byte[] value)
        {
            long cost = CostOf(value);
            if ((_youngBytes + cost) * 2 > budget)
            {
                // The old generation's dictionary is reused as the new young one: no allocation per rotation.
                (_old, _young) = (_young, _old);
                _young.Clear();
                _oldBytes = _youngBytes;
                _youngBytes = 0;
            }
            _young[hash] = value;
            _youngBytes += cost;
        }
    }
}
