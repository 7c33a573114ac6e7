using BeamSync.Core;

namespace BeamSync.Evm.Precompiles;

/// <summary>Addresses of the precompiled contracts: 0x00…00nn.</summary>
public static class PrecompileAddress
{
    public static readonly Address EcRecover = Of(0x01);
    public static readonly Address Sha256 = Of(0x02);
    public static readonly Address Ripemd160 = Of(0x03);
    public static readonly Address Identity = Of(0x04);
    public static readonly Address ModExp = Of(0x05);
    public static readonly Address Bn254Add = Of(0x06);
    public static readonly Address Bn254Mul = Of(0x07);
    public static readonly Address Bn254Pairing = Of(0x08);
    public static readonly Address Blake2F = Of(0x09);

    public static Address Of(ushort number)
    {
        Span<byte> bytes = stackalloc byte[Address.Size];
        bytes.Clear();
        bytes[^2] = (byte)(number >> 8);
        bytes[^1] = (byte)number;
        return new Address(bytes);
    }
}
