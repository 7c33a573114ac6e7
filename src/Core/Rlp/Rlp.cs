namespace BeamSync.Core;

/// <summary>
/// Allocating conveniences for cold paths (tests, messages assembled once). Hot paths size with
/// <see cref="RlpWriter"/>'s <c>LengthOf*</c> and write into a rented span instead.
/// </summary>
public static class Rlp
{
    public static readonly byte[] EmptyString = [0x80];
    public static readonly byte[] EmptyList = [0xc0];

    public static byte[] EncodeBytes(ReadOnlySpan<byte> bytes)
    {
        var buffer = new byte[RlpWriter.LengthOfBytes(bytes)];
        var w = new RlpWriter(buffer);
        w.WriteBytes(bytes);
        return buffer;
    }

    public static byte[] Encode(ulong value)
    {
        var buffer = new byte[RlpWriter.LengthOf(value)];
        var w = new RlpWriter(buffer);
        w.Write(value);
        return buffer;
    }

    public static byte[] Encode(in UInt256 value)
    {
        var buffer = new byte[RlpWriter.LengthOf(value)];
        var w = new RlpWriter(buffer);
        w.Write(value);
        return buffer;
    }

    /// <summary>Wraps already-encoded items in a list.</summary>
    public static byte[] EncodeList(params IReadOnlyList<byte[]> encodedItems)
    {
        int content = 0;
        foreach (var item in encodedItems) content += item.Length;
        var buffer = new byte[RlpWriter.LengthOfList(content)];
        var w = new RlpWriter(buffer);
        w.WriteListHeader(content);
        foreach (var item in encodedItems) w.WriteEncoded(item);
        return buffer;
    }

    /// <summary>
    /// Checks that <paramref name="encoded"/> is exactly one canonical RLP item, descending into every list; lists
    /// nested deeper than <paramref name="maxDepth"/> are rejected. Throws <see cref="RlpException"/> otherwise.
    /// The walk keeps its own stack, so hostile nesting cannot exhaust the call stack whatever the limit.
    /// </summary>
    public static void Validate(ReadOnlySpan<byte> encoded, int maxDepth = 1024)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxDepth);
        RlpReader.ValidateTree(encoded, maxDepth);
    }
}
