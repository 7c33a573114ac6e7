using System.Buffers.Binary;
using BeamSync.Chain.Store;
using BeamSync.Core;
using BeamSync.Db;

namespace BeamSync.Network.Serving;

/// <summary>
/// Serves eth from the chain layer's <see cref="BlockStore"/>: headers and bodies go out as the bytes stored (no
/// decode and re-encode), receipts as their stored consensus encodings. Thread-safe as the key-value store is.
/// </summary>
public sealed class BlockStoreChainSource(BlockStore blocks) : IChainStore
{
    public byte[]? GetHeader(Hash256 hash) => blocks.Store.Get(Column.Headers, hash.Bytes);

    public byte[]? GetCanonicalHeader(ulong number)
    {
        Span<byte> key = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(key, number);
        var hash = blocks.Store.Get(Column.CanonicalIndex, key);
        return hash is null ? null : blocks.Store.Get(Column.Headers, hash);
    }

    public byte[]? GetBody(Hash256 hash) => blocks.Store.Get(Column.Bodies, hash.Bytes);

    public IReadOnlyList<byte[]>? GetReceipts(Hash256 hash)
    {
        var stored = blocks.Store.Get(Column.Receipts, hash.Bytes);
        if (stored is null) return null;
        var list = new RlpReader(stored).ReadList();
        var receipts = new List<byte[]>();
        while (list.HasMore) receipts.Add(list.ReadBytes().ToArray());
        return receipts;
    }
}
