using BeamSync.Chain.Processing;
using BeamSync.Core;
using BeamSync.Db;

namespace BeamSync.Chain.Execution;

/// <summary>
/// The key-value view one block's state executes against: reads fall through to the committed store, writes of trie
/// nodes and code (what <see cref="BeamSync.State.TrieStateStore"/> commits) stay in memory until
/// <see cref="FlushTo"/> hands them to the block's sink. So intermediate roots can be committed and read back within a
/// block, and a rejected block leaves nothing in the store. Without a committed store (a genesis built from scratch)
/// every read of a committed key misses. Not thread-safe: one block on one thread.
/// </summary>
internal sealed class PendingStateWrites(IKeyValueStore? committed) : IKeyValueStore
{
    private readonly Dictionary<byte[], byte[]> _nodes = new(ByteArrayComparer.Instance);
    private readonly Dictionary<byte[], byte[]> _code = new(ByteArrayComparer.Instance);

    private Dictionary<byte[], byte[]>? Pending(Column column) => column switch
    {
        Column.TrieNodes => _nodes,
        Column.Code => _code,
        _ => null,
    };

    public byte[]? Get(Column column, ReadOnlySpan<byte> key) =>
        Pending(column) is { } pending && pending.GetAlternateLookup<ReadOnlySpan<byte>>().TryGetValue(key, out var value)
            ? value
            : committed?.Get(column, key);

    public int Get(Column column, ReadOnlySpan<byte> key, Span<byte> destination)
    {
        var value = Get(column, key);
        if (value is null) return -1;
        if (value.Length <= destination.Length) value.CopyTo(destination);
        return value.Length;
    }

    public bool Has(Column column, ReadOnlySpan<byte> key) =>
        (Pending(column)?.GetAlternateLookup<ReadOnlySpan<byte>>().ContainsKey(key) ?? false) || (committed?.Has(column, key) ?? false);

    public void Put(Column column, ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
    {
        var pending = Pending(column) ?? throw new InvalidOperationException($"block execution does not write {column}");
        pending[key.ToArray()] = value.ToArray();
    }

    public void Delete(Column column, ReadOnlySpan<byte> key) =>
        throw new InvalidOperationException("block execution never deletes from the store (nodes are only added)");

    public IEnumerable<KeyValuePair<byte[], byte[]>> Iterate(Column column, byte[] prefix) =>
        throw new NotSupportedException("block execution does not iterate the store");

    public IWriteBatch StartBatch() => throw new NotSupportedException("block execution writes through its sink");

    /// <summary>
    /// Hands every pending node and code to <paramref name="sink"/> in ascending key order and forgets them. The order
    /// matters to RocksDB: its memtable inserts a batch's keys one after another into a skip list, and keys in order
    /// reuse the previous insert's position instead of searching from the top (random hashes made that search a fifth
    /// of a block's import).
    /// </summary>
    public void FlushTo(IStateSink sink)
    {
        foreach (var (key, value) in InKeyOrder(_nodes)) sink.PutNode(new Hash256(key), value);
        foreach (var (key, value) in InKeyOrder(_code)) sink.PutCode(new Hash256(key), value);
        _nodes.Clear();
        _code.Clear();
    }

    private static KeyValuePair<byte[], byte[]>[] InKeyOrder(Dictionary<byte[], byte[]> entries)
    {
        var sorted = entries.ToArray();
        Array.Sort(sorted, static (a, b) => a.Key.AsSpan().SequenceCompareTo(b.Key));
        return sorted;
    }

    /// <summary>The committed store is not ours to dispose.</summary>
    public void Dispose() { }
}
