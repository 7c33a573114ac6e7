using System.Buffers;
using System.IO.Pipelines;

namespace BeamSync.Network.Rlpx;

/// <summary>
/// An authenticated, encrypted RLPx connection over a byte stream: the handshake, then messages in frames.
/// Input is read through a <see cref="PipeReader"/> (buffered, pooled segments); sends are serialized by a lock
/// so any number of threads may call <see cref="SendAsync"/>; <see cref="ReceiveAsync"/> must have one caller at a
/// time (the session's read loop). Protocol violations surface as <see cref="RlpxException"/>.
/// </summary>
public sealed class RlpxConnection : IAsyncDisposable
{
    private readonly Stream _stream;
    private readonly PipeReader _reader;
    private readonly FrameCodec _codec;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private int _disposed;

    /// <summary>The remote node's static public key (64 bytes), authenticated by the handshake.</summary>
    public byte[] RemoteId { get; }

    /// <summary>Snappy for messages after Hello; set once both sides announced p2p v5 or higher.</summary>
    public bool Compression { get; set; }

    private RlpxConnection(Stream stream, PipeReader reader, Secrets secrets, int maxFrameSize)
    {
        _stream = stream;
        _reader = reader;
        _codec = new FrameCodec(secrets, maxFrameSize);
        RemoteId = secrets.RemoteId;
    }

    /// <summary>Initiator side: sends auth, reads ack.</summary>
    public static async Task<RlpxConnection> ConnectAsync(Stream stream, byte[] staticKey, byte[] remoteId, CancellationToken ct,
        int maxFrameSize = FrameCodec.MaxEncodableFrameSize)
    {
        var handshake = Handshake.ForInitiator(staticKey, remoteId);
        await stream.WriteAsync(handshake.CreateAuth(), ct).ConfigureAwait(false);
        await stream.FlushAsync(ct).ConfigureAwait(false);
        var reader = PipeReader.Create(stream, new StreamPipeReaderOptions(leaveOpen: true));
        await ReadHandshakePacketAsync(reader, handshake, ct).ConfigureAwait(false);
        return new RlpxConnection(stream, reader, handshake.DeriveSecrets(), maxFrameSize);
    }

    /// <summary>Recipient side: reads auth (EIP-8 or legacy), sends ack.</summary>
    public static async Task<RlpxConnection> AcceptAsync(Stream stream, byte[] staticKey, CancellationToken ct,
        int maxFrameSize = FrameCodec.MaxEncodableFrameSize)
    {
        var handshake = Handshake.ForRecipient(staticKey);
        var reader = PipeReader.Create(stream, new StreamPipeReaderOptions(leaveOpen: true));
        await ReadHandshakePacketAsync(reader, handshake, ct).ConfigureAwait(false);
        await stream.WriteAsync(handshake.CreateAck(), ct).ConfigureAwait(false);
        await stream.FlushAsync(ct).ConfigureAwait(false);
        return new RlpxConnection(stream, reader, handshake.DeriveSecrets(), maxFrameSize);
    }

    private static async Task ReadHandshakePacketAsync(PipeReader reader, Handshake handshake, CancellationToken ct)
    {
        while (true)
        {
            var result = await reader.ReadAsync(ct).ConfigureAwait(false);
            var buffer = result.Buffer;
            bool done = handshake.IsInitiator ? handshake.TryReadAck(ref buffer) : handshake.TryReadAuth(ref buffer);
            // Bytes after the packet (the first frame) stay unexamined, so the next read returns them at once.
            if (done) { reader.AdvanceTo(buffer.Start); return; }
            reader.AdvanceTo(buffer.Start, buffer.End);
            if (result.IsCompleted) throw new RlpxException(DisconnectReason.TcpError, "connection closed during the handshake");
        }
    }

    /// <summary>Sends one message (id in the shared id space, payload = RLP msg-data).</summary>
    public async ValueTask SendAsync(ulong id, ReadOnlyMemory<byte> payload, CancellationToken ct = default)
    {
        var frameData = MessageCodec.Encode(id, payload.Span, Compression, out int frameLength);
        byte[]? wire = null;
        await _writeLock.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            int wireLength = FrameCodec.EncodedLength(frameLength);
            wire = ArrayPool<byte>.Shared.Rent(wireLength);
            _codec.WriteFrame(frameData.AsSpan(0, frameLength), wire);
            await _stream.WriteAsync(wire.AsMemory(0, wireLength), ct).ConfigureAwait(false);
        }
        finally
        {
            _writeLock.Release();
            ArrayPool<byte>.Shared.Return(frameData);
            if (wire is not null) ArrayPool<byte>.Shared.Return(wire);
        }
    }

    /// <summary>Receives the next message; the caller disposes it. Throws <see cref="RlpxException"/> on a violation or on close.</summary>
    public async ValueTask<RlpxMessage> ReceiveAsync(CancellationToken ct = default)
    {
        while (true)
        {
            var result = await _reader.ReadAsync(ct).ConfigureAwait(false);
            var buffer = result.Buffer;
            bool got;
            byte[] frame; int length;
            try { got = _codec.TryReadFrame(ref buffer, out frame, out length); }
            catch { _reader.AdvanceTo(buffer.Start, buffer.End); throw; }
            if (got)
            {
                // Only what was consumed counts as examined: a further frame already buffered is read without waiting.
                _reader.AdvanceTo(buffer.Start);
                try { return MessageCodec.Decode(frame.AsSpan(0, length), Compression); }
                finally { ArrayPool<byte>.Shared.Return(frame); }
            }
            _reader.AdvanceTo(buffer.Start, buffer.End);
            if (result.IsCompleted) throw new RlpxException(DisconnectReason.TcpError, "connection closed by the remote side");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        try { await _reader.CompleteAsync().ConfigureAwait(false); } catch { /* closing anyway */ }
        try { await _stream.DisposeAsync().ConfigureAwait(false); } catch { /* closing anyway */ }
        _codec.Dispose();
    }
}
