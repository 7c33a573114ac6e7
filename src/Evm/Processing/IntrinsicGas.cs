namespace BeamSync.Evm;

/// <summary>The gas a transaction pays before its first opcode, by fork. Stateless; thread-safe.</summary>
public static class IntrinsicGas
{
    public const long TxGas = 21000;
    public const long TxCreateGas = 32000;           // EIP-2 (Homestead)
    public const long ZeroByteGas = 4;
    public const long NonZeroByteGasFrontier = 68;
    public const long NonZeroByteGasIstanbul = 16;   // EIP-2028
    public const long AccessListAddressGas = 2400;   // EIP-2930
    public const long AccessListStorageKeyGas = 1900;
    public const long InitCodeWordGas = 2;           // EIP-3860

    public static long Of(Message tx, EvmSpec spec)
    {
        long gas = TxGas;
        if (tx.To is null && spec.IsHomestead) gas += TxCreateGas;
        long nonZeroGas = spec.IsIstanbul ? NonZeroByteGasIstanbul : NonZeroByteGasFrontier;
        int zeros = tx.Data.AsSpan().Count((byte)0);
        gas += zeros * ZeroByteGas + (tx.Data.Length - zeros) * nonZeroGas;
        foreach (var entry in tx.AccessList)
            gas += AccessListAddressGas + entry.StorageKeys.Length * AccessListStorageKeyGas;
        if (tx.To is null && spec.IsShanghai) gas += InitCodeWordGas * ((tx.Data.Length + 31) / 32);
        return gas;
    }
}
