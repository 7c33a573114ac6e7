using System.Diagnostics;
using System.Runtime.CompilerServices;
using BeamSync.Core;
using BeamSync.Core.Crypto;
using BeamSync.Db;
using BeamSync.Network.Eth;
using BeamSync.Network.Snap;
using BeamSync.Sync.Peers;

namespace BeamSync.Sync.Tests;

/// <summary>
/// How a fake peer misbehaves. The range faults touch answers by key only: one that leaves out the requested entry,
/// one that returns no entry with the proof of a present key (a false absence), one far past the byte limit.
/// </summary>
public enum FakeFault { None, WrongBytes, WrongCode, Empty, Late, Silent, OmitsKey, ClaimsAbsent, Oversized }

/// <summary>
/// A peer over a complete store, with latency, reordering (each answer gets its own random delay), drops and faults
/// drawn from a seed, so a failure reproduces with that seed. Serves by hash, by path and by key (through the network
/// layer's own snap server over the same store) and code.
/// </summary>
public sealed class FakePeer : ISyncPeer
{
    private readonly IKeyValueStore _store;
    private readonly StoreSnapServer _snap;
    private readonly Random _random;
    private readonly int _minDelayMs, _maxDelayMs;
    private readonly double _dropRate;
    private readonly FakeFault _fault;
    private readonly Lock _lock = new();
    private readonly IReadOnlyDictionary<Hash256, IReadOnlyCollection<Hash256>>? _witnesses;

    public FakePeer(string id, IKeyValueStore store, RecentStateRoots roots, int seed, StateForms forms = StateForms.ByHash | StateForms.ByPath | StateForms.Code,
        int minDelayMs = 1, int maxDelayMs = 10, double dropRate = 0, FakeFault fault = FakeFault.None, bool beam = false,
        IReadOnlyDictionary<Hash256, IReadOnlyCollection<Hash256>>? witnesses = null)
    {
        _witnesses = witnesses;
        Id = id;
        _store = store;
        _snap = new StoreSnapServer(store, roots);
        _random = new Random(seed);
        Forms = forms;
        _minDelayMs = minDelayMs;
        _maxDelayMs = maxDelayMs;
        _dropRate = dropRate;
        _fault = fault;
        IsBeamSyncing = beam;
    }

    public string Id { get; }
    public bool IsBeamSyncing { get; }
    public StateForms Forms { get; }
    public int Requests;
    public readonly List<PeerFault> Faults = [];
    public int NodesServed;
    /// <summary>How many times each hash was asked for by hash (nodes and code).</summary>
    public readonly System.Collections.Concurrent.ConcurrentDictionary<Hash256, int> AskedByHash = new();
    /// <summary>Accounts named by each GetStorageRanges, and how many GetAccountRange requests came, in arrival order.</summary>
    public readonly List<int> StorageAccountsPerRequest = [];
    public int AccountRangeRequests;
    /// <summary>Requests being answered right now, and the most there were at once.</summary>
    private int _concurrent;
    public int MaxConcurrent;

    public void Penalize(PeerFault fault) { lock (Faults) Faults.Add(fault); }

    /// <summary>Each request's message name, when it came and when it was answered (Stopwatch ticks), in arrival order.</summary>
    public readonly List<(string Message, long Arrived, long Answered)> Timeline = [];

    private async Task<T> Answer<T>(Func<T> serve, Func<T> empty, CancellationToken ct, [CallerMemberName] string message = "")
    {
        Interlocked.Increment(ref Requests);
        long arrived = Stopwatch.GetTimestamp();
        int now = Interlocked.Increment(ref _concurrent);
        try
        {
            int seen;
            while (now > (seen = Volatile.Read(ref MaxConcurrent)) && Interlocked.CompareExchange(ref MaxConcurrent, now, seen) != seen) { }
            return await AnswerAfterDelay(serve, empty, ct);
        }
        finally
        {
            Interlocked.Decrement(ref _concurrent);
            lock (Timeline) Timeline.Add((message, arrived, Stopwatch.GetTimestamp()));
        }
    }

    private async Task<T> AnswerAfterDelay<T>(Func<T> serve, Func<T> empty, CancellationToken ct)
    {
        int delay;
        bool drop;
        lock (_lock) { delay = _random.Next(_minDelayMs, _maxDelayMs + 1); drop = _random.NextDouble() < _dropRate; }
        if (_fault == FakeFault.Late) delay += 5_000;
        if (drop || _fault == FakeFault.Silent)
        {
            await Task.Delay(Timeout.Infinite, ct);
        }
        await Task.Delay(delay, ct);
        return _fault == FakeFault.Empty ? empty() : serve();
    }

    private byte[] Corrupt(byte[] blob)
    {
        var copy = (byte[])blob.Clone();
        copy[^1] ^= 0x5a;
        return copy;
    }

    public Task<IReadOnlyList<byte[]>> GetNodesByHashAsync(IReadOnlyList<Hash256> hashes, CancellationToken ct)
    {
        foreach (var h in hashes) AskedByHash.AddOrUpdate(h, 1, static (_, n) => n + 1);
        return Answer<IReadOnlyList<byte[]>>(() =>
        {
            var result = new List<byte[]>();
            foreach (var h in hashes)
            {
                if (_store.Get(Column.TrieNodes, h.Bytes) is { } node) result.Add(_fault == FakeFault.WrongBytes ? Corrupt(node) : node);
                else if (_store.Get(Column.Code, h.Bytes) is { } code) result.Add(_fault is FakeFault.WrongBytes or FakeFault.WrongCode ? Corrupt(code) : code);
            }
            Interlocked.Add(ref NodesServed, result.Count);
            return result;
        }, () => [], ct);
    }

    public Task<IReadOnlyList<byte[]>> GetTrieNodesAsync(Hash256 root, IReadOnlyList<TrieNodePathSet> paths, int responseBytes, CancellationToken ct) =>
        Answer<IReadOnlyList<byte[]>>(() =>
        {
            var nodes = _snap.GetTrieNodes(root, paths, responseBytes);
            Interlocked.Add(ref NodesServed, nodes.Count);
            return _fault == FakeFault.WrongBytes ? nodes.Select(Corrupt).ToList() : nodes;
        }, () => [], ct);

    public Task<IReadOnlyList<byte[]>> GetByteCodesAsync(IReadOnlyList<Hash256> codeHashes, int responseBytes, CancellationToken ct) =>
        Answer<IReadOnlyList<byte[]>>(() =>
        {
            var codes = _snap.GetByteCodes(codeHashes, responseBytes);
            return _fault is FakeFault.WrongBytes or FakeFault.WrongCode ? codes.Select(Corrupt).ToList() : codes;
        }, () => [], ct);

    public Task<AccountRange> GetAccountRangeAsync(Hash256 root, Hash256 origin, Hash256 limit, int responseBytes, CancellationToken ct) =>
        Answer(() =>
        {
            Interlocked.Increment(ref AccountRangeRequests);
            var range = _fault == FakeFault.Oversized
                ? _snap.GetAccountRange(root, origin, SnapHandler.MaxHash, 1 << 20)
                : _snap.GetAccountRange(root, origin, limit, responseBytes);
            var (entries, proof) = Tamper(range.Accounts, range.Proof, a => a.Hash == origin);
            return new AccountRange(entries, proof);
        }, () => new AccountRange([], []), ct);

    public Task<StorageRanges> GetStorageRangesAsync(Hash256 root, IReadOnlyList<Hash256> accounts, Hash256 origin, Hash256 limit, int responseBytes, CancellationToken ct) =>
        Answer(() =>
        {
            lock (StorageAccountsPerRequest) StorageAccountsPerRequest.Add(accounts.Count);
            var ranges = _fault == FakeFault.Oversized
                ? _snap.GetStorageRanges(root, accounts, origin, SnapHandler.MaxHash, 1 << 20)
                : _snap.GetStorageRanges(root, accounts, origin, limit, responseBytes);
            if (ranges.Slots.Count == 0) return ranges;
            var (slots, proof) = Tamper(ranges.Slots[^1], ranges.Proof, slot => slot.Hash == origin);
            return new StorageRanges([.. ranges.Slots.Take(ranges.Slots.Count - 1), slots], proof);
        }, () => new StorageRanges([], []), ct);

    private (IReadOnlyList<T> Entries, IReadOnlyList<byte[]> Proof) Tamper<T>(IReadOnlyList<T> entries, IReadOnlyList<byte[]> proof, Func<T, bool> isRequested)
    {
        Interlocked.Add(ref NodesServed, proof.Count);
        return _fault switch
        {
            FakeFault.WrongBytes => (entries, proof.Select(Corrupt).ToList()),
            FakeFault.OmitsKey => (entries.Where(e => !isRequested(e)).ToList(), proof),
            FakeFault.ClaimsAbsent => ([], proof),
            _ => (entries, proof),
        };
    }

    /// <summary>Headers by hash (newest first when reversed, following parent hashes) from the same store's block columns.</summary>
    public Task<IReadOnlyList<byte[]>> GetBlockHeadersAsync(HeadersQuery query, CancellationToken ct) =>
        Answer<IReadOnlyList<byte[]>>(() =>
        {
            var headers = new List<byte[]>();
            if (query.StartHash is not { } hash || !query.Reverse || query.Skip != 0) return headers;
            while (headers.Count < (int)query.Limit && _store.Get(Column.Headers, hash.Bytes) is { } rlp)
            {
                headers.Add(rlp);
                var header = Core.Types.BlockHeader.Decode(rlp);
                if (header.Number == 0) break;
                hash = header.ParentHash;
            }
            return headers;
        }, () => [], ct);

    public Task<IReadOnlyList<byte[]>> GetBlockBodiesAsync(IReadOnlyList<Hash256> blockHashes, CancellationToken ct) =>
        Answer<IReadOnlyList<byte[]>>(() =>
        {
            var bodies = new List<byte[]>();
            foreach (var h in blockHashes)
            {
                if (_store.Get(Column.Bodies, h.Bytes) is not { } body) break;
                bodies.Add(body);
            }
            return bodies;
        }, () => [], ct);
    /// <summary>The witness recorded for the block, when the peer was given witnesses (<see cref="StateForms.Witness"/>).</summary>
    public Task<IReadOnlyList<Hash256>> GetWitnessHashesAsync(Hash256 blockHash, CancellationToken ct) =>
        _witnesses is null ? throw new NotSupportedException()
            : Answer<IReadOnlyList<Hash256>>(() => _witnesses.TryGetValue(blockHash, out var hashes) ? [.. hashes] : [], () => [], ct);

    /// <summary>Every value in <paramref name="local"/> hashes to its key: nothing unverified was stored.</summary>
    public static void AssertOnlyVerified(IKeyValueStore local)
    {
        foreach (var column in new[] { Column.TrieNodes, Column.Code })
            foreach (var (key, value) in local.Iterate(column, []))
                Assert.Equal(new Hash256(key), Keccak256.Hash(value));
    }
}
