using System.Collections.Concurrent;
using System.Diagnostics;

namespace BeamSync.Sync;

/// <summary>
/// The counters of one beam node's sync, written by the scheduler, the executor and the backfill, read as a
/// <see cref="SyncStats"/> snapshot. Thread-safe: counters are interlocked, the block records are locked.
/// </summary>
public sealed class SyncMetrics
{
    private const int MaxBlockRecords = 4096;
    private readonly ConcurrentDictionary<string, long[]> _byKind = new();
    private readonly ConcurrentDictionary<string, long[]> _byForm = new();
    private readonly ConcurrentDictionary<string, long> _byPeer = new();
    private readonly ConcurrentDictionary<(string Peer, string Form), long[]> _byPeerAndForm = new();
    private readonly ConcurrentDictionary<string, long> _roundTripsByForm = new();
    private readonly ConcurrentDictionary<string, long> _duplicatesBySource = new();
    private readonly List<BlockSyncRecord> _blocks = [];
    private readonly ConcurrentDictionary<string, double> _firstBlockSteps = new();
    private long _fromBeamPeers, _roundTrips, _distinct, _duplicates, _proofNodesAlreadyLocal, _blocksExecuted, _lagSum, _lagMax;
    private long _firstConnectTicks = -1;

    public SyncMetrics()
    {
        foreach (var k in FetchKinds.All) _byKind[k] = new long[2];
        foreach (var f in WireForms.All) _byForm[f] = new long[2];
    }

    /// <summary>The clock every duration is measured on (monotonic).</summary>
    public static long Now => Stopwatch.GetTimestamp();
    public static double Ms(long from, long to) => (to - from) * 1000.0 / Stopwatch.Frequency;

    public string Mode { get; set; } = "idle";
    public ulong Head { get; set; }
    public ulong Executed { get; set; }
    public ulong? Executing { get; set; }
    public ulong? Pivot { get; set; }
    public long LocalStateNodesAtStart { get; set; }
    /// <summary>State nodes local when the first block was verified (0 before).</summary>
    public long LocalStateNodesAtFirstBlock => _firstBlock?.LocalStateNodes ?? 0;
    public double? TimeToFirstVerifiedBlockMs => _firstBlock?.Ms;

    /// <summary>The first verified block's figures, published as one: a reader that sees its time sees its node count.</summary>
    private sealed record FirstBlockFigures(double? Ms, long LocalStateNodes);
    private volatile FirstBlockFigures? _firstBlock;

    /// <summary>The first block was verified <paramref name="ms"/> after the first connect attempt, with <paramref name="localStateNodes"/> local.</summary>
    public void FirstBlockVerified(double? ms, long localStateNodes) => _firstBlock = new FirstBlockFigures(ms, localStateNodes);
    public double? TimeToFullNodeMs { get; set; }
    public int Pivots { get; set; }
    /// <summary>Times the followed head moved to another branch (a producer: side branches it made).</summary>
    public int Reorgs { get; set; }
    public int WindowSlidesDuringBackfill { get; set; }
    public BackfillProgress Backfill { get; set; } = new();
    public string? FinalStateRoot { get; set; }
    public ulong? FinalStateRootBlock { get; set; }
    public string? FinalStateRootBlockHash { get; set; }
    public long? FinalWalkAbsentNodes { get; set; }
    /// <summary>Counts local state nodes on demand (a store query), for snapshots.</summary>
    public Func<long>? LocalStateNodeCounter { get; set; }

    /// <summary>Marks the first TCP connect attempt: every "time to" figure starts here. Only the first call counts.</summary>
    public void MarkFirstConnectAttempt() => Interlocked.CompareExchange(ref _firstConnectTicks, Now, -1);

    /// <summary>Milliseconds since the first connect attempt (or null before it).</summary>
    public double? SinceFirstConnectMs()
    {
        long start = Interlocked.Read(ref _firstConnectTicks);
        return start < 0 ? null : Ms(start, Now);
    }

    /// <summary>
    /// Notes that the way to the first verified block reached <paramref name="step"/> (a <see cref="FirstBlockSteps"/>
    /// value), in ms since the first connect attempt. Only the first time a step is reached counts, and nothing from
    /// the moment the first block is verified: the timeline shows that block's critical path.
    /// </summary>
    public void MarkFirstBlockStep(string step)
    {
        if (TimeToFirstVerifiedBlockMs is null && SinceFirstConnectMs() is { } ms) _firstBlockSteps.TryAdd(step, ms);
    }

    public long DistinctReceived => Interlocked.Read(ref _distinct);

    public void RoundTrip() => Interlocked.Increment(ref _roundTrips);

    /// <summary>A state request sent in <paramref name="form"/> (a <see cref="WireForms"/> value).</summary>
    public void RoundTrip(string form)
    {
        RoundTrip();
        _roundTripsByForm.AddOrUpdate(form, 1, static (_, n) => n + 1);
    }

    /// <summary>A verified node or code arrived, new or not (<see cref="NodeArrival"/>).</summary>
    public void Received(string kind, string form, string peer, bool fromBeamPeer, int bytes, NodeArrival arrival)
    {
        if (arrival == NodeArrival.ProofNodeAlreadyLocal) { Interlocked.Increment(ref _proofNodesAlreadyLocal); return; }
        if (arrival == NodeArrival.FetchedAgain)
        {
            Interlocked.Increment(ref _duplicates);
            _duplicatesBySource.AddOrUpdate(kind, 1, static (_, n) => n + 1);
            return;
        }
        Interlocked.Increment(ref _distinct);
        var k = _byKind.GetOrAdd(kind, _ => new long[2]);
        Interlocked.Increment(ref k[0]);
        Interlocked.Add(ref k[1], bytes);
        var f = _byForm.GetOrAdd(form, _ => new long[2]);
        Interlocked.Increment(ref f[0]);
        Interlocked.Add(ref f[1], bytes);
        _byPeer.AddOrUpdate(peer, 1, (_, n) => n + 1);
        var pf = _byPeerAndForm.GetOrAdd((peer, form), _ => new long[2]);
        Interlocked.Increment(ref pf[0]);
        Interlocked.Add(ref pf[1], bytes);
        if (fromBeamPeer) Interlocked.Increment(ref _fromBeamPeers);
    }

    public long NodesFetched(string kind) => Interlocked.Read(ref _byKind.GetOrAdd(kind, _ => new long[2])[0]);

    public void BlockExecuted(BlockSyncRecord record)
    {
        Interlocked.Increment(ref _blocksExecuted);
        Interlocked.Add(ref _lagSum, record.Lag);
        long max;
        while (record.Lag > (max = Interlocked.Read(ref _lagMax)) && Interlocked.CompareExchange(ref _lagMax, record.Lag, max) != max) { }
        lock (_blocks)
        {
            if (_blocks.Count == MaxBlockRecords) _blocks.RemoveAt(0);
            _blocks.Add(record);
        }
    }

    public SyncStats Snapshot()
    {
        BlockSyncRecord[] blocks;
        lock (_blocks) blocks = _blocks.ToArray();
        long executed = Interlocked.Read(ref _blocksExecuted), distinct = Interlocked.Read(ref _distinct), dup = Interlocked.Read(ref _duplicates);
        long lag = Executing is { } e ? (long)Head - (long)e : (long)Head - (long)Executed;
        var first = _firstBlock;
        return new SyncStats
        {
            Mode = Mode, Head = Head, Executed = Executed, Executing = Executing, Pivot = Pivot, Lag = Math.Max(0, lag),
            LagMean = executed == 0 ? 0 : (double)Interlocked.Read(ref _lagSum) / executed, LagMax = Interlocked.Read(ref _lagMax),
            LocalStateNodesAtStart = LocalStateNodesAtStart, LocalStateNodes = LocalStateNodeCounter?.Invoke() ?? 0,
            LocalStateNodesAtFirstBlock = first?.LocalStateNodes ?? 0,
            TimeToFirstVerifiedBlockMs = first?.Ms, TimeToFullNodeMs = TimeToFullNodeMs,
            BlocksExecuted = executed, Pivots = Pivots, Reorgs = Reorgs, WindowSlidesDuringBackfill = WindowSlidesDuringBackfill,
            NodesFetchedByKind = _byKind.ToDictionary(p => p.Key, p => Interlocked.Read(ref p.Value[0])),
            BytesFetchedByKind = _byKind.ToDictionary(p => p.Key, p => Interlocked.Read(ref p.Value[1])),
            NodesFetchedByForm = _byForm.ToDictionary(p => p.Key, p => Interlocked.Read(ref p.Value[0])),
            BytesFetchedByForm = _byForm.ToDictionary(p => p.Key, p => Interlocked.Read(ref p.Value[1])),
            NodesFetchedByPeer = new Dictionary<string, long>(_byPeer),
            FetchedByPeerAndForm = _byPeerAndForm.GroupBy(p => p.Key.Peer).ToDictionary(g => g.Key,
                g => (IReadOnlyDictionary<string, NodesAndBytes>)g.ToDictionary(p => p.Key.Form, p => new NodesAndBytes(Interlocked.Read(ref p.Value[0]), Interlocked.Read(ref p.Value[1])))),
            ShareFromBeamPeers = distinct == 0 ? 0 : (double)Interlocked.Read(ref _fromBeamPeers) / distinct,
            RoundTrips = Interlocked.Read(ref _roundTrips), RoundTripsByForm = new Dictionary<string, long>(_roundTripsByForm),
            DistinctNodesReceived = distinct, DuplicateNodesReceived = dup, RefetchedFraction = distinct == 0 ? 0 : (double)dup / distinct,
            DuplicateNodesBySource = new Dictionary<string, long>(_duplicatesBySource),
            ProofNodesAlreadyLocal = Interlocked.Read(ref _proofNodesAlreadyLocal),
            Blocks = blocks,
            StallMsPerBlockMean = Mean(blocks, b => b.StallMs), StallMsPerBlockP95 = Percentile(blocks, b => b.StallMs, 0.95),
            AvailableToVerifiedMsMean = Mean(blocks, b => b.AvailableToVerifiedMs),
            AvailableToVerifiedMsP95 = Percentile(blocks, b => b.AvailableToVerifiedMs, 0.95),
            FirstBlockTimeline = _firstBlockSteps.OrderBy(p => p.Value).ToDictionary(p => p.Key, p => p.Value),
            Backfill = Backfill, FinalStateRoot = FinalStateRoot, FinalStateRootBlock = FinalStateRootBlock, FinalStateRootBlockHash = FinalStateRootBlockHash, FinalWalkAbsentNodes = FinalWalkAbsentNodes,
        };
    }

    private static double Mean(BlockSyncRecord[] blocks, Func<BlockSyncRecord, double> f) => blocks.Length == 0 ? 0 : blocks.Average(f);

    /// <summary>Nearest-rank percentile.</summary>
    public static double Percentile(IReadOnlyList<BlockSyncRecord> blocks, Func<BlockSyncRecord, double> f, double p)
    {
        if (blocks.Count == 0) return 0;
        var values = blocks.Select(f).Order().ToArray();
        int rank = (int)Math.Ceiling(p * values.Length) - 1;
        return values[Math.Clamp(rank, 0, values.Length - 1)];
    }
}

/// <summary>How a verified node or code that arrived relates to what was asked and what was local.</summary>
public enum NodeArrival
{
    /// <summary>Not local before: stored now.</summary>
    New,
    /// <summary>Asked for (or answered by hash after it had already arrived) although it was local: fetched twice.</summary>
    FetchedAgain,
    /// <summary>
    /// An upper node of a path or range proof that nobody asked for and that was already local: the wire form brings
    /// it along, so it is no refetch.
    /// </summary>
    ProofNodeAlreadyLocal,
}
