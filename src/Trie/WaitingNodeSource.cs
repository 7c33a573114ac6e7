using BeamSync.Core;
using BeamSync.Core.Crypto;

namespace BeamSync.Trie;

/// <summary>
/// Asked by <see cref="WaitingNodeSource"/> to fetch something absent. Implemented by the sync layer: it returns a
/// task that completes with the bytes once they arrive, joining an in-flight request for the same hash rather than
/// asking twice, and serving <see cref="FetchPriority.Urgent"/> requests first. Thread-safe.
/// </summary>
public interface IMissingNodeFetcher
{
    Task<byte[]> Fetch(MissingNode missing, FetchPriority priority, CancellationToken cancellation);
}

/// <summary>
/// The blocking mode of the seam: reads the local source first and, on a miss, asks the fetcher and blocks the reading
/// thread on the returned task (a completion signal, no polling) until it completes, the timeout passes or the
/// cancellation fires. Whatever the fetcher delivers is checked against the hash before it is returned. A timeout, a
/// cancellation, a failed fetch or bytes that do not match all surface as <see cref="MissingTrieNodeException"/>, so
/// an executor that also handles the abort-and-retry mode recovers the same way. A waiting reader holds its thread:
/// call it from dedicated threads, never from the thread pool that completes the fetches. Thread-safe.
/// </summary>
public sealed class WaitingNodeSource(INodeSource local, IMissingNodeFetcher fetcher, TimeSpan timeout,
    CancellationToken cancellation = default, FetchPriority priority = FetchPriority.Urgent) : INodeSource
{
    public byte[]? GetNode(Hash256 hash, TrieOwner owner, ReadOnlySpan<byte> path, ReadOnlySpan<byte> keyNibbles) =>
        local.GetNode(hash, owner, path, keyNibbles) ?? Wait(MissingNode.ForRead(hash, owner, path, keyNibbles));

    public byte[]? GetCode(Hash256 codeHash) => local.GetCode(codeHash) ?? Wait(MissingNode.Code(codeHash));

    private byte[] Wait(MissingNode missing)
    {
        var task = fetcher.Fetch(missing, priority, cancellation);
        string why;
        try
        {
            if (task.Wait(timeout, cancellation))
            {
                var bytes = task.Result;
                if (Keccak256.Hash(bytes) == missing.Hash) return bytes;
                why = $"the bytes delivered for {missing} do not hash to it";
            }
            else why = $"{missing} did not arrive within {timeout.TotalMilliseconds:0} ms";
        }
        catch (OperationCanceledException) { why = $"fetching {missing} was cancelled"; }
        catch (AggregateException e) when (e.InnerException is OperationCanceledException) { why = $"fetching {missing} was cancelled"; }
        catch (AggregateException e) { why = $"fetching {missing} failed: {e.InnerException?.Message ?? e.Message}"; }
        throw new MissingTrieNodeException(missing, why);
    }
}
