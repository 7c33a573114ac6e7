namespace BeamSync.Db;

/// <summary>
/// A key-value store split into <see cref="Column"/>s. Single reads and writes are atomic; a group of writes
/// that belongs together goes through <see cref="StartBatch"/> and becomes visible all at once or not at all,
/// also across a crash. Implementations are safe for concurrent use by many readers and writers.
/// </summary>
public interface IKeyValueStore : IDisposable
{
    /// <summary>The value under <paramref name="key"/>, or null when absent.</summary>
    byte[]? Get(Column column, ReadOnlySpan<byte> key);

    /// <summary>
    /// Copies the value into <paramref name="destination"/> and returns its length; -1 when absent. When the value
    /// is longer than the destination nothing is copied and its length is returned, so the caller can retry.
    /// </summary>
    int Get(Column column, ReadOnlySpan<byte> key, Span<byte> destination);

    bool Has(Column column, ReadOnlySpan<byte> key);

    void Put(Column column, ReadOnlySpan<byte> key, ReadOnlySpan<byte> value);

    void Delete(Column column, ReadOnlySpan<byte> key);

    /// <summary>The entries whose key starts with <paramref name="prefix"/>, in ascending byte order of key.</summary>
    IEnumerable<KeyValuePair<byte[], byte[]>> Iterate(Column column, byte[] prefix);

    /// <summary>A batch of writes applied atomically by <see cref="IWriteBatch.Commit"/>.</summary>
    IWriteBatch StartBatch();
}

/// <summary>
/// Writes collected in memory and applied atomically on <see cref="Commit"/>; disposing without committing
/// discards them. Not safe for concurrent use; one batch belongs to one writer.
/// </summary>
public interface IWriteBatch : IDisposable
{
    int Count { get; }
    void Put(Column column, ReadOnlySpan<byte> key, ReadOnlySpan<byte> value);
    void Delete(Column column, ReadOnlySpan<byte> key);
    void Commit();
}
