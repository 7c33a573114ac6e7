using BeamSync.Core;
using BeamSync.Db;
using BeamSync.Network.Eth;
using BeamSync.Network.Serving;
using BeamSync.Network.Snap;
using BeamSync.Sync.Scheduling;

namespace BeamSync.Sync.Peers;

/// <summary>
/// A serving node inside this process: trie nodes and code by hash from a store of its own, within the limits a
/// by-hash server keeps on the wire (<see cref="ByHashServing"/>), and, given the state roots it serves, trie nodes
/// by path through the network layer's own snap server (<see cref="StoreSnapServer"/>). Nothing it returns is trusted: the scheduler
/// verifies its answers exactly as it verifies a remote peer's, which is the point (it lets the fixture runner put
/// the whole Sync layer between an executing block and its state). Answers complete on another thread, as a
/// network response would. It keeps what went wrong, so its owner can fail loudly: every penalty the scheduler gave
/// it, and every hash it was asked for and does not hold (a complete serving store holds everything an executing
/// side can lack by hash; by path, a node absent past the end of a key's chain is normal). Thread-safe.
/// </summary>
public sealed class StoreSyncPeer(IKeyValueStore store, string id = "store", RecentStateRoots? roots = null) : ISyncPeer
{
    /// <summary>
    /// Scheduler deadlines for a peer in this process: an answer is never really late, but a loaded machine can hold a
    /// thread for a while, so a late penalty (which its owners treat as a failure) means a lost answer, not a busy CPU.
    /// </summary>
    public static readonly SchedulerOptions InProcessDeadlines = new() { MinTimeout = TimeSpan.FromSeconds(10), MaxTimeout = TimeSpan.FromSeconds(15) };

    private readonly List<string> _problems = [];
    private readonly StoreSnapServer? _snap = roots is null ? null : new StoreSnapServer(store, roots);

    public string Id => id;
    public bool IsBeamSyncing => false;
    public StateForms Forms => _snap is null ? StateForms.ByHash : StateForms.ByHash | StateForms.ByPath;

    /// <summary>What went wrong so far, oldest first: penalties and unserved hashes, one line each.</summary>
    public IReadOnlyList<string> Problems
    {
        get { lock (_problems) return _problems.ToArray(); }
    }

    /// <summary>Raised (on the reporting thread) with each new problem line, so an owner can stop waiting readers at once.</summary>
    public event Action<string>? ProblemFound;

    public Task<IReadOnlyList<byte[]>> GetNodesByHashAsync(IReadOnlyList<Hash256> hashes, CancellationToken ct) =>
        Task.Run<IReadOnlyList<byte[]>>(() => ByHashServing.Collect(hashes, Lookup), ct);

    private byte[]? Lookup(Hash256 hash)
    {
        var value = store.Get(Column.TrieNodes, hash.Bytes) ?? store.Get(Column.Code, hash.Bytes);
        if (value is null) Report($"asked for {hash}, which the serving store does not hold");
        return value;
    }

    public void Penalize(PeerFault fault) => Report($"penalized by the scheduler: {fault}");

    private void Report(string problem)
    {
        lock (_problems) _problems.Add(problem);
        ProblemFound?.Invoke(problem);
    }

    // Only state is served: the fixture runner hands blocks to the executing side itself.
    public Task<IReadOnlyList<byte[]>> GetBlockHeadersAsync(HeadersQuery query, CancellationToken ct) => NotOffered<IReadOnlyList<byte[]>>("headers");
    public Task<IReadOnlyList<byte[]>> GetBlockBodiesAsync(IReadOnlyList<Hash256> blockHashes, CancellationToken ct) => NotOffered<IReadOnlyList<byte[]>>("bodies");
    public Task<IReadOnlyList<byte[]>> GetTrieNodesAsync(Hash256 root, IReadOnlyList<TrieNodePathSet> paths, int responseBytes, CancellationToken ct) =>
        _snap is { } snap
            ? Task.Run(() => snap.GetTrieNodes(root, paths, responseBytes), ct)
            : NotOffered<IReadOnlyList<byte[]>>("trie nodes by path (it was given no state roots)");
    public Task<IReadOnlyList<byte[]>> GetByteCodesAsync(IReadOnlyList<Hash256> codeHashes, int responseBytes, CancellationToken ct) =>
        NotOffered<IReadOnlyList<byte[]>>("snap bytecodes (code comes by hash)");
    public Task<IReadOnlyList<Hash256>> GetWitnessHashesAsync(Hash256 blockHash, CancellationToken ct) => NotOffered<IReadOnlyList<Hash256>>("witnesses");
    public Task<AccountRange> GetAccountRangeAsync(Hash256 root, Hash256 origin, Hash256 limit, int responseBytes, CancellationToken ct) =>
        NotOffered<AccountRange>("account ranges");
    public Task<StorageRanges> GetStorageRangesAsync(Hash256 root, IReadOnlyList<Hash256> accounts, Hash256 origin, Hash256 limit, int responseBytes, CancellationToken ct) =>
        NotOffered<StorageRanges>("storage ranges");

    // A faulted task, as a request the session cannot carry fails.
    private Task<T> NotOffered<T>(string what) => Task.FromException<T>(new NotSupportedException($"{id} does not serve {what}"));
}
