using System.Buffers.Binary;

namespace BeamSync.Db;

/// <summary>
/// Key-value pairs packed into one growing buffer, to be sorted by key and written out in order (an SST file for
/// RocksDB's ingestion, a trie built left to right). A key added twice is kept once, with either value: the users
/// are content-addressed, where a key always comes with the same value. Entries added in increasing key order need
/// no sort. Not safe for concurrent use.
/// </summary>
public sealed class SortedRun(int expectedBytes = 1 << 16)
{
    /// <summary>Sized up front for what the caller expects, so a full run never held twice its bytes while doubling.</summary>
    private byte[] _buffer = new byte[Math.Max(1 << 6, expectedBytes)];
    private int _used;
    private Entry[] _entries = new Entry[Math.Clamp(expectedBytes / 64, 4, 1 << 20)];
    private bool _sorted = true;

    public int Count { get; private set; }

    /// <summary>Whether the keys are in strictly increasing order (after <see cref="Sort"/>, or added that way).</summary>
    public bool IsSorted => _sorted;

    /// <summary>Key and value bytes held.</summary>
    public long Bytes => _used;

    public void Add(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
    {
        int size = key.Length + value.Length;
        if (_used + size > _buffer.Length) Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _used + size));
        if (Count == _entries.Length) Array.Resize(ref _entries, _entries.Length * 2);
        key.CopyTo(_buffer.AsSpan(_used));
        value.CopyTo(_buffer.AsSpan(_used + key.Length));
        var entry = new Entry(Prefix(key), _used, key.Length, value.Length);
        if (_sorted && Count > 0 && new EntryOrder(_buffer).Compare(_entries[Count - 1], entry) >= 0) _sorted = false;
        _entries[Count++] = entry;
        _used += size;
    }

    /// <summary>Empties the run, keeping its buffers for the next use.</summary>
    public void Clear()
    {
        Count = 0;
        _used = 0;
        _sorted = true;
    }

    /// <summary>Sorts the entries by key (byte order, as RocksDB's default comparator) and drops repeated keys.</summary>
    public void Sort()
    {
        if (_sorted) return;
        if (Count >= BucketedFrom) BucketByTopBits();
        else _entries.AsSpan(0, Count).Sort(new EntryOrder(_buffer));
        int kept = 0;
        for (int i = 0; i < Count; i++)
            if (kept == 0 || !Key(kept - 1).SequenceEqual(KeyAt(_entries[i]))) _entries[kept++] = _entries[i];
        Count = kept;
        _sorted = true;
    }

    /// <summary>Runs this long are first split by their keys' top 16 bits (one counting pass), then each bucket sorted.</summary>
    private const int BucketedFrom = 1 << 16;

    private void BucketByTopBits()
    {
        var starts = new int[(1 << 16) + 1];
        for (int i = 0; i < Count; i++) starts[(_entries[i].Prefix >> 48) + 1]++;
        for (int b = 1; b < starts.Length; b++) starts[b] += starts[b - 1];
        var bucketed = new Entry[_entries.Length];
        var next = starts.AsSpan(0, 1 << 16).ToArray();
        for (int i = 0; i < Count; i++) bucketed[next[_entries[i].Prefix >> 48]++] = _entries[i];
        var order = new EntryOrder(_buffer);
        for (int b = 0; b < 1 << 16; b++)
            if (starts[b + 1] - starts[b] > 1) bucketed.AsSpan(starts[b], starts[b + 1] - starts[b]).Sort(order);
        _entries = bucketed;
    }

    public ReadOnlySpan<byte> Key(int index) => KeyAt(_entries[index]);

    public ReadOnlySpan<byte> Value(int index)
    {
        var e = _entries[index];
        return _buffer.AsSpan(e.Offset + e.KeyLength, e.ValueLength);
    }

    private ReadOnlySpan<byte> KeyAt(Entry e) => _buffer.AsSpan(e.Offset, e.KeyLength);

    /// <summary>The key's first 8 bytes as a big-endian number (zero-padded), which orders most keys without reading them again.</summary>
    private static ulong Prefix(ReadOnlySpan<byte> key)
    {
        if (key.Length >= 8) return BinaryPrimitives.ReadUInt64BigEndian(key);
        Span<byte> padded = stackalloc byte[8];
        padded.Clear();
        key.CopyTo(padded);
        return BinaryPrimitives.ReadUInt64BigEndian(padded);
    }

    private readonly record struct Entry(ulong Prefix, int Offset, int KeyLength, int ValueLength);

    /// <summary>A struct comparer, so the sort is specialized for it instead of calling through a delegate.</summary>
    private readonly struct EntryOrder(byte[] buffer) : IComparer<Entry>
    {
        public int Compare(Entry a, Entry b) =>
            a.Prefix != b.Prefix ? a.Prefix.CompareTo(b.Prefix)
                : buffer.AsSpan(a.Offset, a.KeyLength).SequenceCompareTo(buffer.AsSpan(b.Offset, b.KeyLength));
    }
}
