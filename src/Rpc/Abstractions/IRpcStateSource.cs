using BeamSync.Core;
using BeamSync.Db;
using BeamSync.Trie;

namespace BeamSync.Rpc;

/// <summary>
/// Opens state for RPC reads. During Beam Sync the returned source fetches a missing node on demand and may block the
/// calling thread until it arrives (the RPC runs such reads on its own worker threads, never on the I/O thread pool);
/// a node that cannot be had within the source's timeout is a <see cref="MissingTrieNodeException"/>, which the RPC
/// reports as an error, never as a zero value. Implementations must be thread-safe.
/// </summary>
public interface IRpcStateSource
{
    INodeSource Open(Hash256 stateRoot);
}

/// <summary>State straight from the local store: a full node's source (absent is absent). Thread-safe.</summary>
public sealed class StoreRpcStateSource(IKeyValueStore store) : IRpcStateSource
{
    private readonly StoreNodeSource _source = new(store);

    public INodeSource Open(Hash256 stateRoot) => _source;
}

/// <summary>
/// State for a beam node: the local store first, and on a miss the sync layer's <paramref name="fetcher"/>, waited on
/// for up to <paramref name="timeout"/> on the RPC worker (a timeout is the "not available" error). Thread-safe.
/// </summary>
public sealed class FetchingRpcStateSource(IKeyValueStore store, IMissingNodeFetcher fetcher, TimeSpan timeout, CancellationToken cancellation = default)
    : IRpcStateSource
{
    private readonly WaitingNodeSource _source = new(new StoreNodeSource(store), fetcher, timeout, cancellation);

    public INodeSource Open(Hash256 stateRoot) => _source;
}
