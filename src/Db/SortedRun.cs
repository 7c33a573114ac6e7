namespace BeamSync.Db;

/// <summary>
/// Key-value pairs packed into one growing buffer, to be sorted by key and written out in order (an SST file for
/// RocksDB's ingestion). A key added twice keeps its first value: the users are content-addressed, where a key
/// always comes with the same value. Not safe for concurrent use.
/// </summary>
public sealed class SortedRun(int expectedBytes = 1 << 16)
{
    /// <summary>Sized up front for what the caller expects, so a full run never held twice its bytes while doubling.</summary>
    private byte[] _buffer = new byte[Math.Max(1 << 10, expectedBytes)];
    private int _used;
    private (int Offset, int KeyLength, int ValueLength)[] _entries = new (int, int, int)[1 << 10];
    private bool _sorted = true;

    public int Count { get; private set; }

    /// <summary>Key and value bytes held.</summary>
    public long Bytes => _used;

    public void Add(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
    {
        int size = key.Length + value.Length;
        if (_used + size > _buffer.Length) Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _used + size));
        if (Count == _entries.Length) Array.Resize(ref _entries, _entries.Length * 2);
        key.CopyTo(_buffer.AsSpan(_used));
        value.CopyTo(_buffer.AsSpan(_used + key.Length));
        _entries[Count++] = (_used, key.Length, value.Length);
        _used += size;
        _sorted = false;
    }

    /// <summary>Sorts the entries by key (byte order, as RocksDB's default comparator) and drops repeated keys.</summary>
    public void Sort()
    {
        if (_sorted) return;
        var buffer = _buffer;
        Array.Sort(_entries, 0, Count, Comparer<(int Offset, int KeyLength, int ValueLength)>.Create((a, b) =>
            buffer.AsSpan(a.Offset, a.KeyLength).SequenceCompareTo(buffer.AsSpan(b.Offset, b.KeyLength))));
        int kept = 0;
        for (int i = 0; i < Count; i++)
            if (kept == 0 || !Key(kept - 1).SequenceEqual(KeyAt(_entries[i]))) _entries[kept++] = _entries[i];
        Count = kept;
        _sorted = true;
    }

    public ReadOnlySpan<byte> Key(int index) => KeyAt(_entries[index]);

    public ReadOnlySpan<byte> Value(int index)
    {
        var e = _entries[index];
        return _buffer.AsSpan(e.Offset + e.KeyLength, e.ValueLength);
    }

    private ReadOnlySpan<byte> KeyAt((int Offset, int KeyLength, int ValueLength) e) => _buffer.AsSpan(e.Offset, e.KeyLength);
}
