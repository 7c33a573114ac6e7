namespace BeamSync.Core.Tests.Types;

/// <summary>Reads chain.rlp-style files: concatenated RLP items, one per block.</summary>
internal static class ChainFile
{
    public static List<byte[]> ReadItems(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var items = new List<byte[]>();
        var reader = new RlpReader(bytes);
        while (reader.HasMore) items.Add(reader.ReadEncodedItem().ToArray());
        return items;
    }
}
