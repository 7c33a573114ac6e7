using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace BeamSync.Core.Crypto;

public sealed partial class Keccak256
{
    /// <summary>Messages hashed side by side: one 512-bit register holds the same lane of eight states.</summary>
    private const int Ways = 8;

    /// <summary>
    /// Hashes each message <c>data[offsets[i] .. offsets[i] + lengths[i]]</c> into <c>output[32 i .. 32 i + 32]</c>, the
    /// same digests as <see cref="Hash(ReadOnlySpan{byte}, Span{byte})"/>. With AVX-512 eight messages share each
    /// permutation (messages of the same block count together), several times the throughput of one at a time for
    /// many short messages such as trie nodes; elsewhere they are hashed one by one.
    /// </summary>
    [SkipLocalsInit]
    public static void HashMany(ReadOnlySpan<byte> data, ReadOnlySpan<int> offsets, ReadOnlySpan<int> lengths, Span<byte> output)
    {
        int count = offsets.Length;
        if (lengths.Length != count || output.Length < count * HashSize) ThrowHelper.ThrowArgument("one length and 32 output bytes per message");
        if (!Avx512F.IsSupported || count < 2)
        {
            for (int i = 0; i < count; i++) Hash(data.Slice(offsets[i], lengths[i]), output.Slice(i * HashSize, HashSize));
            return;
        }
        // Messages ordered by length, so each group of eight wastes few permutations on lanes already done.
        Span<int> order = count <= 64 ? stackalloc int[count] : new int[count];
        for (int i = 0; i < count; i++) order[i] = i;
        for (int i = 1; i < count; i++)
            for (int j = i; j > 0 && lengths[order[j]] < lengths[order[j - 1]]; j--) (order[j], order[j - 1]) = (order[j - 1], order[j]);
        Span<ulong> state = stackalloc ulong[25 * Ways];
        Span<byte> tail = stackalloc byte[Rate];
        for (int group = 0; group < count; group += Ways)
        {
            int ways = Math.Min(Ways, count - group);
            if (ways == 1)
            {
                int only = order[group];
                Hash(data.Slice(offsets[only], lengths[only]), output.Slice(only * HashSize, HashSize));
                break;
            }
            state.Clear();
            int blocks = lengths[order[group + ways - 1]] / Rate + 1;
            for (int block = 0; block < blocks; block++)
            {
                for (int way = 0; way < ways; way++)
                {
                    int message = order[group + way];
                    int length = lengths[message], from = block * Rate;
                    if (from > length) continue; // done: its digest was taken after its last block
                    var bytes = data.Slice(offsets[message], length);
                    if (from + Rate <= length) AbsorbInto(state, way, bytes.Slice(from, Rate));
                    else
                    {
                        tail.Clear();
                        bytes[from..].CopyTo(tail);
                        tail[length - from] ^= 0x01;
                        tail[Rate - 1] ^= 0x80;
                        AbsorbInto(state, way, tail);
                    }
                }
                KeccakF1600.PermuteEightStates(ref MemoryMarshal.GetReference(state));
                for (int way = 0; way < ways; way++)
                {
                    int message = order[group + way];
                    if (lengths[message] / Rate == block) SqueezeFrom(state, way, output.Slice(message * HashSize, HashSize));
                }
            }
        }
    }

    /// <summary>XORs one block into state <paramref name="way"/> of the interleaved states (lane k of way w at 8 k + w).</summary>
    private static void AbsorbInto(Span<ulong> states, int way, ReadOnlySpan<byte> block)
    {
        for (int i = 0; i < Rate / 8; i++) states[i * Ways + way] ^= BinaryPrimitives.ReadUInt64LittleEndian(block[(8 * i)..]);
    }

    private static void SqueezeFrom(Span<ulong> states, int way, Span<byte> output)
    {
        for (int i = 0; i < HashSize / 8; i++) BinaryPrimitives.WriteUInt64LittleEndian(output[(8 * i)..], states[i * Ways + way]);
    }
}
