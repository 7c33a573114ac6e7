namespace BeamSync.Core.Types;

/// <summary>One EIP-2930 access-list entry: an address and the storage keys it pre-warms. Immutable by convention.</summary>
public readonly struct AccessListItem(Address address, Hash256[] storageKeys)
{
    public Address Address { get; } = address;
    public Hash256[] StorageKeys { get; } = storageKeys;
}

/// <summary>RLP of access lists: <c>[[address, [key, ...]], ...]</c>. Stateless and thread-safe.</summary>
public static class AccessListCodec
{
    public static int ContentLength(AccessListItem[] items)
    {
        int n = 0;
        foreach (var item in items) n += RlpWriter.LengthOfList(ItemContentLength(item));
        return n;
    }

    private static int ItemContentLength(in AccessListItem item) => 21 + RlpItems.LengthOfHashList(item.StorageKeys);

    public static void Write(ref RlpWriter writer, AccessListItem[] items)
    {
        writer.WriteListHeader(ContentLength(items));
        foreach (var item in items)
        {
            writer.WriteListHeader(ItemContentLength(item));
            writer.Write(item.Address);
            RlpItems.WriteHashList(ref writer, item.StorageKeys);
        }
    }

    public static AccessListItem[] Read(ref RlpReader reader)
    {
        var list = reader.ReadList();
        int count = RlpItems.Count(list);
        if (count == 0) return [];
        var items = new AccessListItem[count];
        for (int i = 0; i < items.Length; i++)
        {
            var entry = list.ReadList();
            var address = entry.ReadAddress();
            var keys = RlpItems.ReadHashList(ref entry);
            entry.EnsureEnd();
            items[i] = new AccessListItem(address, keys);
        }
        return items;
    }

    public static int StorageKeyCount(AccessListItem[] items)
    {
        int n = 0;
        foreach (var item in items) n += item.StorageKeys.Length;
        return n;
    }
}
