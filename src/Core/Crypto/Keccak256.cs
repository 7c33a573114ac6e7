using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace BeamSync.Core.Crypto;

/// <summary>
/// Keccak-256 as Ethereum uses it (original Keccak padding 0x01, not SHA3's 0x06).
/// The static <see cref="Hash(ReadOnlySpan{byte})"/> is allocation-free; the instance form absorbs
/// incrementally and can report a digest without finishing (RLPx frame MACs need that).
/// An instance is not safe for concurrent use.
/// </summary>
public sealed partial class Keccak256
{
    public const int HashSize = 32;
    /// <summary>(1600 - 2 * 256) / 8: the bytes absorbed per permutation.</summary>
    public const int Rate = 136;

    private readonly ulong[] _state = new ulong[25];
    private readonly byte[] _buffer = new byte[Rate];
    private int _buffered;

    public static Hash256 Hash(ReadOnlySpan<byte> input)
    {
        Span<byte> output = stackalloc byte[HashSize];
        Hash(input, output);
        return new Hash256(output);
    }

    public static byte[] HashToArray(ReadOnlySpan<byte> input)
    {
        var output = new byte[HashSize];
        Hash(input, output);
        return output;
    }

    /// <summary>Hashes <paramref name="input"/> into the first 32 bytes of <paramref name="output"/>.</summary>
    [SkipLocalsInit]
    public static void Hash(ReadOnlySpan<byte> input, Span<byte> output)
    {
        if (output.Length < HashSize) ThrowHelper.ThrowArgument("Keccak-256 output needs 32 bytes");
        Span<ulong> state = stackalloc ulong[25];
        state.Clear();
        // Whole blocks are XORed in straight from the caller's span; only the padded tail is copied.
        while (input.Length >= Rate)
        {
            AbsorbBlock(state, input);
            KeccakF1600.Permute(state);
            input = input[Rate..];
        }
        Span<byte> last = stackalloc byte[Rate];
        last.Clear();
        input.CopyTo(last);
        last[input.Length] ^= 0x01;
        last[Rate - 1] ^= 0x80;
        AbsorbBlock(state, last);
        KeccakF1600.Permute(state);
        Squeeze(state, output);
    }

    public void Update(ReadOnlySpan<byte> input)
    {
        if (_buffered > 0)
        {
            int take = Math.Min(Rate - _buffered, input.Length);
            input[..take].CopyTo(_buffer.AsSpan(_buffered));
            _buffered += take;
            input = input[take..];
            if (_buffered < Rate) return;
            AbsorbBlock(_state, _buffer);
            KeccakF1600.Permute(_state);
            _buffered = 0;
        }
        while (input.Length >= Rate)
        {
            AbsorbBlock(_state, input);
            KeccakF1600.Permute(_state);
            input = input[Rate..];
        }
        input.CopyTo(_buffer);
        _buffered = input.Length;
    }

    /// <summary>The digest of everything absorbed so far; the instance keeps absorbing afterwards.</summary>
    [SkipLocalsInit]
    public void Peek(Span<byte> output)
    {
        Span<ulong> state = stackalloc ulong[25];
        _state.CopyTo(state);
        Span<byte> last = stackalloc byte[Rate];
        last.Clear();
        _buffer.AsSpan(0, _buffered).CopyTo(last);
        last[_buffered] ^= 0x01;
        last[Rate - 1] ^= 0x80;
        AbsorbBlock(state, last);
        KeccakF1600.Permute(state);
        Squeeze(state, output);
    }

    public void Reset()
    {
        Array.Clear(_state);
        _buffered = 0;
    }

    /// <summary>XORs one 136-byte block (17 little-endian lanes) into the state; both spans are at least that long.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void AbsorbBlock(Span<ulong> state, ReadOnlySpan<byte> block)
    {
        ref ulong lane = ref MemoryMarshal.GetReference(state);
        ref byte data = ref MemoryMarshal.GetReference(block);
        for (int i = 0; i < Rate / 8; i++)
        {
            ulong word = Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref data, 8 * i));
            if (!BitConverter.IsLittleEndian) word = BinaryPrimitives.ReverseEndianness(word);
            Unsafe.Add(ref lane, i) ^= word;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Squeeze(ReadOnlySpan<ulong> state, Span<byte> output)
    {
        for (int i = 0; i < 4; i++) BinaryPrimitives.WriteUInt64LittleEndian(output[(i * 8)..], state[i]);
    }
}

