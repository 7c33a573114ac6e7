using BeamSync.Core;
using BeamSync.Network.Rlpx;

namespace BeamSync.Network.Eth;

/// <summary>GetBlockHeaders query: origin by number or hash, at most <see cref="Limit"/> headers, <see cref="Skip"/> apart.</summary>
public sealed record HeadersQuery(ulong? StartNumber, Hash256? StartHash, ulong Limit, ulong Skip, bool Reverse)
{
    public static HeadersQuery ByNumber(ulong number, ulong limit, ulong skip = 0, bool reverse = false) => new(number, null, limit, skip, reverse);
    public static HeadersQuery ByHash(Hash256 hash, ulong limit, ulong skip = 0, bool reverse = false) => new(null, hash, limit, skip, reverse);

    public byte[] Encode() => Rlp.EncodeList(StartHash is { } h ? Rlp.EncodeBytes(h.Bytes) : Rlp.Encode(StartNumber!.Value),
        Rlp.Encode(Limit), Rlp.Encode(Skip), Rlp.Encode(Reverse ? 1UL : 0UL));

    public static HeadersQuery Read(ref RlpReader reader)
    {
        var list = reader.ReadList();
        // The origin is a hash when it is a 32-byte string, else a number.
        var originItem = list.ReadEncodedItem();
        var origin = new RlpReader(originItem);
        ulong? number = null; Hash256? hash = null;
        if (originItem.Length == 33) hash = origin.ReadHash(); else number = origin.ReadUInt64();
        ulong limit = list.ReadUInt64(), skip = list.ReadUInt64();
        ulong reverse = list.ReadUInt64();
        if (reverse > 1) RlpxException.BreachOfProtocol("GetBlockHeaders reverse must be 0 or 1");
        return new HeadersQuery(number, hash, limit, skip, reverse == 1);
    }
}

/// <summary>A NewBlockHashes entry.</summary>
public readonly record struct BlockAnnouncement(Hash256 Hash, ulong Number);

/// <summary>eth/68 NewPooledTransactionHashes: [types, [sizes], [hashes]], all three the same length.</summary>
public sealed record PooledTransactionAnnouncement(byte[] Types, IReadOnlyList<uint> Sizes, IReadOnlyList<Hash256> Hashes)
{
    public byte[] Encode()
    {
        var sizes = new byte[Sizes.Count][];
        for (int i = 0; i < sizes.Length; i++) sizes[i] = Rlp.Encode(Sizes[i]);
        return Rlp.EncodeList(Rlp.EncodeBytes(Types), Rlp.EncodeList(sizes), WireLists.EncodeHashes(Hashes));
    }

    public static PooledTransactionAnnouncement Decode(ReadOnlySpan<byte> payload)
    {
        var list = new RlpReader(payload).ReadList();
        var types = list.ReadBytes().ToArray();
        var sizesReader = list.ReadList();
        var sizes = new List<uint>();
        while (sizesReader.HasMore)
        {
            if (sizes.Count == WireLists.MaxItems) RlpxException.BreachOfProtocol("too many list items");
            sizes.Add((uint)Math.Min(sizesReader.ReadUInt64(), uint.MaxValue));
        }
        var hashes = WireLists.ReadHashes(ref list);
        if (types.Length != sizes.Count || sizes.Count != hashes.Count)
            RlpxException.BreachOfProtocol("NewPooledTransactionHashes: types, sizes and hashes differ in length");
        return new PooledTransactionAnnouncement(types, sizes, hashes);
    }
}

/// <summary>Encoding of the announcement messages (no request id).</summary>
public static class EthAnnouncements
{
    public static byte[] EncodeNewBlockHashes(IReadOnlyList<BlockAnnouncement> blocks)
    {
        var items = new byte[blocks.Count][];
        for (int i = 0; i < items.Length; i++) items[i] = Rlp.EncodeList(Rlp.EncodeBytes(blocks[i].Hash.Bytes), Rlp.Encode(blocks[i].Number));
        return Rlp.EncodeList(items);
    }

    public static List<BlockAnnouncement> DecodeNewBlockHashes(ReadOnlySpan<byte> payload)
    {
        var list = new RlpReader(payload).ReadList();
        var result = new List<BlockAnnouncement>();
        while (list.HasMore)
        {
            if (result.Count == WireLists.MaxItems) RlpxException.BreachOfProtocol("too many list items");
            var entry = list.ReadList();
            result.Add(new BlockAnnouncement(entry.ReadHash(), entry.ReadUInt64()));
        }
        return result;
    }

    /// <summary>NewBlock: [block, td] where block = [header, transactions, ommers, withdrawals?] is passed encoded.</summary>
    public static byte[] EncodeNewBlock(byte[] encodedBlock, UInt256 totalDifficulty) => Rlp.EncodeList(encodedBlock, Rlp.Encode(totalDifficulty));

    public static (byte[] Block, UInt256 TotalDifficulty) DecodeNewBlock(ReadOnlySpan<byte> payload)
    {
        var list = new RlpReader(payload).ReadList();
        var block = list.ReadEncodedItem().ToArray();
        if (block.Length == 0 || block[0] < 0xc0) RlpxException.BreachOfProtocol("NewBlock: block must be a list");
        return (block, list.ReadUInt256());
    }

    /// <summary>eth/69 BlockRangeUpdate: [earliest, latest, latestHash].</summary>
    public static byte[] EncodeBlockRange(ulong earliest, ulong latest, Hash256 latestHash) =>
        Rlp.EncodeList(Rlp.Encode(earliest), Rlp.Encode(latest), Rlp.EncodeBytes(latestHash.Bytes));

    public static (ulong Earliest, ulong Latest, Hash256 LatestHash) DecodeBlockRange(ReadOnlySpan<byte> payload)
    {
        var list = new RlpReader(payload).ReadList();
        ulong earliest = list.ReadUInt64(), latest = list.ReadUInt64();
        if (earliest > latest) RlpxException.Throw(DisconnectReason.SubprotocolSpecific, "BlockRangeUpdate: earliest after latest");
        return (earliest, latest, list.ReadHash());
    }
}
