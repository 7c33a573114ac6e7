using BeamSync.Core;
using BeamSync.Network.Rlpx;

namespace BeamSync.Network.Eth;

/// <summary>
/// Receipts on the wire. eth/66-68 carry each receipt in its consensus form (a legacy receipt is its RLP list, a
/// typed one the byte string type || RLP). eth/69 (EIP-7642) drops the bloom and flattens the type:
/// [tx-type, post-state-or-status, cumulative-gas, logs].
/// </summary>
public static class ReceiptWire
{
    /// <summary>One block's receipts as the eth/66-68 list item.</summary>
    public static byte[] EncodeBlockLegacy(IReadOnlyList<byte[]> consensusReceipts)
    {
        var items = new byte[consensusReceipts.Count][];
        for (int i = 0; i < items.Length; i++)
        {
            var r = consensusReceipts[i];
            items[i] = r.Length > 0 && r[0] >= 0xc0 ? r : Rlp.EncodeBytes(r);
        }
        return Rlp.EncodeList(items);
    }

    /// <summary>One block's receipts as the eth/69 list item.</summary>
    public static byte[] EncodeBlock69(IReadOnlyList<byte[]> consensusReceipts)
    {
        var items = new byte[consensusReceipts.Count][];
        for (int i = 0; i < items.Length; i++) items[i] = ToEth69(consensusReceipts[i]);
        return Rlp.EncodeList(items);
    }

    /// <summary>consensus receipt (type? || [status, cumulativeGas, bloom, logs]) to [type, status, cumulativeGas, logs].</summary>
    public static byte[] ToEth69(ReadOnlySpan<byte> consensus)
    {
        ulong type = 0;
        if (consensus.Length > 0 && consensus[0] < 0x80) { type = consensus[0]; consensus = consensus[1..]; }
        var list = new RlpReader(consensus).ReadList();
        var status = list.ReadEncodedItem();
        var gas = list.ReadEncodedItem();
        list.SkipItem(); // bloom: recomputable from the logs, so eth/69 does not send it
        var logs = list.ReadEncodedItem();
        return Rlp.EncodeList(Rlp.Encode(type), status.ToArray(), gas.ToArray(), logs.ToArray());
    }

    /// <summary>Decodes a Receipts response body into per-block lists of encoded receipt items (as sent).</summary>
    public static List<List<byte[]>> DecodeBlocks(ref RlpReader reader)
    {
        var outer = reader.ReadList();
        var blocks = new List<List<byte[]>>();
        while (outer.HasMore)
        {
            if (blocks.Count == WireLists.MaxItems) RlpxException.BreachOfProtocol("too many list items");
            blocks.Add(WireLists.ReadItems(ref outer));
        }
        return blocks;
    }
}
