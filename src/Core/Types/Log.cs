namespace BeamSync.Core.Types;

/// <summary>A log entry: <c>[address, [topic, ...], data]</c>. Immutable by convention (arrays are not copied).</summary>
public sealed class Log(Address address, Hash256[] topics, byte[] data)
{
    public Address Address { get; } = address;
    public Hash256[] Topics { get; } = topics;
    public byte[] Data { get; } = data;

    private int ContentLength() => 21 + RlpItems.LengthOfHashList(Topics) + RlpWriter.LengthOfBytes(Data);

    public int EncodedLength => RlpWriter.LengthOfList(ContentLength());

    public void Write(ref RlpWriter writer)
    {
        writer.WriteListHeader(ContentLength());
        writer.Write(Address);
        RlpItems.WriteHashList(ref writer, Topics);
        writer.WriteBytes(Data);
    }

    public byte[] Encode()
    {
        var buffer = new byte[EncodedLength];
        var writer = new RlpWriter(buffer);
        Write(ref writer);
        return buffer;
    }

    public static Log Decode(ReadOnlySpan<byte> encoded)
    {
        var reader = new RlpReader(encoded);
        var log = Read(ref reader);
        reader.EnsureEnd();
        return log;
    }

    public static Log Read(ref RlpReader reader)
    {
        var f = reader.ReadList();
        var address = f.ReadAddress();
        var topics = RlpItems.ReadHashList(ref f);
        var data = f.ReadBytes().ToArray();
        f.EnsureEnd();
        return new Log(address, topics, data);
    }
}
