using BeamSync.Core;
using BeamSync.Network.Eth;
using BeamSync.Network.Rlpx;

namespace BeamSync.Network.Snap;

/// <summary>RLP bodies of the snap/1 messages after their request id. Decoding errors are RlpException.</summary>
public static class SnapCodec
{
    public static byte[] EncodeAccounts(IReadOnlyList<AccountEntry> accounts)
    {
        var items = new byte[accounts.Count][];
        for (int i = 0; i < items.Length; i++) items[i] = Rlp.EncodeList(Rlp.EncodeBytes(accounts[i].Hash.Bytes), accounts[i].Body);
        return Rlp.EncodeList(items);
    }

    public static List<AccountEntry> ReadAccounts(ref RlpReader reader)
    {
        var list = reader.ReadList();
        var result = new List<AccountEntry>();
        while (list.HasMore)
        {
            if (result.Count == WireLists.MaxItems) RlpxException.BreachOfProtocol("too many list items");
            var entry = list.ReadList();
            result.Add(new AccountEntry(entry.ReadHash(), entry.ReadEncodedItem().ToArray()));
        }
        return result;
    }

    public static byte[] EncodeSlots(IReadOnlyList<IReadOnlyList<SlotEntry>> slots)
    {
        var outer = new byte[slots.Count][];
        for (int i = 0; i < outer.Length; i++)
        {
            var inner = new byte[slots[i].Count][];
            for (int j = 0; j < inner.Length; j++) inner[j] = Rlp.EncodeList(Rlp.EncodeBytes(slots[i][j].Hash.Bytes), Rlp.EncodeBytes(slots[i][j].Value));
            outer[i] = Rlp.EncodeList(inner);
        }
        return Rlp.EncodeList(outer);
    }

    public static List<IReadOnlyList<SlotEntry>> ReadSlots(ref RlpReader reader)
    {
        var outer = reader.ReadList();
        var result = new List<IReadOnlyList<SlotEntry>>();
        int total = 0;
        while (outer.HasMore)
        {
            var inner = outer.ReadList();
            var slots = new List<SlotEntry>();
            while (inner.HasMore)
            {
                if (++total > WireLists.MaxItems) RlpxException.BreachOfProtocol("too many list items");
                var entry = inner.ReadList();
                slots.Add(new SlotEntry(entry.ReadHash(), entry.ReadBytes().ToArray()));
            }
            result.Add(slots);
        }
        return result;
    }

    public static byte[] EncodePaths(IReadOnlyList<TrieNodePathSet> paths)
    {
        var items = new byte[paths.Count][];
        for (int i = 0; i < items.Length; i++)
        {
            var set = new byte[paths[i].StoragePaths.Count + 1][];
            set[0] = Rlp.EncodeBytes(paths[i].AccountPath);
            for (int j = 0; j < paths[i].StoragePaths.Count; j++) set[j + 1] = Rlp.EncodeBytes(paths[i].StoragePaths[j]);
            items[i] = Rlp.EncodeList(set);
        }
        return Rlp.EncodeList(items);
    }

    public static List<TrieNodePathSet> ReadPaths(ref RlpReader reader)
    {
        var list = reader.ReadList();
        var result = new List<TrieNodePathSet>();
        int total = 0;
        while (list.HasMore)
        {
            var set = list.ReadList();
            var account = set.ReadBytes().ToArray();
            var storage = new List<byte[]>();
            while (set.HasMore)
            {
                if (++total > WireLists.MaxItems) RlpxException.BreachOfProtocol("too many list items");
                storage.Add(set.ReadBytes().ToArray());
            }
            if (++total > WireLists.MaxItems) RlpxException.BreachOfProtocol("too many list items");
            result.Add(new TrieNodePathSet(account, storage));
        }
        return result;
    }

    /// <summary>A hash field that may be sent short or empty (GetStorageRanges origin/limit): left-padded to 32 bytes.</summary>
    public static Hash256 ReadLooseHash(ref RlpReader reader, Hash256 whenEmpty)
    {
        var b = reader.ReadBytes();
        if (b.Length == 0) return whenEmpty;
        if (b.Length > 32) RlpxException.BreachOfProtocol("hash longer than 32 bytes");
        return Hash256.FromBytesPadLeft(b);
    }
}
