namespace BeamSync.Core.Types;

/// <summary>
/// A block body: <c>[transactions, uncles]</c>, plus <c>withdrawals</c> from Shanghai (null before). Transactions
/// are list items (typed ones wrapped as RLP strings). Immutable by convention.
/// </summary>
public sealed class BlockBody(Transaction[] transactions, BlockHeader[] uncles, Withdrawal[]? withdrawals = null)
{
    public static readonly BlockBody Empty = new([], []);

    public Transaction[] Transactions { get; } = transactions;
    public BlockHeader[] Uncles { get; } = uncles;
    public Withdrawal[]? Withdrawals { get; } = withdrawals;

    internal int TransactionsContentLength()
    {
        int n = 0;
        foreach (var tx in Transactions) n += tx.LengthInList;
        return n;
    }

    internal int UnclesContentLength()
    {
        int n = 0;
        foreach (var u in Uncles) n += u.EncodedLength;
        return n;
    }

    /// <summary>The length of the body's items (without its own list header): transactions, uncles, withdrawals.</summary>
    internal int ItemsLength() =>
        RlpWriter.LengthOfList(TransactionsContentLength()) + RlpWriter.LengthOfList(UnclesContentLength())
        + (Withdrawals is null ? 0 : RlpWriter.LengthOfList(Withdrawal.ListContentLength(Withdrawals)));

    internal void WriteItems(ref RlpWriter writer)
    {
        writer.WriteListHeader(TransactionsContentLength());
        foreach (var tx in Transactions) tx.WriteInList(ref writer);
        writer.WriteListHeader(UnclesContentLength());
        foreach (var u in Uncles) u.Write(ref writer);
        if (Withdrawals is not null)
        {
            writer.WriteListHeader(Withdrawal.ListContentLength(Withdrawals));
            foreach (var w in Withdrawals) w.Write(ref writer);
        }
    }

    /// <summary>Reads transactions, uncles and optional withdrawals from a list reader positioned at the transactions.</summary>
    internal static BlockBody ReadItems(ref RlpReader fields)
    {
        var txList = fields.ReadList();
        int txCount = RlpItems.Count(txList);
        Transaction[] transactions = txCount == 0 ? [] : new Transaction[txCount];
        for (int i = 0; i < transactions.Length; i++) transactions[i] = Transaction.ReadFromList(ref txList);

        var uncleList = fields.ReadList();
        int uncleCount = RlpItems.Count(uncleList);
        BlockHeader[] uncles = uncleCount == 0 ? [] : new BlockHeader[uncleCount];
        for (int i = 0; i < uncles.Length; i++) uncles[i] = BlockHeader.Read(ref uncleList);

        Withdrawal[]? withdrawals = fields.HasMore ? Withdrawal.ReadList(ref fields) : null;
        fields.EnsureEnd();
        return new BlockBody(transactions, uncles, withdrawals);
    }

    public int EncodedLength => RlpWriter.LengthOfList(ItemsLength());

    public void Write(ref RlpWriter writer)
    {
        writer.WriteListHeader(ItemsLength());
        WriteItems(ref writer);
    }

    public byte[] Encode()
    {
        var buffer = new byte[EncodedLength];
        var writer = new RlpWriter(buffer);
        Write(ref writer);
        return buffer;
    }

    public static BlockBody Decode(ReadOnlySpan<byte> encoded)
    {
        var reader = new RlpReader(encoded);
        var body = Read(ref reader);
        reader.EnsureEnd();
        return body;
    }

    public static BlockBody Read(ref RlpReader reader)
    {
        var fields = reader.ReadList();
        return ReadItems(ref fields);
    }
}
