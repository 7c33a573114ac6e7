using System.Buffers.Binary;
using BeamSync.Core;
using BeamSync.Core.Types;
using BeamSync.Db;

namespace BeamSync.Chain.Store;

/// <summary>
/// Blocks over a <see cref="IKeyValueStore"/>: headers and bodies by hash, receipts by block hash, total difficulty,
/// the number-to-hash index of the canonical chain, the head pointer and the executed marker (a header can be stored
/// long before its block is executed, or without ever being executed: a beam node's anchor run). Reads go straight to the store; every
/// write goes into a caller's <see cref="IWriteBatch"/>, so one block's block, receipts, state nodes and head land
/// atomically. Safe for concurrent readers; writers (one importer) serialize themselves.
/// </summary>
public sealed class BlockStore(IKeyValueStore store)
{
    private static readonly byte[] HeadKey = "head"u8.ToArray();
    private static readonly byte[] SafeKey = "safe"u8.ToArray();
    private static readonly byte[] FinalizedKey = "finalized"u8.ToArray();
    private static readonly byte[] TotalDifficultyPrefix = "td"u8.ToArray();
    private static readonly byte[] ExecutedPrefix = "executed"u8.ToArray();
    private static readonly byte[] ExecutedValue = [1];

    public IKeyValueStore Store => store;

    public BlockHeader? GetHeader(Hash256 hash)
    {
        var rlp = store.Get(Column.Headers, hash.Bytes);
        return rlp is null ? null : BlockHeader.Decode(rlp);
    }

    public BlockBody? GetBody(Hash256 hash)
    {
        var rlp = store.Get(Column.Bodies, hash.Bytes);
        return rlp is null ? null : BlockBody.Decode(rlp);
    }

    public Block? GetBlock(Hash256 hash) =>
        GetHeader(hash) is { } header && GetBody(hash) is { } body ? new Block(header, body) : null;

    public Receipt[]? GetReceipts(Hash256 hash)
    {
        var rlp = store.Get(Column.Receipts, hash.Bytes);
        if (rlp is null) return null;
        var reader = new RlpReader(rlp);
        var list = reader.ReadList();
        var receipts = new List<Receipt>();
        while (list.HasMore) receipts.Add(Receipt.DecodeCanonical(list.ReadBytes()));
        return receipts.ToArray();
    }

    public UInt256? GetTotalDifficulty(Hash256 hash)
    {
        var value = store.Get(Column.Metadata, MetadataKey(TotalDifficultyPrefix, hash));
        return value is null ? null : new UInt256(value);
    }

    /// <summary>
    /// True when the block's post-state (its header's state root) is available: executed locally, the genesis, or a
    /// beam node's anchor (whose state is fetched on demand). A stored header alone is not enough.
    /// </summary>
    public bool IsExecuted(Hash256 blockHash) => store.Has(Column.Metadata, MetadataKey(ExecutedPrefix, blockHash));

    public Hash256? GetCanonicalHash(ulong number)
    {
        Span<byte> key = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(key, number);
        var value = store.Get(Column.CanonicalIndex, key);
        return value is null ? null : new Hash256(value);
    }

    public Hash256? HeadHash => MetadataHash(HeadKey);

    /// <summary>The consensus layer's safe block (engine API fork choice), or null before it named one.</summary>
    public Hash256? SafeHash => MetadataHash(SafeKey);

    /// <summary>The consensus layer's finalized block (engine API fork choice), or null before it named one.</summary>
    public Hash256? FinalizedHash => MetadataHash(FinalizedKey);

    /// <summary>Adds the safe and finalized pointers to the batch; a zero hash (none yet) leaves a pointer as it is.</summary>
    public static void WriteSafeAndFinalized(IWriteBatch batch, Hash256 safe, Hash256 finalized)
    {
        if (safe != default) batch.Put(Column.Metadata, SafeKey, safe.Bytes);
        if (finalized != default) batch.Put(Column.Metadata, FinalizedKey, finalized.Bytes);
    }

    private Hash256? MetadataHash(byte[] key) => store.Get(Column.Metadata, key) is { } value ? new Hash256(value) : null;

    public BlockHeader? Head => HeadHash is { } hash ? GetHeader(hash) : null;

    /// <summary>
    /// Adds an executed block to the batch: header, body, receipts, total difficulty and the executed marker (not the
    /// canonical index or the head).
    /// </summary>
    public static void WriteBlock(IWriteBatch batch, Block block, IReadOnlyList<Receipt> receipts, UInt256 totalDifficulty)
    {
        var hash = block.Hash;
        PutHeader(batch, block.Header);
        WriteBody(batch, hash, block.Body);
        var encoded = new byte[receipts.Count][];
        for (int i = 0; i < encoded.Length; i++) encoded[i] = Rlp.EncodeBytes(receipts[i].EncodeCanonical());
        batch.Put(Column.Receipts, hash.Bytes, Rlp.EncodeList(encoded));
        PutTotalDifficulty(batch, hash, totalDifficulty);
        MarkExecuted(batch, hash);
    }

    /// <summary>Adds a block's body alone to the batch (its header is written apart).</summary>
    public static void WriteBody(IWriteBatch batch, Hash256 blockHash, BlockBody body) => batch.Put(Column.Bodies, blockHash.Bytes, body.Encode());

    /// <summary>Adds a header alone to the batch: no body, no total difficulty, not executed.</summary>
    public void WriteHeader(IWriteBatch batch, BlockHeader header) => PutHeader(batch, header);

    /// <summary>Adds the total difficulty of <paramref name="blockHash"/> (through that block) to the batch.</summary>
    public void WriteTotalDifficulty(IWriteBatch batch, Hash256 blockHash, UInt256 totalDifficulty) =>
        PutTotalDifficulty(batch, blockHash, totalDifficulty);

    /// <summary>Adds the marker that the block's post-state is available (see <see cref="IsExecuted"/>) to the batch.</summary>
    public static void MarkExecuted(IWriteBatch batch, Hash256 blockHash) =>
        batch.Put(Column.Metadata, MetadataKey(ExecutedPrefix, blockHash), ExecutedValue);

    private static void PutHeader(IWriteBatch batch, BlockHeader header) => batch.Put(Column.Headers, header.Hash.Bytes, header.Encode());

    private static void PutTotalDifficulty(IWriteBatch batch, Hash256 blockHash, UInt256 totalDifficulty) =>
        batch.Put(Column.Metadata, MetadataKey(TotalDifficultyPrefix, blockHash), totalDifficulty.ToBigEndianTrimmed());

    /// <summary>
    /// Makes <paramref name="head"/> the head: points the canonical index at it and its ancestors back to where the
    /// index already agrees (a reorganization rewrites the differing part) and drops entries above it.
    /// </summary>
    public void WriteHead(IWriteBatch batch, BlockHeader head, IReadOnlyDictionary<Hash256, BlockHeader>? pending = null)
    {
        Span<byte> key = stackalloc byte[8];
        var oldHead = Head;
        if (oldHead is not null)
            for (ulong n = head.Number + 1; n <= oldHead.Number; n++)
            {
                BinaryPrimitives.WriteUInt64BigEndian(key, n);
                batch.Delete(Column.CanonicalIndex, key);
            }
        BlockHeader? current = head;
        while (current is not null)
        {
            if (GetCanonicalHash(current.Number) == current.Hash) break;
            BinaryPrimitives.WriteUInt64BigEndian(key, current.Number);
            batch.Put(Column.CanonicalIndex, key, current.Hash.Bytes);
            if (current.Number == 0) break;
            current = pending is not null && pending.TryGetValue(current.ParentHash, out var p) ? p : GetHeader(current.ParentHash);
        }
        batch.Put(Column.Metadata, HeadKey, head.Hash.Bytes);
    }

    private static byte[] MetadataKey(byte[] prefix, Hash256 hash)
    {
        var key = new byte[prefix.Length + Hash256.Size];
        prefix.CopyTo(key, 0);
        hash.Bytes.CopyTo(key.AsSpan(prefix.Length));
        return key;
    }
}
