using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace BeamSync.Core;

/// <summary>A 32-byte hash held inline (no heap allocation). Immutable and safe to share between threads.</summary>
[StructLayout(LayoutKind.Sequential, Size = 32)]
public readonly struct Hash256 : IEquatable<Hash256>, IComparable<Hash256>
{
    private readonly Vector256<byte> _bytes;

    public const int Size = 32;
    public static readonly Hash256 Zero = default;

    /// <summary>keccak256 of the empty string: the code hash of an account without code.</summary>
    public static readonly Hash256 EmptyKeccak = Parse("0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470");

    /// <summary>Root of an empty trie: keccak256(rlp("")).</summary>
    public static readonly Hash256 EmptyTrieRoot = Parse("0x56e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421");

    /// <summary>keccak256(rlp([])): the ommers hash of a block without uncles.</summary>
    public static readonly Hash256 EmptyListHash = Parse("0x1dcc4de8dec75d7aab85b567b6ccd41ad312451b948a7413f0a142fd40d49347");

    public Hash256(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != Size) ThrowHelper.ThrowArgument($"Hash256 needs {Size} bytes, got {bytes.Length}");
        _bytes = Vector256.Create(bytes);
    }

    /// <summary>Right-aligns up to 32 bytes (as a big-endian word).</summary>
    public static Hash256 FromBytesPadLeft(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length > Size) ThrowHelper.ThrowArgument("more than 32 bytes");
        Span<byte> buf = stackalloc byte[Size];
        buf.Clear();
        bytes.CopyTo(buf[(Size - bytes.Length)..]);
        return new Hash256(buf);
    }

    public ReadOnlySpan<byte> Bytes => MemoryMarshal.AsBytes(MemoryMarshal.CreateReadOnlySpan(in _bytes, 1));

    public byte[] ToArray() => Bytes.ToArray();

    public bool IsZero => _bytes == Vector256<byte>.Zero;

    public static Hash256 Parse(ReadOnlySpan<char> hex)
    {
        Span<byte> buf = stackalloc byte[Size];
        if (!Hex.TryParseExact(hex, buf)) throw new FormatException($"Invalid 32-byte hex: '{hex}'");
        return new Hash256(buf);
    }

    public static bool TryParse(ReadOnlySpan<char> hex, out Hash256 hash)
    {
        Span<byte> buf = stackalloc byte[Size];
        if (!Hex.TryParseExact(hex, buf)) { hash = default; return false; }
        hash = new Hash256(buf);
        return true;
    }

    public bool Equals(Hash256 other) => _bytes == other._bytes;
    public override bool Equals(object? obj) => obj is Hash256 h && Equals(h);
    public override int GetHashCode() => BinaryPrimitives.ReadInt32LittleEndian(Bytes);
    public int CompareTo(Hash256 other) => Bytes.SequenceCompareTo(other.Bytes);
    public static bool operator ==(Hash256 a, Hash256 b) => a.Equals(b);
    public static bool operator !=(Hash256 a, Hash256 b) => !a.Equals(b);
    public override string ToString() => Hex.ToHex(Bytes);
}

/// <summary>A 20-byte account address held inline.</summary>
[StructLayout(LayoutKind.Sequential, Size = 20)]
public readonly struct Address : IEquatable<Address>, IComparable<Address>
{
    private readonly ulong _a, _b;
    private readonly uint _c;

    public const int Size = 20;
    public static readonly Address Zero = default;

    public Address(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != Size) ThrowHelper.ThrowArgument($"Address needs {Size} bytes, got {bytes.Length}");
        _a = MemoryMarshal.Read<ulong>(bytes);
        _b = MemoryMarshal.Read<ulong>(bytes[8..]);
        _c = MemoryMarshal.Read<uint>(bytes[16..]);
    }

    public ReadOnlySpan<byte> Bytes => MemoryMarshal.AsBytes(MemoryMarshal.CreateReadOnlySpan(in this, 1));

    public byte[] ToArray() => Bytes.ToArray();

    public static Address Parse(ReadOnlySpan<char> hex)
    {
        Span<byte> buf = stackalloc byte[Size];
        if (!Hex.TryParseExact(hex, buf)) throw new FormatException($"Invalid 20-byte address hex: '{hex}'");
        return new Address(buf);
    }

    public static bool TryParse(ReadOnlySpan<char> hex, out Address address)
    {
        Span<byte> buf = stackalloc byte[Size];
        if (!Hex.TryParseExact(hex, buf)) { address = default; return false; }
        address = new Address(buf);
        return true;
    }

    /// <summary>The low 20 bytes of a 32-byte word, as CALL and friends read an address from the stack.</summary>
    public static Address FromWord(ReadOnlySpan<byte> word32) => new(word32[12..32]);

    public bool Equals(Address other) => _a == other._a && _b == other._b && _c == other._c;
    public override bool Equals(object? obj) => obj is Address a && Equals(a);
    public override int GetHashCode() => HashCode.Combine(_a, _b, _c);
    public int CompareTo(Address other) => Bytes.SequenceCompareTo(other.Bytes);
    public static bool operator ==(Address a, Address b) => a.Equals(b);
    public static bool operator !=(Address a, Address b) => !a.Equals(b);
    public override string ToString() => Hex.ToHex(Bytes);
}
