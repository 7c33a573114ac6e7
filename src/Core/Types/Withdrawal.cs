namespace BeamSync.Core.Types;

/// <summary>An EIP-4895 beacon-chain withdrawal: <c>[index, validator_index, address, amount_gwei]</c>. Immutable.</summary>
public sealed record Withdrawal(ulong Index, ulong ValidatorIndex, Address Address, ulong AmountGwei)
{
    private int ContentLength() =>
        RlpWriter.LengthOf(Index) + RlpWriter.LengthOf(ValidatorIndex) + 21 + RlpWriter.LengthOf(AmountGwei);

    public int EncodedLength => RlpWriter.LengthOfList(ContentLength());

    public void Write(ref RlpWriter writer)
    {
        writer.WriteListHeader(ContentLength());
        writer.Write(Index);
        writer.Write(ValidatorIndex);
        writer.Write(Address);
        writer.Write(AmountGwei);
    }

    public byte[] Encode()
    {
        var buffer = new byte[EncodedLength];
        var writer = new RlpWriter(buffer);
        Write(ref writer);
        return buffer;
    }

    public static Withdrawal Decode(ReadOnlySpan<byte> encoded)
    {
        var reader = new RlpReader(encoded);
        var w = Read(ref reader);
        reader.EnsureEnd();
        return w;
    }

    public static Withdrawal Read(ref RlpReader reader)
    {
        var f = reader.ReadList();
        var w = new Withdrawal(f.ReadUInt64(), f.ReadUInt64(), f.ReadAddress(), f.ReadUInt64());
        f.EnsureEnd();
        return w;
    }

    internal static Withdrawal[] ReadList(ref RlpReader reader)
    {
        var list = reader.ReadList();
        int count = RlpItems.Count(list);
        if (count == 0) return [];
        var items = new Withdrawal[count];
        for (int i = 0; i < items.Length; i++) items[i] = Read(ref list);
        return items;
    }

    internal static int ListContentLength(Withdrawal[] items)
    {
        int n = 0;
        foreach (var w in items) n += w.EncodedLength;
        return n;
    }
}
