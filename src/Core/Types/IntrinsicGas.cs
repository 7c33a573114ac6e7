using BeamSync.Core.Specs;

namespace BeamSync.Core.Types;

/// <summary>
/// The gas a transaction costs before its first opcode runs, by fork, and the EIP-7623 calldata floor. Stateless
/// and thread-safe.
/// </summary>
public static class IntrinsicGas
{
    public const ulong Base = 21_000;
    public const ulong ContractCreation = 32_000;          // Homestead (EIP-2)
    public const ulong ZeroDataByte = 4;
    public const ulong NonZeroDataByteFrontier = 68;
    public const ulong NonZeroDataByteIstanbul = 16;       // EIP-2028
    public const ulong AccessListAddress = 2_400;          // EIP-2930
    public const ulong AccessListStorageKey = 1_900;
    public const ulong InitCodeWord = 2;                   // EIP-3860
    public const ulong PerAuthorization = 25_000;          // EIP-7702 PER_EMPTY_ACCOUNT_COST
    public const ulong TotalCostFloorPerToken = 10;        // EIP-7623
    /// <summary>EIP-7623 tokens: a zero byte is one token, a nonzero byte four (the Istanbul price ratio 16/4).</summary>
    public const ulong TokensPerNonZeroByte = 4;

    public static ulong Calculate(Transaction tx, Fork fork)
    {
        ulong gas = Base;
        if (tx.IsContractCreation && fork >= Fork.Homestead) gas += ContractCreation;

        var data = tx.Data.AsSpan();
        ulong zeros = (ulong)data.Count((byte)0);
        ulong nonZeros = (ulong)data.Length - zeros;
        gas += zeros * ZeroDataByte + nonZeros * (fork >= Fork.Istanbul ? NonZeroDataByteIstanbul : NonZeroDataByteFrontier);

        if (tx.IsContractCreation && fork >= Fork.Shanghai) gas += InitCodeWord * (((ulong)data.Length + 31) / 32);

        if (fork >= Fork.Berlin)
            gas += (ulong)tx.AccessList.Length * AccessListAddress + (ulong)AccessListCodec.StorageKeyCount(tx.AccessList) * AccessListStorageKey;

        if (fork >= Fork.Prague) gas += (ulong)tx.AuthorizationList.Length * PerAuthorization;
        return gas;
    }

    /// <summary>EIP-7623 (Prague): the minimum gas a transaction pays, 21000 + 10 per calldata token.</summary>
    public static ulong CalldataFloor(Transaction tx)
    {
        var data = tx.Data.AsSpan();
        ulong zeros = (ulong)data.Count((byte)0);
        ulong nonZeros = (ulong)data.Length - zeros;
        return Base + (zeros + nonZeros * TokensPerNonZeroByte) * TotalCostFloorPerToken;
    }
}
