using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace BeamSync.Core;

/// <summary>
/// Writes RLP into a span sized in advance with the <c>LengthOf*</c> helpers (two passes, no growth, no
/// allocation). Writing past the span throws; that is a bug in the caller's sizing, not bad input.
/// </summary>
public ref struct RlpWriter
{
    private readonly Span<byte> _buffer;
    private int _position;

    public RlpWriter(Span<byte> buffer)
    {
        _buffer = buffer;
        _position = 0;
    }

    public readonly int Position => _position;
    public readonly Span<byte> Written => _buffer[.._position];

    // ---- sizing ----

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int LengthOfLength(int length) => length < 56 ? 1 : 1 + ByteCount((ulong)length);

    public static int LengthOfBytes(ReadOnlySpan<byte> bytes) =>
        bytes.Length == 1 && bytes[0] < 0x80 ? 1 : LengthOfLength(bytes.Length) + bytes.Length;

    public static int LengthOfList(int contentLength) => LengthOfLength(contentLength) + contentLength;

    public static int LengthOf(ulong value) => value < 0x80 ? 1 : 1 + ByteCount(value);

    public static int LengthOf(in UInt256 value)
    {
        if (value.IsUInt64) return LengthOf(value.U0);
        return 1 + value.ByteLength;
    }

    public static int LengthOf(Hash256 _) => 33;
    public static int LengthOf(Address _) => 21;
    public static int LengthOf(Address? a) => a is null ? 1 : 21;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static int ByteCount(ulong value) => value == 0 ? 0 : (64 - BitOperations.LeadingZeroCount(value) + 7) / 8;

    // ---- writing ----

    public void WriteListHeader(int contentLength) => WriteHeader(0xc0, contentLength);

    public void WriteBytes(scoped ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length == 1 && bytes[0] < 0x80)
        {
            _buffer[_position++] = bytes[0];
            return;
        }
        WriteHeader(0x80, bytes.Length);
        bytes.CopyTo(_buffer[_position..]);
        _position += bytes.Length;
    }

    /// <summary>Copies an already-encoded item verbatim.</summary>
    public void WriteEncoded(scoped ReadOnlySpan<byte> encoded)
    {
        encoded.CopyTo(_buffer[_position..]);
        _position += encoded.Length;
    }

    public void Write(ulong value)
    {
        if (value == 0) { _buffer[_position++] = 0x80; return; }
        if (value < 0x80) { _buffer[_position++] = (byte)value; return; }
        int n = ByteCount(value);
        _buffer[_position++] = (byte)(0x80 + n);
        for (int i = n - 1; i >= 0; i--) _buffer[_position++] = (byte)(value >> (8 * i));
    }

    public void Write(in UInt256 value)
    {
        if (value.IsUInt64) { Write(value.U0); return; }
        Span<byte> word = stackalloc byte[32];
        value.ToBigEndian(word);
        int skip = 32 - value.ByteLength;
        WriteBytes(word[skip..]);
    }

    public void Write(bool value) => Write(value ? 1UL : 0UL);
    public void Write(Hash256 value) => WriteBytes(value.Bytes);
    public void Write(Address value) => WriteBytes(value.Bytes);

    public void Write(Address? value)
    {
        if (value is null) _buffer[_position++] = 0x80;
        else WriteBytes(value.Value.Bytes);
    }

    private void WriteHeader(byte offset, int length)
    {
        if (length < 56)
        {
            _buffer[_position++] = (byte)(offset + length);
            return;
        }
        int n = ByteCount((ulong)length);
        _buffer[_position++] = (byte)(offset + 55 + n);
        for (int i = n - 1; i >= 0; i--) _buffer[_position++] = (byte)(length >> (8 * i));
    }
}
