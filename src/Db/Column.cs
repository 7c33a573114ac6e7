namespace BeamSync.Db;

/// <summary>
/// The separate key spaces of the store. Each is a RocksDB column family, so each can be tuned, iterated and
/// compacted on its own (trie nodes are random 32-byte keys; headers and the canonical index are ordered by number).
/// </summary>
public enum Column
{
    /// <summary>Trie nodes keyed by the Keccak-256 of their RLP (account and storage tries share it).</summary>
    TrieNodes,
    /// <summary>Contract code keyed by code hash.</summary>
    Code,
    Headers,
    Bodies,
    Receipts,
    /// <summary>Block number (big-endian) to canonical block hash.</summary>
    CanonicalIndex,
    /// <summary>Head pointers, sync progress and other singletons.</summary>
    Metadata,
    /// <summary>
    /// Hashes of trie nodes whose whole subtrie (storage tries and code below account leaves included) is known to be
    /// local; the value is empty. A mark is written only after every node below it is, so any prefix of the writes
    /// that survives a crash keeps each mark true.
    /// </summary>
    CompleteSubtries,
}

public static class Columns
{
    /// <summary>Every column, in enum order; <c>(int)column</c> indexes it.</summary>
    public static readonly Column[] All = Enum.GetValues<Column>();

    /// <summary>The RocksDB column family name of a column (stable on disk: never rename).</summary>
    public static string FamilyName(Column column) => column switch
    {
        Column.TrieNodes => "trie-nodes",
        Column.Code => "code",
        Column.Headers => "headers",
        Column.Bodies => "bodies",
        Column.Receipts => "receipts",
        Column.CanonicalIndex => "canonical-index",
        Column.Metadata => "metadata",
        Column.CompleteSubtries => "complete-subtries",
        _ => throw new ArgumentOutOfRangeException(nameof(column)),
    };
}
