using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using BeamSync.Core;

namespace BeamSync.Evm;

/// <summary>
/// A call frame's byte-addressed memory, grown in 32-byte words. Callers charge expansion gas through
/// <see cref="ExpansionCost"/> before touching memory. Not thread-safe.
/// </summary>
public sealed class EvmMemory
{
    /// <summary>Beyond this size expansion costs more gas than any block can hold, so it is out of gas at once.</summary>
    public const ulong MaxSize = int.MaxValue - 64;

    private byte[] _buffer = [];
    /// <summary>Size in bytes, always a multiple of 32 (what MSIZE returns).</summary>
    public ulong Size { get; private set; }

    public Span<byte> Span => _buffer.AsSpan(0, (int)Size);

    /// <summary>
    /// Gas to expand memory to cover [offset, offset+length): zero when already covered or length is zero;
    /// long.MaxValue when the range is beyond <see cref="MaxSize"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public long ExpansionCost(in UInt256 offset, in UInt256 length)
    {
        if (length.IsZero) return 0;
        if (!offset.IsUInt64 || !length.IsUInt64 || offset.U0 > MaxSize || length.U0 > MaxSize) return long.MaxValue;
        ulong end = offset.U0 + length.U0;
        if (end <= Size) return 0;
        if (end > MaxSize) return long.MaxValue;
        return Cost((end + 31) / 32) - Cost(Size / 32);
    }

    private static long Cost(ulong words) => (long)(words * 3 + words * words / 512);

    /// <summary>Grows to cover [offset, offset+length); the cost has been charged.</summary>
    public void Expand(ulong offset, ulong length)
    {
        if (length == 0) return;
        ulong end = offset + length;
        if (end <= Size) return;
        ulong newSize = (end + 31) / 32 * 32;
        if (newSize > (ulong)_buffer.Length)
        {
            var grown = new byte[Math.Max((long)newSize, Math.Min((long)_buffer.Length * 2, (long)MaxSize))];
            _buffer.AsSpan(0, (int)Size).CopyTo(grown);
            _buffer = grown;
        }
        Size = newSize;
    }

    /// <summary>Empties memory for reuse by another frame (keeps the buffer).</summary>
    public void Reset()
    {
        _buffer.AsSpan(0, (int)Size).Clear();
        Size = 0;
    }

    /// <summary>Whether [offset, offset+length) is inside memory already, so touching it costs no gas.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool Covers(in UInt256 offset, ulong length) => offset.IsUInt64 && offset.U0 <= Size && length <= Size - offset.U0;

    /// <summary>The byte at <paramref name="offset"/>, unchecked: the caller has covered the range it touches.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal ref byte At(ulong offset) => ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_buffer), (nint)offset);

    public Span<byte> Slice(ulong offset, ulong length) => _buffer.AsSpan((int)offset, (int)length);

    /// <summary>Copies <paramref name="source"/> to memory at offset, zero-filling the part of the length it does not cover.</summary>
    public void WritePadded(ulong offset, ulong length, ReadOnlySpan<byte> source)
    {
        if (length == 0) return;
        var dest = Slice(offset, length);
        int n = (int)Math.Min((ulong)source.Length, length);
        source[..n].CopyTo(dest);
        dest[n..].Clear();
    }
}
