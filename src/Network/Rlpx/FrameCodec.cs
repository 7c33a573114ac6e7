using System.Buffers;
using System.Security.Cryptography;
using BeamSync.Core.Crypto;

namespace BeamSync.Network.Rlpx;

/// <summary>
/// The RLPx frame layer (rlpx.md "Framing" and "MAC"): AES-256-CTR over header and body, one continuous key
/// stream per direction, and the keccak egress/ingress MACs updated with AES-ECB(mac-secret) seeds. The 16-byte
/// header carries the 24-bit frame size and the unused [capability-id, context-id] = [0, 0]. A frame whose
/// declared size exceeds <see cref="MaxFrameSize"/> is rejected as soon as its header is read, before its body is
/// awaited. Egress and ingress state are independent: one writer and one reader may run concurrently, but
/// neither side is itself thread-safe.
/// </summary>
public sealed class FrameCodec : IDisposable
{
    public const int HeaderSize = 16;
    public const int MacSize = 16;
    /// <summary>The largest size the 24-bit frame-size field can state.</summary>
    public const int MaxEncodableFrameSize = (1 << 24) - 1;
    private static readonly byte[] HeaderData = [0xc2, 0x80, 0x80];

    private readonly AesCtr _egressCipher;
    private readonly AesCtr _ingressCipher;
    private readonly Aes _macAes;
    // One ECB transform per direction (a writer and a reader may run at once), each with its own block buffers.
    private readonly MacBlockCipher _egressMacCipher;
    private readonly MacBlockCipher _ingressMacCipher;
    private readonly Keccak256 _egressMac;
    private readonly Keccak256 _ingressMac;
    private int _pendingFrameSize = -1;

    /// <summary>Frames above this many bytes of frame data are a protocol breach (the spec's 16 MiB message bound, or lower).</summary>
    public int MaxFrameSize { get; }

    public FrameCodec(Secrets secrets, int maxFrameSize = MaxEncodableFrameSize)
    {
        MaxFrameSize = Math.Min(maxFrameSize, MaxEncodableFrameSize);
        Span<byte> zeroIv = stackalloc byte[16];
        zeroIv.Clear();
        _egressCipher = new AesCtr(secrets.AesSecret, zeroIv);
        _ingressCipher = new AesCtr(secrets.AesSecret, zeroIv);
        _macAes = Aes.Create();
        _macAes.Key = secrets.MacSecret;
        _macAes.Mode = CipherMode.ECB;
        _macAes.Padding = PaddingMode.None;
        _egressMacCipher = new MacBlockCipher(_macAes.CreateEncryptor());
        _ingressMacCipher = new MacBlockCipher(_macAes.CreateEncryptor());
        _egressMac = secrets.EgressMac;
        _ingressMac = secrets.IngressMac;
    }

    public static int Padded(int length) => (length + 15) & ~15;

    /// <summary>Bytes on the wire for a frame carrying <paramref name="frameDataLength"/> bytes.</summary>
    public static int EncodedLength(int frameDataLength) => HeaderSize + MacSize + Padded(frameDataLength) + MacSize;

    /// <summary>Encrypts and authenticates one frame into <paramref name="output"/> (at least <see cref="EncodedLength"/> bytes).</summary>
    public void WriteFrame(ReadOnlySpan<byte> frameData, Span<byte> output)
    {
        if (frameData.Length > MaxEncodableFrameSize) throw new ArgumentException("frame data exceeds the 24-bit frame size");
        var header = output[..HeaderSize];
        header.Clear();
        header[0] = (byte)(frameData.Length >> 16);
        header[1] = (byte)(frameData.Length >> 8);
        header[2] = (byte)frameData.Length;
        HeaderData.CopyTo(header[3..]);
        _egressCipher.Transform(header);
        UpdateHeaderMac(_egressMac, _egressMacCipher, header, output.Slice(HeaderSize, MacSize));

        int padded = Padded(frameData.Length);
        var body = output.Slice(HeaderSize + MacSize, padded);
        frameData.CopyTo(body);
        body[frameData.Length..].Clear();
        _egressCipher.Transform(body);
        UpdateBodyMac(_egressMac, _egressMacCipher, body, output.Slice(HeaderSize + MacSize + padded, MacSize));
    }

    /// <summary>
    /// Reads one frame: false when more bytes are needed (input untouched except a header already consumed);
    /// on true, <paramref name="frameData"/> is a pooled buffer of <paramref name="length"/> plaintext bytes the
    /// caller returns to <see cref="ArrayPool{T}.Shared"/>. A bad MAC or oversized frame is an <see cref="RlpxException"/>.
    /// </summary>
    public bool TryReadFrame(ref ReadOnlySequence<byte> input, out byte[] frameData, out int length)
    {
        frameData = []; length = 0;
        if (_pendingFrameSize < 0)
        {
            if (input.Length < HeaderSize + MacSize) return false;
            Span<byte> headerAndMac = stackalloc byte[HeaderSize + MacSize];
            input.Slice(0, HeaderSize + MacSize).CopyTo(headerAndMac);
            Span<byte> expected = stackalloc byte[MacSize];
            UpdateHeaderMac(_ingressMac, _ingressMacCipher, headerAndMac[..HeaderSize], expected);
            if (!CryptographicOperations.FixedTimeEquals(expected, headerAndMac[HeaderSize..]))
                RlpxException.BreachOfProtocol("frame header MAC mismatch");
            _ingressCipher.Transform(headerAndMac[..HeaderSize]);
            int size = headerAndMac[0] << 16 | headerAndMac[1] << 8 | headerAndMac[2];
            if (size > MaxFrameSize) RlpxException.BreachOfProtocol($"frame of {size} bytes exceeds the {MaxFrameSize}-byte limit");
            _pendingFrameSize = size;
            input = input.Slice(HeaderSize + MacSize);
        }

        int padded = Padded(_pendingFrameSize);
        if (input.Length < padded + MacSize) return false;
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(padded, 1));
        try
        {
            var body = buffer.AsSpan(0, padded);
            input.Slice(0, padded).CopyTo(body);
            Span<byte> mac = stackalloc byte[MacSize];
            input.Slice(padded, MacSize).CopyTo(mac);
            Span<byte> expected = stackalloc byte[MacSize];
            UpdateBodyMac(_ingressMac, _ingressMacCipher, body, expected);
            if (!CryptographicOperations.FixedTimeEquals(expected, mac)) RlpxException.BreachOfProtocol("frame MAC mismatch");
            _ingressCipher.Transform(body);
        }
        catch
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw;
        }
        input = input.Slice(padded + MacSize);
        frameData = buffer;
        length = _pendingFrameSize;
        _pendingFrameSize = -1;
        return true;
    }

    /// <summary>header-mac-seed = aes(mac-secret, digest[:16]) ^ header-ciphertext; update; header-mac = digest[:16].</summary>
    private static void UpdateHeaderMac(Keccak256 mac, MacBlockCipher cipher, ReadOnlySpan<byte> headerCiphertext, Span<byte> result)
    {
        Span<byte> digest = stackalloc byte[32];
        mac.Peek(digest);
        Span<byte> seed = stackalloc byte[16];
        cipher.Encrypt(digest[..16], seed);
        AesCtr.Xor(seed, headerCiphertext);
        mac.Update(seed);
        mac.Peek(digest);
        digest[..MacSize].CopyTo(result);
    }

    /// <summary>update(frame-ciphertext); seed = aes(mac-secret, digest[:16]) ^ digest[:16]; update(seed); frame-mac = digest[:16].</summary>
    private static void UpdateBodyMac(Keccak256 mac, MacBlockCipher cipher, ReadOnlySpan<byte> frameCiphertext, Span<byte> result)
    {
        mac.Update(frameCiphertext);
        Span<byte> digest = stackalloc byte[32];
        mac.Peek(digest);
        Span<byte> seed = stackalloc byte[16];
        cipher.Encrypt(digest[..16], seed);
        AesCtr.Xor(seed, digest[..16]);
        mac.Update(seed);
        mac.Peek(digest);
        digest[..MacSize].CopyTo(result);
    }

    public void Dispose()
    {
        _egressCipher.Dispose();
        _ingressCipher.Dispose();
        _egressMacCipher.Dispose();
        _ingressMacCipher.Dispose();
        _macAes.Dispose();
    }
}

/// <summary>AES-ECB of single 16-byte blocks through a persistent transform; not thread-safe (one per direction).</summary>
internal sealed class MacBlockCipher(ICryptoTransform transform) : IDisposable
{
    private readonly byte[] _in = new byte[16];
    private readonly byte[] _out = new byte[16];

    public void Encrypt(ReadOnlySpan<byte> block, Span<byte> output)
    {
        block.CopyTo(_in);
        transform.TransformBlock(_in, 0, 16, _out, 0);
        _out.CopyTo(output);
    }

    public void Dispose() => transform.Dispose();
}
