using System.Buffers.Binary;
using BeamSync.Core;
using BeamSync.Core.Specs;

namespace BeamSync.Evm.Precompiles;

/// <summary>
/// 0x09 BLAKE2b compression function F (EIP-152): input is exactly 213 bytes, rounds (4, big-endian) ‖ h (64) ‖
/// m (128) ‖ t (16) ‖ f (1), words little-endian; fails on another length or a final flag other than 0 or 1.
/// Gas = rounds. Stateless; thread-safe.
/// </summary>
public sealed class Blake2FPrecompile : IPrecompile
{
    public static readonly Blake2FPrecompile Instance = new();
    private Blake2FPrecompile() { }

    private const int InputLength = 213;

    public Address Address => PrecompileAddress.Blake2F;

    /// <summary>Zero for a wrong length: the call then fails in <see cref="TryRun"/> instead of on gas.</summary>
    public long GasCost(ReadOnlySpan<byte> input, Fork fork) =>
        input.Length == InputLength ? BinaryPrimitives.ReadUInt32BigEndian(input) : 0;

    public bool TryRun(ReadOnlySpan<byte> input, Fork fork, out byte[] output)
    {
        output = [];
        if (input.Length != InputLength || input[212] > 1) return false;

        uint rounds = BinaryPrimitives.ReadUInt32BigEndian(input);
        Span<ulong> h = stackalloc ulong[8];
        Span<ulong> m = stackalloc ulong[16];
        for (int i = 0; i < 8; i++) h[i] = BinaryPrimitives.ReadUInt64LittleEndian(input[(4 + i * 8)..]);
        for (int i = 0; i < 16; i++) m[i] = BinaryPrimitives.ReadUInt64LittleEndian(input[(68 + i * 8)..]);
        ulong t0 = BinaryPrimitives.ReadUInt64LittleEndian(input[196..]);
        ulong t1 = BinaryPrimitives.ReadUInt64LittleEndian(input[204..]);

        Blake2Compression.Compress(rounds, h, m, t0, t1, input[212] == 1);

        output = new byte[64];
        for (int i = 0; i < 8; i++) BinaryPrimitives.WriteUInt64LittleEndian(output.AsSpan(i * 8), h[i]);
        return true;
    }
}
