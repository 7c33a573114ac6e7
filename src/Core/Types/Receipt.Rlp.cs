namespace BeamSync.Core.Types;

// RLP of receipts: canonical (EIP-2718) form and the in-list form.
public sealed partial class Receipt
{
    private static ReadOnlySpan<byte> StatusSuccess => [0x01];

    private int ContentLength()
    {
        int status = PostState.HasValue ? 33 : 1; // 0x80 (failure) or 0x01 (success)
        return status + RlpWriter.LengthOf(CumulativeGasUsed) + RlpWriter.LengthOfLength(Bloom.Size) + Bloom.Size
            + RlpWriter.LengthOfList(LogsContentLength());
    }

    private int LogsContentLength()
    {
        int logs = 0;
        foreach (var log in Logs) logs += log.EncodedLength;
        return logs;
    }

    public int CanonicalLength
    {
        get
        {
            int list = RlpWriter.LengthOfList(ContentLength());
            return Type == TransactionType.Legacy ? list : 1 + list;
        }
    }

    public void WriteCanonical(ref RlpWriter writer)
    {
        if (Type != TransactionType.Legacy) writer.WriteEncoded([(byte)Type]);
        writer.WriteListHeader(ContentLength());
        if (PostState.HasValue) writer.Write(PostState.Value);
        else if (Success == true) writer.WriteBytes(StatusSuccess);
        else writer.WriteBytes([]);
        writer.Write(CumulativeGasUsed);
        writer.WriteBytes(Bloom.Bytes);
        writer.WriteListHeader(LogsContentLength());
        foreach (var log in Logs) log.Write(ref writer);
    }

    /// <summary>The canonical encoding: what the receipts trie stores and hashes.</summary>
    public byte[] EncodeCanonical()
    {
        var buffer = new byte[CanonicalLength];
        var writer = new RlpWriter(buffer);
        WriteCanonical(ref writer);
        return buffer;
    }

    public int LengthInList
    {
        get
        {
            int canonical = CanonicalLength;
            return Type == TransactionType.Legacy ? canonical : RlpWriter.LengthOfLength(canonical) + canonical;
        }
    }

    public void WriteInList(ref RlpWriter writer)
    {
        if (Type != TransactionType.Legacy) RlpItems.WriteStringHeader(ref writer, CanonicalLength);
        WriteCanonical(ref writer);
    }

    public static Receipt DecodeCanonical(ReadOnlySpan<byte> encoded)
    {
        if (encoded.IsEmpty) ThrowHelper.ThrowRlp(RlpError.UnexpectedEnd, "empty receipt");
        var type = TransactionType.Legacy;
        if (encoded[0] < 0xc0)
        {
            if (encoded[0] is 0 or > (byte)TransactionType.SetCode)
                ThrowHelper.ThrowRlp(RlpError.InvalidValue, $"receipt type 0x{encoded[0]:x2} is not supported");
            type = (TransactionType)encoded[0];
            encoded = encoded[1..];
        }
        var reader = new RlpReader(encoded);
        var receipt = ReadFields(type, ref reader);
        reader.EnsureEnd();
        return receipt;
    }

    /// <summary>Reads one receipt as a list item: a legacy RLP list, or an RLP string wrapping a typed receipt.</summary>
    public static Receipt ReadFromList(ref RlpReader reader)
    {
        if (reader.PeekIsList()) return ReadFields(TransactionType.Legacy, ref reader);
        var typed = reader.ReadBytes();
        if (typed.IsEmpty || typed[0] >= 0x80) ThrowHelper.ThrowRlp(RlpError.InvalidValue, "typed receipt expected inside the string");
        return DecodeCanonical(typed);
    }

    private static Receipt ReadFields(TransactionType type, ref RlpReader reader)
    {
        var f = reader.ReadList();
        var status = f.ReadBytes();
        bool? success = null;
        Hash256? postState = null;
        if (status.Length == Hash256.Size) postState = new Hash256(status);
        else if (status.IsEmpty) success = false;
        else if (status.SequenceEqual(StatusSuccess)) success = true;
        else ThrowHelper.ThrowRlp(RlpError.InvalidValue, $"receipt status must be empty, 0x01 or a 32-byte root; found {status.Length} bytes");
        ulong cumulativeGas = f.ReadUInt64();
        var bloom = new Bloom(f.ReadBytes(Bloom.Size));
        var logsList = f.ReadList();
        int count = RlpItems.Count(logsList);
        Log[] logs = count == 0 ? [] : new Log[count];
        for (int i = 0; i < logs.Length; i++) logs[i] = Log.Read(ref logsList);
        f.EnsureEnd();
        return new Receipt { Type = type, Success = success, PostState = postState, CumulativeGasUsed = cumulativeGas, Bloom = bloom, Logs = logs };
    }
}
