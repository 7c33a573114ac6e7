using System.Buffers.Binary;
using BeamSync.Core;
using BeamSync.Core.Types;
using BeamSync.Db;

namespace BeamSync.Chain.Store;

/// <summary>
/// Blocks over a <see cref="IKeyValueStore"/>: headers and bodies by hash, receipts by block hash, total difficulty,
/// the number-to-hash index of the canonical chain and the head pointer. Reads go straight to the store; every
/// write goes into a caller's <see cref="IWriteBatch"/>, so one block's block, receipts, state nodes and head land
/// atomically. Safe for concurrent readers; writers (one importer) serialize themselves.
/// </summary>
public sealed class BlockStore(IKeyValueStore store)
{
    private static readonly byte[] HeadKey = "head"u8.ToArray();
    private static readonly byte[] TotalDifficultyPrefix = "td"u8.ToArray();

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
        var value = store.Get(Column.Metadata, TotalDifficultyKey(hash));
        return value is null ? null : new UInt256(value);
    }

    public Hash256? GetCanonicalHash(ulong number)
    {
        Span<byte> key = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(key, number);
        var value = store.Get(Column.CanonicalIndex, key);
        return value is null ? null : new Hash256(value);
    }

    public Hash256? HeadHash
    {
        get
        {
            var value = store.Get(Column.Metadata, HeadKey);
            return value is null ? null : new Hash256(value);
        }
    }

    public BlockHeader? Head => HeadHash is { } hash ? GetHeader(hash) : null;

    /// <summary>Adds the block, its receipts and its total difficulty to the batch (not the canonical index or the head).</summary>
    public static void WriteBlock(IWriteBatch batch, Block block, IReadOnlyList<Receipt> receipts, UInt256 totalDifficulty)
    {
        var hash = block.Hash;
        batch.Put(Column.Headers, hash.Bytes, block.Header.Encode());
        batch.Put(Column.Bodies, hash.Bytes, block.Body.Encode());
        var encoded = new byte[receipts.Count][];
        for (int i = 0; i < encoded.Length; i++) encoded[i] = Rlp.EncodeBytes(receipts[i].EncodeCanonical());
        batch.Put(Column.Receipts, hash.Bytes, Rlp.EncodeList(encoded));
        batch.Put(Column.Metadata, TotalDifficultyKey(hash), totalDifficulty.ToBigEndianTrimmed());
    }

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

    private static byte[] TotalDifficultyKey(Hash256 hash)
    {
        var key = new byte[TotalDifficultyPrefix.Length + Hash256.Size];
        TotalDifficultyPrefix.CopyTo(key, 0);
        hash.Bytes.CopyTo(key.AsSpan(TotalDifficultyPrefix.Length));
        return key;
    }
}
