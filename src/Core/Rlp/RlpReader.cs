using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace BeamSync.Core;

/// <summary>
/// A strict, allocation-free RLP decoder over a span. Rejects every non-canonical form: a single byte below
/// 0x80 wrapped as a string, long-form lengths that fit the short form, lengths with leading zeros, sizes that
/// overrun the input, and integers with leading zeros. Errors are <see cref="RlpException"/>, never an
/// out-of-range read.
/// </summary>
public ref partial struct RlpReader
{
    private readonly ReadOnlySpan<byte> _data;
    private int _position;
    private readonly int _end;

    public RlpReader(ReadOnlySpan<byte> data)
    {
        _data = data;
        _position = 0;
        _end = data.Length;
    }

    private RlpReader(ReadOnlySpan<byte> data, int start, int end)
    {
        _data = data;
        _position = start;
        _end = end;
    }

    public readonly int Position => _position;
    public readonly bool HasMore => _position < _end;
    public readonly int Remaining => _end - _position;

    /// <summary>Throws unless every byte was consumed.</summary>
    public readonly void EnsureEnd()
    {
        if (_position != _end) ThrowHelper.ThrowRlp(RlpError.TrailingBytes, $"{_end - _position} trailing bytes after RLP item");
    }

    public readonly bool PeekIsList()
    {
        if (_position >= _end) ThrowHelper.ThrowRlp(RlpError.UnexpectedEnd, "expected an RLP item, input ended");
        return _data[_position] >= 0xc0;
    }

    /// <summary>Reads the header at the cursor: whether it is a list, where its payload starts, and its length.</summary>
    private readonly (bool isList, int payloadStart, int payloadLength) ReadHeader(int pos)
    {
        if (pos >= _end) ThrowHelper.ThrowRlp(RlpError.UnexpectedEnd, "expected an RLP item, input ended");
        byte prefix = _data[pos];
        if (prefix < 0x80) return (false, pos, 1);
        if (prefix <= 0xb7)
        {
            int len = prefix - 0x80;
            CheckFits(pos + 1, len);
            if (len == 1 && _data[pos + 1] < 0x80)
                ThrowHelper.ThrowRlp(RlpError.NonCanonicalSingleByte, "single byte below 0x80 must not be wrapped as a string");
            return (false, pos + 1, len);
        }
        if (prefix < 0xc0)
        {
            int lenOfLen = prefix - 0xb7;
            int len = ReadLongLength(pos + 1, lenOfLen);
            CheckFits(pos + 1 + lenOfLen, len);
            return (false, pos + 1 + lenOfLen, len);
        }
        if (prefix <= 0xf7)
        {
            int len = prefix - 0xc0;
            CheckFits(pos + 1, len);
            return (true, pos + 1, len);
        }
        {
            int lenOfLen = prefix - 0xf7;
            int len = ReadLongLength(pos + 1, lenOfLen);
            CheckFits(pos + 1 + lenOfLen, len);
            return (true, pos + 1 + lenOfLen, len);
        }
    }

    private readonly int ReadLongLength(int pos, int lenOfLen)
    {
        if (pos + lenOfLen > _end) ThrowHelper.ThrowRlp(RlpError.UnexpectedEnd, "length of length overruns input");
        if (_data[pos] == 0) ThrowHelper.ThrowRlp(RlpError.LeadingZeroInLength, "long-form length has a leading zero");
        if (lenOfLen > 4) ThrowHelper.ThrowRlp(RlpError.TooLarge, $"item length uses {lenOfLen} bytes; larger than any input");
        ulong len = 0;
        for (int i = 0; i < lenOfLen; i++) len = (len << 8) | _data[pos + i];
        if (len < 56) ThrowHelper.ThrowRlp(RlpError.NonCanonicalSize, $"long-form length {len} should use the short form");
        if (len > int.MaxValue) ThrowHelper.ThrowRlp(RlpError.TooLarge, $"item length {len} too large");
        return (int)len;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private readonly void CheckFits(int start, int len)
    {
        if ((long)start + len > _end)
            ThrowHelper.ThrowRlp(RlpError.UnexpectedEnd, $"item of {len} bytes overruns the input ({_end - start} left)");
    }

    /// <summary>Reads a string item and returns its payload.</summary>
    public ReadOnlySpan<byte> ReadBytes()
    {
        var (isList, start, len) = ReadHeader(_position);
        if (isList) ThrowHelper.ThrowRlp(RlpError.ExpectedString, "expected an RLP string, found a list");
        _position = start + len;
        return _data.Slice(start, len);
    }

    /// <summary>Reads a string item of exactly <paramref name="length"/> bytes.</summary>
    public ReadOnlySpan<byte> ReadBytes(int length)
    {
        var b = ReadBytes();
        if (b.Length != length) ThrowHelper.ThrowRlp(RlpError.WrongLength, $"expected {length} bytes, found {b.Length}");
        return b;
    }

    /// <summary>Enters a list: returns a reader over its items and moves this reader past it.</summary>
    public RlpReader ReadList()
    {
        var (isList, start, len) = ReadHeader(_position);
        if (!isList) ThrowHelper.ThrowRlp(RlpError.ExpectedList, "expected an RLP list, found a string");
        _position = start + len;
        return new RlpReader(_data, start, start + len);
    }

    /// <summary>The whole encoding (header and payload) of the next item; moves past it.</summary>
    public ReadOnlySpan<byte> ReadEncodedItem()
    {
        int begin = _position;
        var (_, start, len) = ReadHeader(_position);
        _position = start + len;
        return _data[begin.._position];
    }

    public void SkipItem() => ReadEncodedItem();

    public ulong ReadUInt64()
    {
        var b = ReadBytes();
        if (b.Length > 8) ThrowHelper.ThrowRlp(RlpError.IntegerTooLarge, $"integer of {b.Length} bytes does not fit 64 bits");
        if (b.Length > 0 && b[0] == 0) ThrowHelper.ThrowRlp(RlpError.LeadingZeroInInteger, "integer has a leading zero byte");
        ulong v = 0;
        foreach (byte x in b) v = (v << 8) | x;
        return v;
    }

    public int ReadInt32()
    {
        ulong v = ReadUInt64();
        if (v > int.MaxValue) ThrowHelper.ThrowRlp(RlpError.IntegerTooLarge, $"integer {v} does not fit 31 bits");
        return (int)v;
    }

    public bool ReadBool()
    {
        ulong v = ReadUInt64();
        if (v > 1) ThrowHelper.ThrowRlp(RlpError.InvalidValue, $"boolean must be 0 or 1, found {v}");
        return v == 1;
    }

    /// <summary>Reads a big-endian unsigned integer of at most 32 bytes with no leading zeros.</summary>
    public UInt256 ReadUInt256()
    {
        var b = ReadBytes();
        if (b.Length > 32) ThrowHelper.ThrowRlp(RlpError.IntegerTooLarge, $"integer of {b.Length} bytes does not fit 256 bits");
        if (b.Length > 0 && b[0] == 0) ThrowHelper.ThrowRlp(RlpError.LeadingZeroInInteger, "integer has a leading zero byte");
        return new UInt256(b);
    }

    public Hash256 ReadHash() => new(ReadBytes(Hash256.Size));

    public Address ReadAddress() => new(ReadBytes(Address.Size));

    /// <summary>An address or the empty string (contract creation's "to").</summary>
    public Address? ReadOptionalAddress()
    {
        var b = ReadBytes();
        if (b.Length == 0) return null;
        if (b.Length != Address.Size) ThrowHelper.ThrowRlp(RlpError.WrongLength, $"address must be 20 bytes, found {b.Length}");
        return new Address(b);
    }
}
