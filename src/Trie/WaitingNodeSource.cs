using BeamSync.Core;

namespace BeamSync.Trie;

/// <summary>
/// Asked by <see cref="WaitingNodeSource"/> to fetch something absent. Implemented by the sync layer: it must return
/// a task that completes with the bytes (verified or not; the trie checks the hash) once they arrive, joining an
/// in-flight request for the same hash rather than asking twice. Thread-safe.
/// </summary>
public interface IMissingNodeFetcher
{
    Task<byte[]> Fetch(MissingNode missing, CancellationToken cancellation);
}

/// <summary>
/// The blocking mode of the seam: reads the local source first and, on a miss, asks the fetcher and blocks the reading
/// thread on the returned task (a completion signal, no polling) until it completes, the timeout passes or the
/// cancellation fires. A timeout surfaces as <see cref="MissingTrieNodeException"/>, so an executor that also
/// handles the abort-and-retry mode recovers the same way. Thread-safe.
/// </summary>
public sealed class WaitingNodeSource(INodeSource local, IMissingNodeFetcher fetcher, TimeSpan timeout, CancellationToken cancellation = default)
    : INodeSource
{
    public byte[]? GetNode(Hash256 hash, TrieOwner owner, ReadOnlySpan<byte> path) =>
        local.GetNode(hash, owner, path) ?? Wait(new MissingNode(hash, owner, path.ToArray(), IsCode: false));

    public byte[]? GetCode(Hash256 codeHash) =>
        local.GetCode(codeHash) ?? Wait(new MissingNode(codeHash, TrieOwner.AccountTrie, [], IsCode: true));

    private byte[] Wait(MissingNode missing)
    {
        var task = fetcher.Fetch(missing, cancellation);
        try
        {
            if (task.Wait(timeout, cancellation)) return task.Result;
        }
        catch (AggregateException e) when (e.InnerException is not null and not OperationCanceledException)
        {
            throw new MissingTrieNodeException(missing.Hash, missing.Owner, missing.Path, missing.IsCode,
                $"fetching {missing} failed: {e.InnerException.Message}");
        }
        throw new MissingTrieNodeException(missing.Hash, missing.Owner, missing.Path, missing.IsCode,
            $"{missing} did not arrive within {timeout.TotalMilliseconds:0} ms");
    }
}
