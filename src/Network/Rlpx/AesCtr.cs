using System.Buffers.Binary;
using System.Security.Cryptography;

namespace BeamSync.Network.Rlpx;

/// <summary>
/// AES in counter mode (128- or 256-bit key by the key's length) built over the platform AES-ECB: the key
/// stream is ECB encryption of a big-endian 128-bit counter starting at the IV. Keeps its position across
/// calls, so one instance is one continuous stream (RLPx uses one stream per direction). Not thread-safe.
/// </summary>
public sealed class AesCtr : IDisposable
{
    private const int BlockSize = 16;
    // Key stream is produced this many blocks at a time (4 KiB): one ECB call amortizes the platform call overhead.
    private const int BatchBlocks = 256;

    private readonly Aes _aes;
    // A persistent ECB transform: the one-shot Aes.EncryptEcb sets up a native cipher context per call (~20 us),
    // TransformBlock reuses this one (~0.1 us per block call).
    private readonly ICryptoTransform _ecb;
    private readonly byte[] _counter = new byte[BlockSize];
    private readonly byte[] _counterBlocks = new byte[BlockSize * BatchBlocks];
    private readonly byte[] _keyStream = new byte[BlockSize * BatchBlocks];
    private int _keyStreamPosition = BlockSize * BatchBlocks;

    public AesCtr(ReadOnlySpan<byte> key, ReadOnlySpan<byte> iv)
    {
        if (iv.Length != BlockSize) throw new ArgumentException("AES-CTR IV must be 16 bytes", nameof(iv));
        _aes = Aes.Create();
        _aes.Key = key.ToArray();
        _aes.Mode = CipherMode.ECB;
        _aes.Padding = PaddingMode.None;
        _ecb = _aes.CreateEncryptor();
        iv.CopyTo(_counter);
    }

    /// <summary>XORs the next key stream bytes into <paramref name="data"/> in place (encrypts or decrypts).</summary>
    public void Transform(Span<byte> data)
    {
        int done = 0;
        while (done < data.Length)
        {
            if (_keyStreamPosition == _keyStream.Length) Refill();
            int n = Math.Min(data.Length - done, _keyStream.Length - _keyStreamPosition);
            Xor(data.Slice(done, n), _keyStream.AsSpan(_keyStreamPosition, n));
            _keyStreamPosition += n;
            done += n;
        }
    }

    /// <summary>Transforms <paramref name="source"/> into <paramref name="destination"/> (same length).</summary>
    public void Transform(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        source.CopyTo(destination);
        Transform(destination[..source.Length]);
    }

    private void Refill()
    {
        for (int i = 0; i < BatchBlocks; i++)
        {
            _counter.CopyTo(_counterBlocks.AsSpan(i * BlockSize));
            Increment(_counter);
        }
        _ecb.TransformBlock(_counterBlocks, 0, _counterBlocks.Length, _keyStream, 0);
        _keyStreamPosition = 0;
    }

    private static void Increment(Span<byte> counter)
    {
        ulong low = BinaryPrimitives.ReadUInt64BigEndian(counter[8..]) + 1;
        BinaryPrimitives.WriteUInt64BigEndian(counter[8..], low);
        if (low == 0) BinaryPrimitives.WriteUInt64BigEndian(counter, BinaryPrimitives.ReadUInt64BigEndian(counter) + 1);
    }

    internal static void Xor(Span<byte> target, ReadOnlySpan<byte> with)
    {
        int i = 0;
        var t64 = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, ulong>(target);
        var w64 = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, ulong>(with[..target.Length]);
        for (; i < t64.Length; i++) t64[i] ^= w64[i];
        for (i *= 8; i < target.Length; i++) target[i] ^= with[i];
    }

    public void Dispose()
    {
        _ecb.Dispose();
        _aes.Dispose();
    }
}
