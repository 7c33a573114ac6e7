namespace BeamSync.Core.Types;

/// <summary>
/// Helpers shared by the type decoders. <see cref="Count"/> walks a list's item headers on a copy of the reader,
/// so arrays are sized from items actually present in the input (each at least one byte), never from a count an
/// attacker wrote.
/// </summary>
internal static class RlpItems
{
    public static int Count(RlpReader list)
    {
        int n = 0;
        while (list.HasMore)
        {
            list.SkipItem();
            n++;
        }
        return n;
    }

    /// <summary>A 64-bit integer that fits 256 bits on the wire; values beyond 64 bits are a typed error, not an RLP one.</summary>
    public static ulong ReadUInt64Field(ref RlpReader reader, TransactionError tooLarge, string name)
    {
        var value = reader.ReadUInt256();
        if (!value.IsUInt64) TransactionException.Throw(tooLarge, $"{name} does not fit 64 bits");
        return value.U0;
    }

    public static Hash256[] ReadHashList(ref RlpReader reader)
    {
        var list = reader.ReadList();
        int count = Count(list);
        if (count == 0) return [];
        var hashes = new Hash256[count];
        for (int i = 0; i < hashes.Length; i++) hashes[i] = list.ReadHash();
        return hashes;
    }

    public static void WriteHashList(ref RlpWriter writer, Hash256[] hashes)
    {
        writer.WriteListHeader(hashes.Length * 33);
        foreach (var h in hashes) writer.Write(h);
    }

    public static int LengthOfHashList(Hash256[] hashes) => RlpWriter.LengthOfList(hashes.Length * 33);

    /// <summary>Reads a list of fixed-size byte strings (blobs, commitments, proofs), each exactly <paramref name="size"/> bytes.</summary>
    public static byte[][] ReadFixedBytesList(ref RlpReader reader, int size)
    {
        var list = reader.ReadList();
        int count = Count(list);
        if (count == 0) return [];
        var items = new byte[count][];
        for (int i = 0; i < items.Length; i++) items[i] = list.ReadBytes(size).ToArray();
        return items;
    }

    public static int ContentLengthOfBytesList(byte[][] items)
    {
        int n = 0;
        foreach (var item in items) n += RlpWriter.LengthOfBytes(item);
        return n;
    }

    public static void WriteBytesList(ref RlpWriter writer, byte[][] items)
    {
        writer.WriteListHeader(ContentLengthOfBytesList(items));
        foreach (var item in items) writer.WriteBytes(item);
    }

    /// <summary>The header of an RLP string of <paramref name="length"/> (&gt;= 2) bytes whose payload the caller writes next.</summary>
    public static void WriteStringHeader(ref RlpWriter writer, int length)
    {
        Span<byte> header = stackalloc byte[5];
        if (length < 56)
        {
            header[0] = (byte)(0x80 + length);
            writer.WriteEncoded(header[..1]);
            return;
        }
        int n = RlpWriter.ByteCount((ulong)length);
        header[0] = (byte)(0xb7 + n);
        for (int i = 0; i < n; i++) header[1 + i] = (byte)(length >> (8 * (n - 1 - i)));
        writer.WriteEncoded(header[..(1 + n)]);
    }
}
