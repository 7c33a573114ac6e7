using BeamSync.Core;
using BeamSync.Network.Rlpx;

namespace BeamSync.Network.Eth;

/// <summary>
/// RLP helpers shared by the eth, snap and wit codecs: lists of hashes and lists of raw encoded items, with an
/// item cap so a hostile list cannot make us allocate without bound. Decoding errors are RlpException.
/// </summary>
public static class WireLists
{
    /// <summary>Upper bound on list items decoded from one message (a 16 MiB message of 32-byte hashes holds ~500k).</summary>
    public const int MaxItems = 1 << 19;

    public static byte[] EncodeHashes(IReadOnlyList<Hash256> hashes)
    {
        var items = new byte[hashes.Count][];
        for (int i = 0; i < items.Length; i++) items[i] = Rlp.EncodeBytes(hashes[i].Bytes);
        return Rlp.EncodeList(items);
    }

    public static List<Hash256> ReadHashes(ref RlpReader reader)
    {
        var list = reader.ReadList();
        var result = new List<Hash256>(Math.Min(list.Remaining / 33, 4096));
        while (list.HasMore)
        {
            if (result.Count == MaxItems) RlpxException.BreachOfProtocol("too many list items");
            result.Add(list.ReadHash());
        }
        return result;
    }

    /// <summary>A list whose items are already encoded (headers, bodies, transactions).</summary>
    public static byte[] EncodeItems(IReadOnlyList<byte[]> encodedItems) => Rlp.EncodeList(encodedItems);

    /// <summary>Reads a list of encoded items, each returned whole (header and payload).</summary>
    public static List<byte[]> ReadItems(ref RlpReader reader)
    {
        var list = reader.ReadList();
        var result = new List<byte[]>();
        while (list.HasMore)
        {
            if (result.Count == MaxItems) RlpxException.BreachOfProtocol("too many list items");
            result.Add(list.ReadEncodedItem().ToArray());
        }
        return result;
    }

    /// <summary>A list of byte strings (NodeData values, byte codes): each item's payload.</summary>
    public static List<byte[]> ReadByteStrings(ref RlpReader reader)
    {
        var list = reader.ReadList();
        var result = new List<byte[]>();
        while (list.HasMore)
        {
            if (result.Count == MaxItems) RlpxException.BreachOfProtocol("too many list items");
            result.Add(list.ReadBytes().ToArray());
        }
        return result;
    }

    public static byte[] EncodeByteStrings(IReadOnlyList<byte[]> values)
    {
        var items = new byte[values.Count][];
        for (int i = 0; i < items.Length; i++) items[i] = Rlp.EncodeBytes(values[i]);
        return Rlp.EncodeList(items);
    }

    /// <summary>[request-id, body] — the eth/66+ request and response envelope.</summary>
    public static byte[] WithRequestId(ulong requestId, byte[] encodedBody) => Rlp.EncodeList(Rlp.Encode(requestId), encodedBody);
}
