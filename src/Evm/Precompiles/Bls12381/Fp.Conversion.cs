using System.Buffers.Binary;
using System.Numerics;

namespace BeamSync.Evm.Precompiles.Bls12381;

public readonly partial struct Fp
{
    public const int Size = 48;

    /// <summary>Reads a 48-byte big-endian canonical value; false when it is not below p.</summary>
    public static bool TryRead(ReadOnlySpan<byte> bigEndian48, out Fp value)
    {
        ulong u5 = BinaryPrimitives.ReadUInt64BigEndian(bigEndian48);
        ulong u4 = BinaryPrimitives.ReadUInt64BigEndian(bigEndian48[8..]);
        ulong u3 = BinaryPrimitives.ReadUInt64BigEndian(bigEndian48[16..]);
        ulong u2 = BinaryPrimitives.ReadUInt64BigEndian(bigEndian48[24..]);
        ulong u1 = BinaryPrimitives.ReadUInt64BigEndian(bigEndian48[32..]);
        ulong u0 = BinaryPrimitives.ReadUInt64BigEndian(bigEndian48[40..]);
        if (!LessThanModulus(u0, u1, u2, u3, u4, u5)) { value = default; return false; }
        value = new Fp(u0, u1, u2, u3, u4, u5) * R2;
        return true;
    }

    /// <summary>Writes the canonical (non-Montgomery) value as 48 big-endian bytes.</summary>
    public void Write(Span<byte> bigEndian48)
    {
        Fp c = FromMontgomery();
        BinaryPrimitives.WriteUInt64BigEndian(bigEndian48, c.U5);
        BinaryPrimitives.WriteUInt64BigEndian(bigEndian48[8..], c.U4);
        BinaryPrimitives.WriteUInt64BigEndian(bigEndian48[16..], c.U3);
        BinaryPrimitives.WriteUInt64BigEndian(bigEndian48[24..], c.U2);
        BinaryPrimitives.WriteUInt64BigEndian(bigEndian48[32..], c.U1);
        BinaryPrimitives.WriteUInt64BigEndian(bigEndian48[40..], c.U0);
    }

    /// <summary>The canonical value's limbs (a Montgomery product with 1).</summary>
    private Fp FromMontgomery() => this * new Fp(1, 0, 0, 0, 0, 0);

    public static Fp FromUInt64(ulong value) => new Fp(value, 0, 0, 0, 0, 0) * R2;

    /// <summary>Converts any integer (reduced mod p first); for constants and tests, not hot paths.</summary>
    public static Fp FromBigInteger(BigInteger value)
    {
        value %= Modulus;
        if (value.Sign < 0) value += Modulus;
        return FromLimbsUnchecked(value) * R2;
    }

    /// <summary>Parses a hexadecimal constant (with or without 0x); for static set-up only.</summary>
    public static Fp FromHex(string hex) =>
        FromBigInteger(BigInteger.Parse("0" + (hex.StartsWith("0x", StringComparison.Ordinal) ? hex[2..] : hex), System.Globalization.NumberStyles.HexNumber));

    public BigInteger ToBigInteger()
    {
        Span<byte> bytes = stackalloc byte[Size];
        Write(bytes);
        return new BigInteger(bytes, isUnsigned: true, isBigEndian: true);
    }

    /// <summary>Little-endian 64-bit limbs of a non-negative integer (for exponents).</summary>
    public static ulong[] LimbsOf(BigInteger value)
    {
        byte[] bytes = value.ToByteArray(isUnsigned: true, isBigEndian: false);
        var limbs = new ulong[(bytes.Length + 7) / 8];
        for (int i = 0; i < bytes.Length; i++) limbs[i / 8] |= (ulong)bytes[i] << (8 * (i % 8));
        return limbs;
    }

    /// <summary>Raw limbs of a value already below p, without the Montgomery conversion.</summary>
    private static Fp FromLimbsUnchecked(BigInteger value)
    {
        ulong[] l = LimbsOf(value);
        Span<ulong> six = stackalloc ulong[6];
        six.Clear();
        l.AsSpan().CopyTo(six);
        return new Fp(six[0], six[1], six[2], six[3], six[4], six[5]);
    }
}
