using System.Buffers;
using BeamSync.Core;
using Snappier;

namespace BeamSync.Network.Rlpx;

/// <summary>
/// frame-data = rlp(msg-id) || msg-data, with msg-data snappy-compressed once both sides speak p2p v5
/// (rlpx.md "Message Encoding"). Decompression checks snappy's length header against
/// <see cref="MaxMessageSize"/> before allocating anything. Stateless and thread-safe.
/// </summary>
public static class MessageCodec
{
    /// <summary>The spec's bound on a message's uncompressed size.</summary>
    public const int MaxMessageSize = 16 * 1024 * 1024;

    /// <summary>Encodes id and payload into a pooled buffer; returns the buffer (caller returns it) and its used length.</summary>
    public static byte[] Encode(ulong id, ReadOnlySpan<byte> payload, bool compress, out int length)
    {
        int idLength = RlpWriter.LengthOf(id);
        int bodyMax = compress ? Snappy.GetMaxCompressedLength(payload.Length) : payload.Length;
        var buffer = ArrayPool<byte>.Shared.Rent(idLength + bodyMax);
        var writer = new RlpWriter(buffer);
        writer.Write(id);
        if (compress) length = idLength + Snappy.Compress(payload, buffer.AsSpan(idLength));
        else
        {
            payload.CopyTo(buffer.AsSpan(idLength));
            length = idLength + payload.Length;
        }
        return buffer;
    }

    /// <summary>Splits frame data into id and (decompressed) payload; the payload is a new pooled buffer when decompressed.</summary>
    public static RlpxMessage Decode(ReadOnlySpan<byte> frameData, bool compressed)
    {
        ulong id;
        int idLength;
        try
        {
            var reader = new RlpReader(frameData);
            id = reader.ReadUInt64();
            idLength = reader.Position;
        }
        catch (RlpException e) { throw new RlpxException(DisconnectReason.BreachOfProtocol, "bad message id: " + e.Message, e); }
        var body = frameData[idLength..];
        if (!compressed)
        {
            var copy = ArrayPool<byte>.Shared.Rent(Math.Max(body.Length, 1));
            body.CopyTo(copy);
            return new RlpxMessage(id, copy, body.Length);
        }

        int size;
        try { size = Snappy.GetUncompressedLength(body); }
        catch (Exception e) when (e is InvalidDataException or ArgumentException or IndexOutOfRangeException)
        { throw new RlpxException(DisconnectReason.BreachOfProtocol, "bad snappy length header", e); }
        if (size < 0 || size > MaxMessageSize) RlpxException.BreachOfProtocol($"message of {size} bytes exceeds {MaxMessageSize}");
        var buffer = ArrayPool<byte>.Shared.Rent(Math.Max(size, 1));
        try
        {
            int written = Snappy.Decompress(body, buffer);
            if (written != size) RlpxException.BreachOfProtocol("snappy length mismatch");
            return new RlpxMessage(id, buffer, size);
        }
        catch (Exception e) when (e is InvalidDataException or ArgumentException or IndexOutOfRangeException)
        {
            ArrayPool<byte>.Shared.Return(buffer);
            throw new RlpxException(DisconnectReason.BreachOfProtocol, "bad snappy data", e);
        }
        catch { ArrayPool<byte>.Shared.Return(buffer); throw; }
    }
}

/// <summary>
/// One received message: its id in the connection's shared id space and its payload in a pooled buffer.
/// The receiver owns it and must <see cref="Dispose"/> it exactly once; not thread-safe.
/// </summary>
public sealed class RlpxMessage(ulong id, byte[] buffer, int length) : IDisposable
{
    private byte[]? _buffer = buffer;
    public ulong Id { get; } = id;
    public int Length { get; } = length;
    public ReadOnlySpan<byte> Payload => _buffer is null ? throw new ObjectDisposedException(nameof(RlpxMessage)) : _buffer.AsSpan(0, Length);
    public ReadOnlyMemory<byte> PayloadMemory => _buffer is null ? throw new ObjectDisposedException(nameof(RlpxMessage)) : _buffer.AsMemory(0, Length);

    public void Dispose()
    {
        var b = Interlocked.Exchange(ref _buffer, null);
        if (b is not null) ArrayPool<byte>.Shared.Return(b);
    }
}
