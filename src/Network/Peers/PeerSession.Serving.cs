using System.Threading.Channels;
using BeamSync.Network.Rlpx;

namespace BeamSync.Network.Peers;

public sealed partial class PeerSession
{
    private readonly Channel<Func<CancellationToken, Task>> _serving;

    /// <summary>
    /// Queues the serving of one of the peer's requests (a store lookup and its response) for the session's serving
    /// worker, which runs them one at a time in arrival order (responses keep the order of requests). The read loop
    /// calls this and goes on reading, so answers to our own requests are never stuck behind a slow store; only when
    /// <see cref="SessionOptions.ServingQueueCapacity"/> requests are waiting does it wait (receive backpressure).
    /// A serving that throws ends the session as if the read loop had thrown.
    /// </summary>
    public ValueTask QueueServingAsync(Func<CancellationToken, Task> serve, CancellationToken ct) => _serving.Writer.WriteAsync(serve, ct);

    private async Task ServeLoopAsync(CancellationToken ct)
    {
        try
        {
            await foreach (var serve in _serving.Reader.ReadAllAsync(ct).ConfigureAwait(false))
                await serve(ct).ConfigureAwait(false);
        }
        catch (Exception) when (ct.IsCancellationRequested) { /* the session is over */ }
        catch (Exception e)
        {
            LastError = e;
            var reason = ReasonFor(e);
            if (reason == DisconnectReason.TcpError) { _pendingReason = reason; _cts.Cancel(); }
            else await DisconnectAsync(reason).ConfigureAwait(false);
        }
    }

    /// <summary>Ends the serving worker: queued requests are dropped with the session.</summary>
    private void StopServing()
    {
        _serving.Writer.TryComplete();
        while (_serving.Reader.TryRead(out _)) { }
    }

    /// <summary>What ending the session for <paramref name="e"/> tells the peer.</summary>
    private static DisconnectReason ReasonFor(Exception e) => e switch
    {
        RlpxException x => x.Reason,
        IOException or System.Net.Sockets.SocketException or ObjectDisposedException => DisconnectReason.TcpError,
        // Anything else a handler throws on hostile input (bad RLP, a decoder's range check, a bad enum) is still the
        // peer's fault from the node's point of view: end this session, keep the node running.
        _ => DisconnectReason.BreachOfProtocol,
    };
}
