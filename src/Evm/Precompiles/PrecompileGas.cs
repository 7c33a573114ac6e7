namespace BeamSync.Evm.Precompiles;

/// <summary>Pricing shared by the hash-like precompiles: a base cost plus a cost per 32-byte word of input.</summary>
internal static class PrecompileGas
{
    public static long PerWord(int inputLength, long baseCost, long costPerWord) =>
        baseCost + costPerWord * (((long)inputLength + 31) / 32);
}
