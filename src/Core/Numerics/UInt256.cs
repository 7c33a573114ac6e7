using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace BeamSync.Core;

/// <summary>
/// An unsigned 256-bit integer in four 64-bit limbs, least significant first (<see cref="U0"/>).
/// An immutable value type, so safe to share between threads; arithmetic wraps modulo 2^256 as the EVM's does.
/// Hot paths use the static <c>in</c>/<c>out</c> forms (no copies of the 32-byte struct, no allocation); the
/// operators are conveniences over them. Inputs are read before the output is written, so a caller may pass
/// one variable as both.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
public readonly partial struct UInt256 : IEquatable<UInt256>, IComparable<UInt256>
{
    public readonly ulong U0, U1, U2, U3;

    public static readonly UInt256 Zero = default;
    public static readonly UInt256 One = new(1);
    public static readonly UInt256 MaxValue = new(ulong.MaxValue, ulong.MaxValue, ulong.MaxValue, ulong.MaxValue);

    public UInt256(ulong u0, ulong u1 = 0, ulong u2 = 0, ulong u3 = 0)
    {
        U0 = u0; U1 = u1; U2 = u2; U3 = u3;
    }

    /// <summary>From up to 32 big-endian bytes (shorter input is left-padded with zeros).</summary>
    public UInt256(ReadOnlySpan<byte> bigEndian)
    {
        if (bigEndian.Length > 32) ThrowHelper.ThrowArgument("UInt256 takes at most 32 bytes");
        if (bigEndian.Length == 32)
        {
            U3 = BinaryPrimitives.ReadUInt64BigEndian(bigEndian);
            U2 = BinaryPrimitives.ReadUInt64BigEndian(bigEndian[8..]);
            U1 = BinaryPrimitives.ReadUInt64BigEndian(bigEndian[16..]);
            U0 = BinaryPrimitives.ReadUInt64BigEndian(bigEndian[24..]);
            return;
        }
        Span<byte> word = stackalloc byte[32];
        word.Clear();
        bigEndian.CopyTo(word[(32 - bigEndian.Length)..]);
        U3 = BinaryPrimitives.ReadUInt64BigEndian(word);
        U2 = BinaryPrimitives.ReadUInt64BigEndian(word[8..]);
        U1 = BinaryPrimitives.ReadUInt64BigEndian(word[16..]);
        U0 = BinaryPrimitives.ReadUInt64BigEndian(word[24..]);
    }

    public bool IsZero
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => (U0 | U1 | U2 | U3) == 0;
    }

    public bool IsUInt64
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => (U1 | U2 | U3) == 0;
    }

    /// <summary>Number of significant bits (0 for zero).</summary>
    public int BitLength =>
        U3 != 0 ? 256 - BitOperations.LeadingZeroCount(U3) :
        U2 != 0 ? 192 - BitOperations.LeadingZeroCount(U2) :
        U1 != 0 ? 128 - BitOperations.LeadingZeroCount(U1) :
        64 - BitOperations.LeadingZeroCount(U0);

    /// <summary>Number of significant bytes (0 for zero).</summary>
    public int ByteLength => (BitLength + 7) / 8;

    public void ToBigEndian(Span<byte> destination32)
    {
        BinaryPrimitives.WriteUInt64BigEndian(destination32, U3);
        BinaryPrimitives.WriteUInt64BigEndian(destination32[8..], U2);
        BinaryPrimitives.WriteUInt64BigEndian(destination32[16..], U1);
        BinaryPrimitives.WriteUInt64BigEndian(destination32[24..], U0);
    }

    public byte[] ToBigEndian()
    {
        var b = new byte[32];
        ToBigEndian(b);
        return b;
    }

    /// <summary>Big-endian bytes without leading zeros (empty for zero), as RLP and JSON quantities want.</summary>
    public byte[] ToBigEndianTrimmed()
    {
        Span<byte> word = stackalloc byte[32];
        ToBigEndian(word);
        return word[(32 - ByteLength)..].ToArray();
    }

    public Hash256 ToHash()
    {
        Span<byte> word = stackalloc byte[32];
        ToBigEndian(word);
        return new Hash256(word);
    }

    public static UInt256 FromHash(Hash256 h) => new(h.Bytes);

    public BigInteger ToBigInteger()
    {
        Span<byte> word = stackalloc byte[32];
        ToBigEndian(word);
        return new BigInteger(word, isUnsigned: true, isBigEndian: true);
    }

    /// <summary>Reduces modulo 2^256 (negative values wrap as two's complement).</summary>
    public static UInt256 FromBigInteger(BigInteger value)
    {
        value &= (BigInteger.One << 256) - 1;
        Span<byte> word = stackalloc byte[32];
        word.Clear();
        int n = value.GetByteCount(isUnsigned: true);
        value.TryWriteBytes(word[(32 - n)..], out _, isUnsigned: true, isBigEndian: true);
        return new UInt256(word);
    }

    /// <summary>Parses decimal or 0x-prefixed hex; throws <see cref="FormatException"/> on overflow or bad digits.</summary>
    public static UInt256 Parse(string s)
    {
        if (!TryParse(s, out var v)) throw new FormatException($"Invalid 256-bit unsigned integer: '{s}'");
        return v;
    }

    public static bool TryParse(string s, out UInt256 value)
    {
        value = default;
        s = s.Trim();
        if (s.Length == 0) return false;
        BigInteger big;
        if (s.StartsWith("0x") || s.StartsWith("0X"))
        {
            var digits = s[2..];
            if (digits.Length == 0) { value = Zero; return true; }
            if (!BigInteger.TryParse("0" + digits, System.Globalization.NumberStyles.AllowHexSpecifier, null, out big)) return false;
        }
        else if (!BigInteger.TryParse(s, System.Globalization.NumberStyles.None, null, out big)) return false;
        if (big.Sign < 0 || big.GetBitLength() > 256) return false;
        value = FromBigInteger(big);
        return true;
    }

    public static implicit operator UInt256(ulong v) => new(v);
    public static explicit operator ulong(in UInt256 v) => v.U0;

    public bool Equals(UInt256 other) => U0 == other.U0 && U1 == other.U1 && U2 == other.U2 && U3 == other.U3;
    public override bool Equals(object? obj) => obj is UInt256 o && Equals(o);
    public override int GetHashCode() => HashCode.Combine(U0, U1, U2, U3);
    public static bool operator ==(in UInt256 a, in UInt256 b) => a.Equals(b);
    public static bool operator !=(in UInt256 a, in UInt256 b) => !a.Equals(b);

    public int CompareTo(UInt256 other) =>
        U3 != other.U3 ? U3.CompareTo(other.U3) :
        U2 != other.U2 ? U2.CompareTo(other.U2) :
        U1 != other.U1 ? U1.CompareTo(other.U1) :
        U0.CompareTo(other.U0);

    public static bool operator <(in UInt256 a, in UInt256 b) => a.CompareTo(b) < 0;
    public static bool operator >(in UInt256 a, in UInt256 b) => a.CompareTo(b) > 0;
    public static bool operator <=(in UInt256 a, in UInt256 b) => a.CompareTo(b) <= 0;
    public static bool operator >=(in UInt256 a, in UInt256 b) => a.CompareTo(b) >= 0;

    public override string ToString() => ToBigInteger().ToString();
    public string ToHexString() => IsZero ? "0x0" : "0x" + ToBigInteger().ToString("x").TrimStart('0');
}
