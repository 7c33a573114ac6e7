using System.Buffers;
using System.Diagnostics;
using System.Threading.Channels;

namespace BeamSync.Network.Link;

/// <summary>
/// A duplex stream (a TCP connection) whose writes reach the wire as the node's <see cref="UplinkShaper"/> allows:
/// a write is split into chunks, each stamped with its arrival time and queued; a pump writes each chunk to the
/// inner stream at that time, in order. Writes return at once (many messages in flight, never a sleep in the
/// caller) until <see cref="LinkModel.MaxQueuedBytesPerConnection"/> bytes are queued, then wait for the pump
/// (backpressure). Reads pass straight through. One writer and one reader at a time (RLPx serializes its writes).
/// </summary>
public sealed class ShapedStream : Stream
{
    /// <summary>Unit of interleaving on the shared uplink: small enough that peers share it fairly.</summary>
    private const int ChunkBytes = 16 * 1024;
    /// <summary>How long disposal lets queued bytes (a Disconnect) drain before cutting the connection.</summary>
    private static readonly TimeSpan DrainOnDispose = TimeSpan.FromSeconds(2);

    private readonly Stream _inner;
    private readonly UplinkShaper _shaper;
    private readonly Channel<Chunk> _queue = Channel.CreateUnbounded<Chunk>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
    private readonly SemaphoreSlim _space = new(0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _pump;
    private long _queuedBytes;
    private Exception? _failure;
    private int _disposed;

    private readonly record struct Chunk(byte[] Buffer, int Length, long DueTimestamp);

    public ShapedStream(Stream inner, UplinkShaper shaper)
    {
        _inner = inner;
        _shaper = shaper;
        _pump = Task.Run(PumpAsync);
    }

    /// <summary>Bytes written but not yet handed to the inner stream.</summary>
    public long QueuedBytes => Volatile.Read(ref _queuedBytes);

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken ct = default)
    {
        ThrowIfFailed();
        while (Volatile.Read(ref _queuedBytes) >= _shaper.Link.MaxQueuedBytesPerConnection)
        {
            await _space.WaitAsync(ct).ConfigureAwait(false);
            ThrowIfFailed();
        }
        for (int offset = 0; offset < buffer.Length; offset += ChunkBytes)
        {
            int length = Math.Min(ChunkBytes, buffer.Length - offset);
            var chunk = ArrayPool<byte>.Shared.Rent(length);
            buffer.Span.Slice(offset, length).CopyTo(chunk);
            Interlocked.Add(ref _queuedBytes, length);
            if (!_queue.Writer.TryWrite(new Chunk(chunk, length, _shaper.Reserve(length))))
            {
                ArrayPool<byte>.Shared.Return(chunk);
                throw new ObjectDisposedException(nameof(ShapedStream));
            }
        }
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken ct) =>
        WriteAsync(buffer.AsMemory(offset, count), ct).AsTask();

    public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    /// <summary>Nothing to do: the pump flushes what it writes; waiting here would defeat pipelining.</summary>
    public override Task FlushAsync(CancellationToken ct) => Task.CompletedTask;
    public override void Flush() { }

    private async Task PumpAsync()
    {
        var ct = _stop.Token;
        try
        {
            await foreach (var chunk in _queue.Reader.ReadAllAsync(ct).ConfigureAwait(false))
            {
                try
                {
                    // Task.Delay truncates to whole milliseconds, and the model promises "not before": round up.
                    long wait = chunk.DueTimestamp - Stopwatch.GetTimestamp();
                    if (wait > 0) await Task.Delay(TimeSpan.FromMilliseconds(Math.Ceiling(Stopwatch.GetElapsedTime(0, wait).TotalMilliseconds)), ct).ConfigureAwait(false);
                    await _inner.WriteAsync(chunk.Buffer.AsMemory(0, chunk.Length), ct).ConfigureAwait(false);
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(chunk.Buffer);
                    Interlocked.Add(ref _queuedBytes, -chunk.Length);
                    if (_space.CurrentCount == 0) _space.Release();
                }
            }
        }
        catch (Exception e)
        {
            _failure = e is OperationCanceledException ? new ObjectDisposedException(nameof(ShapedStream)) : e;
            _queue.Writer.TryComplete();
            while (_queue.Reader.TryRead(out var left)) ArrayPool<byte>.Shared.Return(left.Buffer);
            _space.Release();
        }
    }

    private void ThrowIfFailed()
    {
        if (Volatile.Read(ref _failure) is { } e) throw new IOException("the shaped connection failed: " + e.Message, e);
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default) => _inner.ReadAsync(buffer, ct);
    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken ct) => _inner.ReadAsync(buffer, offset, count, ct);
    public override int Read(byte[] buffer, int offset, int count) => _inner.Read(buffer, offset, count);

    public override bool CanRead => _inner.CanRead;
    public override bool CanWrite => true;
    public override bool CanSeek => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();

    /// <summary>Lets queued bytes (typically a Disconnect) drain for a bounded time, then closes the inner stream.</summary>
    public override async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        _queue.Writer.TryComplete();
        try { await _pump.WaitAsync(DrainOnDispose).ConfigureAwait(false); } catch (Exception) { /* closing anyway */ }
        await StopAsync().ConfigureAwait(false);
        await _inner.DisposeAsync().ConfigureAwait(false);
        GC.SuppressFinalize(this);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _queue.Writer.TryComplete();
            StopAsync().AsTask().GetAwaiter().GetResult();
            _inner.Dispose();
        }
        base.Dispose(disposing);
    }

    private async ValueTask StopAsync()
    {
        _stop.Cancel();
        try { await _pump.ConfigureAwait(false); } catch (Exception) { /* already recorded */ }
        _stop.Dispose();
        _space.Dispose();
    }
}
