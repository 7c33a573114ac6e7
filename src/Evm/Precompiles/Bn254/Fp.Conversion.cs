using System.Buffers.Binary;
using System.Numerics;

namespace BeamSync.Evm.Precompiles.Bn254;

public readonly partial struct Fp
{
    /// <summary>Reads a 32-byte big-endian canonical value; false when it is not below p (EIP-196 rejects it).</summary>
    public static bool TryRead(ReadOnlySpan<byte> bigEndian32, out Fp value)
    {
        ulong u3 = BinaryPrimitives.ReadUInt64BigEndian(bigEndian32);
        ulong u2 = BinaryPrimitives.ReadUInt64BigEndian(bigEndian32[8..]);
        ulong u1 = BinaryPrimitives.ReadUInt64BigEndian(bigEndian32[16..]);
        ulong u0 = BinaryPrimitives.ReadUInt64BigEndian(bigEndian32[24..]);
        if (!LessThanModulus(u0, u1, u2, u3)) { value = default; return false; }
        value = new Fp(u0, u1, u2, u3) * R2;
        return true;
    }

    /// <summary>Writes the canonical (non-Montgomery) value as 32 big-endian bytes.</summary>
    public void Write(Span<byte> bigEndian32)
    {
        Fp canonical = this * new Fp(1, 0, 0, 0);
        BinaryPrimitives.WriteUInt64BigEndian(bigEndian32, canonical.U3);
        BinaryPrimitives.WriteUInt64BigEndian(bigEndian32[8..], canonical.U2);
        BinaryPrimitives.WriteUInt64BigEndian(bigEndian32[16..], canonical.U1);
        BinaryPrimitives.WriteUInt64BigEndian(bigEndian32[24..], canonical.U0);
    }

    public static Fp FromUInt64(ulong value) => new Fp(value, 0, 0, 0) * R2;

    /// <summary>Converts any integer (reduced mod p first); for constants and tests, not hot paths.</summary>
    public static Fp FromBigInteger(BigInteger value)
    {
        value %= Modulus;
        if (value.Sign < 0) value += Modulus;
        return FromLimbsUnchecked(value) * R2;
    }

    public BigInteger ToBigInteger()
    {
        Span<byte> bytes = stackalloc byte[32];
        Write(bytes);
        return new BigInteger(bytes, isUnsigned: true, isBigEndian: true);
    }

    private static bool LessThanModulus(ulong u0, ulong u1, ulong u2, ulong u3)
    {
        if (u3 != P3) return u3 < P3;
        if (u2 != P2) return u2 < P2;
        if (u1 != P1) return u1 < P1;
        return u0 < P0;
    }

    /// <summary>Raw limbs of a value already below p, without the Montgomery conversion.</summary>
    private static Fp FromLimbsUnchecked(BigInteger value)
    {
        Span<byte> bytes = stackalloc byte[32];
        bytes.Clear();
        value.TryWriteBytes(bytes, out _, isUnsigned: true, isBigEndian: false);
        return new Fp(
            BinaryPrimitives.ReadUInt64LittleEndian(bytes),
            BinaryPrimitives.ReadUInt64LittleEndian(bytes[8..]),
            BinaryPrimitives.ReadUInt64LittleEndian(bytes[16..]),
            BinaryPrimitives.ReadUInt64LittleEndian(bytes[24..]));
    }
}
