using System.Collections.Concurrent;
using System.Threading.Channels;
using BeamSync.Core;
using BeamSync.Db;
using BeamSync.Sync.Peers;
using BeamSync.Trie;

namespace BeamSync.Sync.Scheduling;

/// <summary>
/// The one owner of every outstanding state request, as geth's snap syncer has one loop for its tasks: readers ask
/// for a node or code (<see cref="FetchAsync"/>), and a single loop deduplicates by hash, queues by priority
/// (urgent, predictive, backfill, with promotion), batches to the protocol's limits, spreads requests over peers by
/// their measured round trip and load, re-issues what comes back late or empty to another peer, and completes the
/// askers once the bytes are verified and stored. Nothing unverified is stored. Everything that changes request
/// state runs on the loop: callers and network completions only post to it, so no lock guards the state and nothing
/// polls. Public members are thread-safe.
/// </summary>
public sealed partial class StateScheduler : IAsyncDisposable
{
    private readonly IKeyValueStore _store;
    private readonly SyncMetrics _metrics;
    private readonly SchedulerOptions _options;
    private readonly Channel<Action> _events = Channel.CreateUnbounded<Action>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _cts = new();
    private readonly Task _loop;

    // Owned by the loop.
    private readonly Dictionary<Hash256, Want> _wants = new();
    /// <summary>
    /// Reads of another key through a node already wanted for one key (<see cref="Want.OtherKey"/>), by node and key:
    /// each goes out as a read of its own key, so every reader's path comes in one round trip.
    /// </summary>
    private readonly Dictionary<(Hash256 Node, Hash256 Key), Want> _otherKeys = new();
    private readonly LinkedList<Want>[] _queues = [new(), new(), new()];
    private readonly List<Want> _parked = [];
    private readonly Dictionary<ISyncPeer, PeerState> _peers = new();
    private readonly Dictionary<long, StateRequest> _requests = new();
    /// <summary>Per state root, the peers whose newest answer under it was that they do not serve it.</summary>
    private readonly Dictionary<Hash256, HashSet<ISyncPeer>> _lackingRoot = new();
    /// <summary>Roots every peer that could serve them answered are gone; read from any thread.</summary>
    private readonly ConcurrentDictionary<Hash256, byte> _goneRoots = new();
    private long _nextRequestId;
    private bool _retryScheduled;
    private volatile bool _backfillPaused;
    private Hash256 _currentRoot;
    private int _outstanding;
    /// <summary>Urgent requests on the wire, neither answered nor late.</summary>
    private int _urgentInFlight;

    public StateScheduler(IKeyValueStore store, SyncMetrics metrics, SchedulerOptions? options = null)
    {
        _store = store;
        _metrics = metrics;
        _options = options ?? new SchedulerOptions();
        _loop = Task.Run(LoopAsync);
    }

    /// <summary>The state root by-path requests of executing readers are made under: the pre-state of the block being executed.</summary>
    public Hash256 CurrentRoot
    {
        get { lock (_events) return _currentRoot; }
        set { lock (_events) _currentRoot = value; }
    }

    /// <summary>While set, backfill requests wait (the executing block must not queue behind bulk answers).</summary>
    public bool BackfillPaused
    {
        get => _backfillPaused;
        set { _backfillPaused = value; if (!value) Post(() => { }); }
    }

    /// <summary>A one-line account of the loop's state, for logs and failing tests.</summary>
    public Task<string> DescribeAsync()
    {
        var answer = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        Post(() => answer.TrySetResult(
            $"wants {_wants.Count} (queued {_queues[0].Count}/{_queues[1].Count}/{_queues[2].Count}, parked {_parked.Count}, in flight {_wants.Values.Count(w => w.InFlight > 0)}), " +
            $"requests {_requests.Count}, peers {string.Join(" ", _peers.Values.Select(p => $"{p.Peer.Id}:{p.InFlight}/{p.BackfillInFlight} rtt {p.RoundTripMs:0} faults {p.Faults}"))}, " +
            $"backfill paused {_backfillPaused}; first: {string.Join("; ", _wants.Values.Take(3).Select(w => $"{w.Node} {w.Priority} tried {w.Tried.Count} inflight {w.InFlight} parked {w.Parked} queued {w.QueueEntry is not null}"))}"));
        return answer.Task;
    }

    /// <summary>Wants not yet satisfied (queued, in flight or parked).</summary>
    public int Outstanding => Volatile.Read(ref _outstanding);

    /// <summary>
    /// Whether the peers answered that they no longer serve <paramref name="root"/>: every serving peer's newest answer
    /// under it was the empty answer for an unknown root, and none can fetch by hash (which needs no root). Reads of
    /// that state can then never complete (beam-design.md, "Lag and pivot": pivot to the newest head).
    /// </summary>
    public bool PeersLackRoot(Hash256 root) => _goneRoots.ContainsKey(root);

    public void AddPeer(ISyncPeer peer) => Post(() =>
    {
        // A new peer may serve what the others dropped: gone roots need its answer too.
        _goneRoots.Clear();
        _peers.TryAdd(peer, new PeerState(peer));
        Unpark(clearTried: false);
    });

    public void RemovePeer(ISyncPeer peer) => Post(() =>
    {
        if (_peers.Remove(peer, out var state)) state.Removed = true;
    });

    /// <summary>
    /// Asks for <paramref name="missing"/>: the task completes with its verified bytes once they are stored locally.
    /// <paramref name="root"/> is the state root a by-path request uses (default: <see cref="CurrentRoot"/>).
    /// <paramref name="kind"/> is the counter it is reported under.
    /// </summary>
    public Task<byte[]> FetchAsync(MissingNode missing, FetchPriority priority, string kind, Hash256? root = null, bool pathKnown = true)
    {
        var completion = new TaskCompletionSource<byte[]>(TaskCreationOptions.RunContinuationsAsynchronously);
        var stateRoot = root ?? CurrentRoot;
        Post(() => AddWant(missing, priority, kind, stateRoot, pathKnown, completion));
        return completion.Task;
    }

    /// <summary>A fetch by hash alone (a witness names hashes, not paths): only by-hash peers can serve it.</summary>
    public Task<byte[]> FetchByHashAsync(Hash256 hash, FetchPriority priority, string kind) =>
        FetchAsync(MissingNode.Structural(hash, TrieOwner.AccountTrie, []), priority, kind, default, pathKnown: false);

    /// <summary>
    /// The seam's fetcher for readers whose fetches count as <paramref name="kind"/>, reading the state at
    /// <paramref name="root"/> (by-path requests are made under it; default: <see cref="CurrentRoot"/> at each miss).
    /// </summary>
    public IMissingNodeFetcher FetcherFor(string kind, Hash256? root = null) => new KindFetcher(this, kind, root);

    private sealed class KindFetcher(StateScheduler scheduler, string kind, Hash256? root) : IMissingNodeFetcher
    {
        public Task<byte[]> Fetch(MissingNode missing, FetchPriority priority, CancellationToken cancellation) =>
            scheduler.FetchAsync(missing, priority, kind, root);
    }

    private void Post(Action action)
    {
        if (!_events.Writer.TryWrite(action)) { /* disposed: the askers' own timeouts end their waits */ }
    }

    private async Task LoopAsync()
    {
        var reader = _events.Reader;
        try
        {
            while (await reader.WaitToReadAsync(_cts.Token).ConfigureAwait(false))
            {
                while (reader.TryRead(out var action)) action();
                Dispatch();
                Volatile.Write(ref _outstanding, _wants.Count + _otherKeys.Count);
            }
        }
        catch (OperationCanceledException) { }
    }

    private void AddWant(MissingNode missing, FetchPriority priority, string kind, Hash256 root, bool pathKnown, TaskCompletionSource<byte[]> completion)
    {
        if (_wants.TryGetValue(missing.Hash, out var want))
        {
            if (pathKnown && AddedOtherKey(want, missing, priority, kind, root, completion)) return;
            want.Waiters.Add(completion);
            // A node is one hash under many roots, but a path or key request names one root, and peers that serve no
            // hashes answer only for their newest roots: an asker at least as urgent (so reading a root at least as
            // new: the executing block's, a preview's, or backfill's after its window slid) brings its own.
            if (pathKnown && (!want.PathKnown || priority <= want.Priority && root != want.Root))
            {
                want.PathKnown = true;
                want.Node = missing;
                want.Root = root;
                want.PathFailed = false;
                want.Tried.Clear();
                if (want.Parked && _parked.Remove(want)) { want.Parked = false; Enqueue(want); }
            }
            if (priority < want.Priority)
            {
                want.Priority = priority;
                if (want.QueueEntry is not null) { Dequeue(want); Enqueue(want); }
            }
            return;
        }
        if (priority != FetchPriority.Backfill && _goneRoots.ContainsKey(root) && !AnyPeerServesByHash())
        {
            completion.TrySetException(new StateRootUnavailableException(root));
            return;
        }
        // It may have arrived between the reader's miss and now.
        var local = _store.Get(missing.IsCode ? Column.Code : Column.TrieNodes, missing.Hash.Bytes);
        if (local is not null) { completion.TrySetResult(local); return; }
        want = new Want(missing, priority, kind, root) { PathKnown = pathKnown };
        want.Waiters.Add(completion);
        _wants[missing.Hash] = want;
        Enqueue(want);
    }

    /// <summary>
    /// A reader of one key met a node already wanted for another key under the same root. Every read by key brings the
    /// whole proof from the root down anyway, so joining the want would save no bytes but cost this reader a round trip
    /// per node its key shares with the other (the levels of the account trie the first reads of a block walk
    /// together): its own key is read beside it instead, and it waits for that answer. Not where a peer serves by hash
    /// (there the node alone would come again) nor for backfill.
    /// </summary>
    private bool AddedOtherKey(Want want, MissingNode missing, FetchPriority priority, string kind, Hash256 root, TaskCompletionSource<byte[]> completion)
    {
        if (priority == FetchPriority.Backfill || want.OtherKey || want.Root != root || !KeyRequests.IsKeyed(missing) || !KeyRequests.IsKeyed(want.Node)
            || missing.Key.AsSpan().SequenceEqual(want.Node.Key) || _otherKeys.Count >= MaxOtherKeys || AnyPeerServesByHash()) return false;
        var id = (missing.Hash, new Hash256(missing.Key));
        if (!_otherKeys.TryGetValue(id, out var read))
        {
            read = new Want(missing, priority, kind, root) { OtherKey = true };
            _otherKeys[id] = read;
            Enqueue(read);
        }
        else if (priority < read.Priority)
        {
            read.Priority = priority;
            if (read.QueueEntry is not null) { Dequeue(read); Enqueue(read); }
        }
        read.Waiters.Add(completion);
        return true;
    }

    /// <summary>Reads of other keys waiting at once: a bound on what a flood of readers can queue.</summary>
    private const int MaxOtherKeys = 16_384;

    /// <summary>The want leaves its index (the wants by hash, or the reads of other keys).</summary>
    private void Forget(Want want)
    {
        if (want.OtherKey) _otherKeys.Remove((want.Hash, new Hash256(want.Node.Key)));
        else if (_wants.TryGetValue(want.Hash, out var indexed) && indexed == want) _wants.Remove(want.Hash);
    }

    /// <summary>Keeps the evidence for <see cref="PeersLackRoot"/> from an answer under <paramref name="root"/> by a peer that holds the whole state.</summary>
    private void NoteRootAnswer(ISyncPeer peer, Hash256 root, bool lacksRoot)
    {
        if (!lacksRoot)
        {
            if (_lackingRoot.Remove(root)) _goneRoots.TryRemove(root, out _);
            return;
        }
        if (!_lackingRoot.TryGetValue(root, out var lacking))
        {
            // Roots only ever leave a window; the evidence of old ones is not needed again.
            if (_lackingRoot.Count >= MaxRootsTracked) { _lackingRoot.Clear(); _goneRoots.Clear(); }
            _lackingRoot[root] = lacking = [];
        }
        lacking.Add(peer);
        if (AnyPeerServesByHash()) return;
        foreach (var state in _peers.Values)
            if (!state.Peer.IsBeamSyncing && (state.Peer.Forms & (StateForms.ByKey | StateForms.ByPath)) != 0 && !lacking.Contains(state.Peer)) return;
        if (_goneRoots.TryAdd(root, 0)) FailWantsUnder(root);
    }

    private const int MaxRootsTracked = 256;

    private bool AnyPeerServesByHash()
    {
        foreach (var state in _peers.Values) if ((state.Peer.Forms & StateForms.ByHash) != 0) return true;
        return false;
    }

    /// <summary>
    /// Wants under a gone root wait for what no peer will send: they fail now rather than at their reader's timeout,
    /// so the executor can pivot and backfill can go on under its newer root instead of holding its slots.
    /// </summary>
    private void FailWantsUnder(Hash256 root)
    {
        var failing = new List<Want>();
        foreach (var want in _wants.Values) if (want.Root == root) failing.Add(want);
        foreach (var want in _otherKeys.Values) if (want.Root == root) failing.Add(want);
        foreach (var want in failing) Fail(want);
    }

    private bool IsGone(Want want) => want.PathKnown && _goneRoots.ContainsKey(want.Root) && !AnyPeerServesByHash();

    private void Fail(Want want)
    {
        Forget(want);
        want.Done = true;
        if (want.QueueEntry is not null) Dequeue(want);
        var gone = new StateRootUnavailableException(want.Root);
        foreach (var waiter in want.Waiters) waiter.TrySetException(gone);
    }

    /// <summary>
    /// A want about to go on the wire whose node became local meanwhile (a range answer, a witness or execution wrote
    /// it) completes from the store instead: sent, it would come back as a node fetched twice.
    /// </summary>
    private bool CompletedFromStore(Want want)
    {
        var local = _store.Get(want.Node.IsCode ? Column.Code : Column.TrieNodes, want.Hash.Bytes);
        if (local is null) return false;
        Forget(want);
        Complete(want, local);
        return true;
    }

    /// <summary>The want's node is here (verified): its readers get it and it leaves the queue.</summary>
    private void Complete(Want want, byte[] bytes)
    {
        want.Done = true;
        if (want.QueueEntry is not null) Dequeue(want);
        foreach (var waiter in want.Waiters) waiter.TrySetResult(bytes);
    }

    private void Enqueue(Want want) => want.QueueEntry = _queues[(int)want.Priority].AddLast(want);

    private void Dequeue(Want want)
    {
        want.QueueEntry!.List!.Remove(want.QueueEntry);
        want.QueueEntry = null;
    }

    private void Park(Want want)
    {
        Dequeue(want);
        want.Parked = true;
        _parked.Add(want);
        if (_retryScheduled) return;
        _retryScheduled = true;
        _ = Task.Delay(_options.RetryAfterAllFailed, _cts.Token).ContinueWith(_ => Post(() =>
        {
            _retryScheduled = false;
            Unpark(clearTried: true);
        }), TaskScheduler.Default);
    }

    private void Unpark(bool clearTried)
    {
        foreach (var want in _parked)
        {
            want.Parked = false;
            if (want.Done || want.QueueEntry is not null) continue;
            if (clearTried) want.Tried.Clear();
            Enqueue(want);
        }
        _parked.Clear();
    }

    /// <summary>Requests whose answer may still be verified and written: disposal waits for them (the store closes after it).</summary>
    private readonly HashSet<Task> _running = [];

    private void Track(Task running)
    {
        lock (_running) _running.Add(running);
        running.ContinueWith(t => { lock (_running) _running.Remove(t); }, TaskScheduler.Default);
    }

    public async ValueTask DisposeAsync()
    {
        _events.Writer.TryComplete();
        _cts.Cancel();
        try { await _loop.ConfigureAwait(false); } catch (OperationCanceledException) { }
        Task[] running;
        lock (_running) running = [.. _running];
        try { await Task.WhenAll(running).WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false); } catch (Exception) { /* each ends on the cancellation */ }
        foreach (var want in _wants.Values.Concat(_otherKeys.Values))
            foreach (var waiter in want.Waiters) waiter.TrySetCanceled();
        _cts.Dispose();
    }
}

/// <summary>The peers answered that they no longer serve the state root a read was made under.</summary>
public sealed class StateRootUnavailableException(Hash256 root) : Exception($"the peers no longer serve state root {root}")
{
    public Hash256 Root { get; } = root;
}
