using BeamSync.Core;
using BeamSync.Db;

namespace BeamSync.Trie;

/// <summary>
/// A store whose trie nodes and code (<see cref="Column.TrieNodes"/>, <see cref="Column.Code"/>, keyed by their
/// 32-byte hash) are read through a <see cref="NodeCache"/> shared by everything that reads the store: block
/// execution (every block opens fresh tries over it), JSON-RPC and serving peers. Reads fill the cache, and so do
/// writes once they are in the store (a single put, or a batch after its commit): a block's new nodes are what the
/// next block reads first. Deletes forget the key before and after reaching the store. Only entries that are in the
/// store are cached, so <see cref="Has"/> may answer from the cache. Other columns pass straight through. A bulk write (a batch
/// larger than half the cache) caches only its first half-cache of puts rather than holding every value twice.
/// Nodes and code share the budget: code gets an eighth of it, so a burst of large contracts cannot evict the
/// upper trie levels every block walks. Thread-safe as the store is.
/// </summary>
public sealed class CachingNodeStore : IKeyValueStore
{
    private readonly IKeyValueStore _inner;

    public CachingNodeStore(IKeyValueStore inner, long capacityBytes)
    {
        _inner = inner;
        Nodes = new NodeCache(capacityBytes - capacityBytes / 8);
        Code = new NodeCache(capacityBytes / 8);
    }

    public IKeyValueStore Inner => _inner;
    public NodeCache Nodes { get; }
    public NodeCache Code { get; }

    private NodeCache? CacheOf(Column column, ReadOnlySpan<byte> key) =>
        key.Length != Hash256.Size ? null : column switch
        {
            Column.TrieNodes => Nodes,
            Column.Code => Code,
            _ => null,
        };

    public byte[]? Get(Column column, ReadOnlySpan<byte> key)
    {
        if (CacheOf(column, key) is not { } cache) return _inner.Get(column, key);
        var hash = new Hash256(key);
        if (cache.Get(hash) is { } cached) return cached;
        var value = _inner.Get(column, key);
        if (value is not null) cache.Set(hash, value);
        return value;
    }

    public int Get(Column column, ReadOnlySpan<byte> key, Span<byte> destination)
    {
        if (CacheOf(column, key) is null) return _inner.Get(column, key, destination);
        var value = Get(column, key);
        if (value is null) return -1;
        if (value.Length <= destination.Length) value.CopyTo(destination);
        return value.Length;
    }

    public bool Has(Column column, ReadOnlySpan<byte> key) =>
        CacheOf(column, key) is { } cache && cache.Get(new Hash256(key)) is not null || _inner.Has(column, key);

    public void Put(Column column, ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
    {
        _inner.Put(column, key, value);
        CacheOf(column, key)?.Set(new Hash256(key), value.ToArray());
    }

    public void Delete(Column column, ReadOnlySpan<byte> key)
    {
        var cache = CacheOf(column, key);
        cache?.Remove(new Hash256(key));
        _inner.Delete(column, key);
        // A read that missed the cache before the delete may have put the old bytes back meanwhile.
        cache?.Remove(new Hash256(key));
    }

    public IEnumerable<KeyValuePair<byte[], byte[]>> Iterate(Column column, byte[] prefix) => _inner.Iterate(column, prefix);

    public IWriteBatch StartBatch() => new CachingBatch(this, _inner.StartBatch());

    public void Dispose() => _inner.Dispose();

    /// <summary>Collects the batch's node and code puts and caches them once the batch is in the store.</summary>
    private sealed class CachingBatch(CachingNodeStore owner, IWriteBatch inner) : IWriteBatch
    {
        /// <summary>Node and code writes in order; a null value is a delete.</summary>
        private readonly List<(NodeCache Cache, Hash256 Hash, byte[]? Value)> _writes = new();

        /// <summary>Bytes of puts collected; past half the cache (a bulk load) further puts are not kept, only deletes.</summary>
        private long _putBytes;

        public int Count => inner.Count;

        public void Put(Column column, ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
        {
            inner.Put(column, key, value);
            if (owner.CacheOf(column, key) is not { } cache || _putBytes > cache.CapacityBytes / 2) return;
            _putBytes += value.Length + NodeCache.EntryOverheadBytes;
            _writes.Add((cache, new Hash256(key), value.ToArray()));
        }

        public void Delete(Column column, ReadOnlySpan<byte> key)
        {
            inner.Delete(column, key);
            if (owner.CacheOf(column, key) is { } cache) _writes.Add((cache, new Hash256(key), null));
        }

        public void Commit()
        {
            ForgetDeleted();
            inner.Commit();
            // A read racing the commit may have cached a deleted key's old bytes: forget them again.
            ForgetDeleted();
            foreach (var (cache, hash, value) in _writes)
            {
                if (value is null) cache.Remove(hash);
                else cache.Set(hash, value);
            }
            _writes.Clear();
            _putBytes = 0;
        }

        private void ForgetDeleted()
        {
            foreach (var (cache, hash, value) in _writes)
                if (value is null) cache.Remove(hash);
        }

        public void Dispose() => inner.Dispose();
    }
}
