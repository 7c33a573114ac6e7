namespace BeamSync.Core.Types;

/// <summary>A block: <c>[header, transactions, uncles]</c> plus <c>withdrawals</c> from Shanghai. Immutable by convention.</summary>
public sealed class Block(BlockHeader header, BlockBody body)
{
    public BlockHeader Header { get; } = header;
    public BlockBody Body { get; } = body;

    public Hash256 Hash => Header.Hash;
    public ulong Number => Header.Number;
    public Transaction[] Transactions => Body.Transactions;

    public int EncodedLength => RlpWriter.LengthOfList(Header.EncodedLength + Body.ItemsLength());

    public void Write(ref RlpWriter writer)
    {
        writer.WriteListHeader(Header.EncodedLength + Body.ItemsLength());
        Header.Write(ref writer);
        Body.WriteItems(ref writer);
    }

    public byte[] Encode()
    {
        var buffer = new byte[EncodedLength];
        var writer = new RlpWriter(buffer);
        Write(ref writer);
        return buffer;
    }

    public static Block Decode(ReadOnlySpan<byte> encoded)
    {
        var reader = new RlpReader(encoded);
        var block = Read(ref reader);
        reader.EnsureEnd();
        return block;
    }

    public static Block Read(ref RlpReader reader)
    {
        var fields = reader.ReadList();
        var header = BlockHeader.Read(ref fields);
        var body = BlockBody.ReadItems(ref fields);
        return new Block(header, body);
    }
}
