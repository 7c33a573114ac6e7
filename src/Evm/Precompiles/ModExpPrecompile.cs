using System.Buffers;
using System.Numerics;
using BeamSync.Core;
using BeamSync.Core.Specs;

namespace BeamSync.Evm.Precompiles;

/// <summary>
/// 0x05 modular exponentiation (EIP-198): input baseLen ‖ expLen ‖ modLen (32-byte words) ‖ base ‖ exp ‖ mod,
/// right-padded; output base^exp mod mod as modLen bytes (zero for a zero modulus, empty for modLen = 0).
/// Lengths are 256-bit numbers: <see cref="GasCost"/> prices them with saturating arithmetic, so a hostile length
/// fails the interpreter's gas check before anything is allocated. Pricing: EIP-198, EIP-2565 from Berlin, EIP-7883
/// from Osaka; Osaka also bounds every length at 1024 bytes (EIP-7823).
/// Stateless; thread-safe.
/// </summary>
public sealed partial class ModExpPrecompile : IPrecompile
{
    public static readonly ModExpPrecompile Instance = new();
    private ModExpPrecompile() { }

    private const int HeaderSize = 96;

    /// <summary>
    /// Base and modulus lengths beyond 2^24 bytes cost over 10^12 gas under every pricing, so no paid call reaches them;
    /// likewise exponents beyond 2^32 bytes. <see cref="TryRun"/> refuses them so an unmetered call cannot allocate or spin.
    /// </summary>
    private const ulong MaxOperandLength = 1 << 24;
    private const ulong MaxExponentLength = 1UL << 32;

    /// <summary>EIP-7823: the upper bound on each of baseLen, expLen and modLen from Osaka.</summary>
    private const ulong OsakaMaxInputLength = 1024;

    public Address Address => PrecompileAddress.ModExp;

    public bool TryRun(ReadOnlySpan<byte> input, Fork fork, out byte[] output)
    {
        output = [];
        UInt128 baseLen128 = ReadLength(input, 0), expLen128 = ReadLength(input, 32), modLen128 = ReadLength(input, 64);
        // EIP-7823 (Osaka): each length is at most 1024 bytes, or the call fails, even when modLen is zero.
        if (fork >= Fork.Osaka && (baseLen128 > OsakaMaxInputLength || expLen128 > OsakaMaxInputLength || modLen128 > OsakaMaxInputLength))
            return false;
        if (modLen128 == 0) return true;
        if (baseLen128 > MaxOperandLength || modLen128 > MaxOperandLength || expLen128 > MaxExponentLength) return false;
        ulong baseLen = (ulong)baseLen128, expLen = (ulong)expLen128, modLen = (ulong)modLen128;

        ulong expOffset = HeaderSize + baseLen;
        ulong modOffset = expOffset + expLen;
        BigInteger modulus = ReadOperand(input, modOffset, (int)modLen);
        output = new byte[modLen];
        if (modulus.IsZero || modulus.IsOne) return true;

        BigInteger @base = ReadOperand(input, HeaderSize, (int)baseLen);
        // Exponent bytes past the end of the input are zeros: exp = present·256^missing, so instead of allocating
        // them, raise to the present part and then square 8·missing times (paid for by the exponent-length gas term).
        int presentExpLength = PaddedInput.AvailableLength(input, expOffset, expLen);
        BigInteger exponent = presentExpLength == 0
            ? BigInteger.Zero
            : new BigInteger(input.Slice((int)expOffset, presentExpLength), isUnsigned: true, isBigEndian: true);
        BigInteger result = BigInteger.ModPow(@base, exponent, modulus);
        ulong squarings = (expLen - (ulong)presentExpLength) * 8;
        for (ulong i = 0; i < squarings && !result.IsZero && !result.IsOne; i++)
            result = result * result % modulus;

        int length = result.GetByteCount(isUnsigned: true);
        result.TryWriteBytes(output.AsSpan((int)modLen - length), out _, isUnsigned: true, isBigEndian: true);
        return true;
    }

    /// <summary>A length word as UInt128, saturated to UInt128.MaxValue when it does not fit.</summary>
    private static UInt128 ReadLength(ReadOnlySpan<byte> input, ulong offset)
    {
        Span<byte> word = stackalloc byte[32];
        PaddedInput.Copy(input, offset, word);
        if (word[..16].IndexOfAnyExcept((byte)0) >= 0) return UInt128.MaxValue;
        return System.Buffers.Binary.BinaryPrimitives.ReadUInt128BigEndian(word[16..]);
    }

    /// <summary>An unsigned big-endian operand of <paramref name="length"/> bytes at <paramref name="offset"/>, right-padded.</summary>
    private static BigInteger ReadOperand(ReadOnlySpan<byte> input, ulong offset, int length)
    {
        if (length == 0) return BigInteger.Zero;
        byte[]? rented = null;
        Span<byte> buffer = length <= 256 ? stackalloc byte[256] : (rented = ArrayPool<byte>.Shared.Rent(length));
        try
        {
            buffer = buffer[..length];
            PaddedInput.Copy(input, offset, buffer);
            return new BigInteger(buffer, isUnsigned: true, isBigEndian: true);
        }
        finally
        {
            if (rented is not null) ArrayPool<byte>.Shared.Return(rented);
        }
    }
}
