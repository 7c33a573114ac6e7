using BeamSync.Core;
using BeamSync.Sync.Peers;
using BeamSync.Trie;

namespace BeamSync.Sync.Scheduling;

public sealed partial class StateScheduler
{
    /// <summary>Bounds one dispatch pass, so a long backfill queue of wants nobody can serve never stalls the loop.</summary>
    private const int MaxWantsExaminedPerDispatch = 20_000;

    /// <summary>Hands queued wants to peers with room, most urgent first. Runs on the loop after every batch of events.</summary>
    private void Dispatch()
    {
        int examined = 0;
        bool urgentOut = _queues[(int)FetchPriority.Urgent].Count > 0 || _urgentInFlight > 0;
        for (int p = 0; p < _queues.Length; p++)
        {
            var priority = (FetchPriority)p;
            if (priority == FetchPriority.Backfill && _backfillPaused) continue;
            // A reader waits: what goes out now for later reaches the serving peer's one uplink queue before that reader's
            // next miss does, so nothing less urgent is sent until it has its node; except a few predictive reads of one
            // key (a proof of a kilobyte or two each): stopped whenever the executor waits, the previews of the block it
            // runs would never get further, and it would meet their reads one round trip at a time instead.
            bool besideUrgent = priority != FetchPriority.Urgent && urgentOut;
            if (besideUrgent && priority != FetchPriority.Predictive) break;
            var queue = _queues[p];
            var entry = queue.First;
            while (entry is not null && examined++ < MaxWantsExaminedPerDispatch)
            {
                var want = entry.Value;
                var next = entry.Next;
                var peer = PickPeer(want, priority, out bool onlyBusy);
                if (peer is null)
                {
                    if (!AnyPeerHasRoom(priority)) break;
                    // A peer that can serve it is only busy in that form's slots: it waits in the queue, not parked.
                    if (!onlyBusy) Park(want);
                    entry = next;
                    continue;
                }
                var form = ChooseForm(peer, want);
                if (besideUrgent && (!IsSingleKey(form, want) || peer.KeyInFlight >= _options.MaxKeyReadsBesideUrgent))
                {
                    entry = next;
                    continue;
                }
                Send(peer, form, priority, CollectBatch(peer, form, want, priority));
                entry = queue.First;
            }
        }
    }

    /// <summary>
    /// Room for one more request: reads of a single key have slots of their own (their answers are a path of a few
    /// hundred bytes, so many pipeline without delaying each other); every other form shares the batched slots.
    /// </summary>
    private bool HasRoom(PeerState state, FetchPriority priority, bool singleKey) =>
        priority == FetchPriority.Backfill ? state.BackfillInFlight < BackfillSlots(state)
        : singleKey ? state.KeyInFlight < _options.MaxKeyRequestsPerPeer : state.InFlight < _options.MaxRequestsPerPeer;

    /// <summary>
    /// Backfill requests a peer may have in flight: as many as <see cref="SchedulerOptions.BackfillBytesInFlight"/> holds
    /// answers of the size its backfill answers have had, within the bounds of the options. Backfill has slots of its
    /// own, so urgent and predictive work always finds the batched slots free of it.
    /// </summary>
    private int BackfillSlots(PeerState state) =>
        Math.Clamp((int)(_options.BackfillBytesInFlight / Math.Max(1.0, state.BackfillAnswerBytes)),
            _options.MaxBackfillRequestsPerPeer, Math.Max(_options.MaxBackfillRequestsPerPeer, _options.MaxSmallBackfillRequestsPerPeer));

    /// <summary>A backfill request's byte limit: its share of the backfill bytes in flight.</summary>
    private int BackfillResponseBytes(PeerState state) =>
        Math.Min(_options.BackfillResponseBytes, Math.Max(_options.MinBackfillResponseBytes, _options.BackfillBytesInFlight / BackfillSlots(state)));

    private bool AnyPeerHasRoom(FetchPriority priority)
    {
        foreach (var state in _peers.Values) if (HasRoom(state, priority, false) || HasRoom(state, priority, true)) return true;
        return false;
    }

    private static bool IsSingleKey(RequestForm form, Want want) => form == RequestForm.ByKey && KeyRequests.IsKeyed(want.Node);

    /// <summary>
    /// The cheapest peer with room that can serve <paramref name="want"/> and has not already failed to: cost is what
    /// a node measured in the form that peer would use for it, raised by the peer's load and faults.
    /// </summary>
    private PeerState? PickPeer(Want want, FetchPriority priority, out bool onlyBusy)
    {
        PeerState? best = null;
        double bestCost = double.MaxValue;
        onlyBusy = false;
        foreach (var state in _peers.Values)
        {
            if (want.Tried.Contains(state.Peer) || !CanServe(state.Peer, want)) continue;
            var form = ChooseForm(state, want);
            if (!HasRoom(state, priority, IsSingleKey(form, want))) { onlyBusy = true; continue; }
            double load = 1 + state.InFlight + (double)state.KeyInFlight / Math.Max(1, _options.MaxKeyRequestsPerPeer / _options.MaxRequestsPerPeer)
                + state.BackfillInFlight * state.BackfillAnswerBytes / _options.BackfillResponseBytes;
            double cost = (1 + state.CostPerNode(form)) * load * (1 + 0.5 * state.Faults);
            if (cost < bestCost) { best = state; bestCost = cost; }
        }
        return best;
    }

    private static bool CanServe(ISyncPeer peer, Want want)
    {
        var forms = peer.Forms;
        if (want.Node.IsCode) return (forms & (StateForms.ByHash | StateForms.Code)) != 0;
        if ((forms & StateForms.ByHash) != 0) return true;
        return want.PathKnown && !want.Root.IsZero && (forms & (StateForms.ByPath | StateForms.ByKey)) != 0;
    }

    /// <summary>
    /// Code by hash or GetByteCodes. A node the reader met on the way to a key: by path or by key (either brings the
    /// whole chain down to the key in one round trip), whichever has cost less per node with this peer, by path on a
    /// tie (it batches); by hash once that failed (a reader's root may differ). A node with no key: by hash where the
    /// peer has it (no recent root needed), else by path, else as the range of its subtrie.
    /// </summary>
    private static RequestForm ChooseForm(PeerState state, Want want)
    {
        var forms = state.Peer.Forms;
        bool byHash = (forms & StateForms.ByHash) != 0;
        if (want.Node.IsCode) return byHash ? RequestForm.ByHash : RequestForm.Code;
        bool rooted = want.PathKnown && !want.Root.IsZero;
        bool byPath = (forms & StateForms.ByPath) != 0 && rooted;
        bool byKey = (forms & StateForms.ByKey) != 0 && rooted;
        if ((!byPath && !byKey) || (want.PathFailed && byHash)) return RequestForm.ByHash;
        if (!KeyRequests.IsKeyed(want.Node)) return byHash ? RequestForm.ByHash : byPath ? RequestForm.ByPath : RequestForm.ByKey;
        if (byPath && byKey) return state.CostPerNode(RequestForm.ByKey) < state.CostPerNode(RequestForm.ByPath) ? RequestForm.ByKey : RequestForm.ByPath;
        return byKey ? RequestForm.ByKey : RequestForm.ByPath;
    }

    /// <summary>
    /// Fills one request for <paramref name="peer"/> in <paramref name="form"/>, starting with <paramref name="first"/>:
    /// more of the same priority, then (for urgent requests) predictive ones, never backfill in a more urgent request
    /// (its answer would grow and delay the reader). Taken wants leave their queue.
    /// </summary>
    private List<Want> CollectBatch(PeerState state, RequestForm form, Want first, FetchPriority priority)
    {
        if (form == RequestForm.ByKey) return CollectRangeBatch(state, first, priority);
        var peer = state.Peer;
        var batch = new List<Want>();
        int budget = form switch
        {
            RequestForm.ByHash => _options.MaxHashesPerRequest,
            RequestForm.Code => _options.MaxCodesPerRequest,
            _ => _options.MaxPathsPerRequest,
        };
        Take(first);
        int lowest = priority == FetchPriority.Urgent ? (int)FetchPriority.Predictive : (int)priority;
        for (int p = (int)priority; p <= lowest && budget > 0; p++)
        {
            int scanned = 0;
            var entry = _queues[p].First;
            while (entry is not null && budget > 0 && scanned++ < 4 * _options.MaxHashesPerRequest)
            {
                var want = entry.Value;
                entry = entry.Next;
                if (want.Tried.Contains(peer) || !CanServe(peer, want) || ChooseForm(state, want) != form) continue;
                if (form == RequestForm.ByPath && want.Root != first.Root) continue;
                Take(want);
            }
        }
        return batch;

        void Take(Want want)
        {
            Dequeue(want);
            batch.Add(want);
            budget -= form == RequestForm.ByPath ? PathRequests.PathCount(want.Node, _options.KeyPathDepth) : 1;
        }
    }

    private void Send(PeerState state, RequestForm form, FetchPriority priority, List<Want> items)
    {
        // A read of another key goes out even when the node it met arrived meanwhile: its reader waits for the rest of its own path.
        items.RemoveAll(want => !want.OtherKey && CompletedFromStore(want));
        if (items.Count == 0) return;
        var request = new StateRequest(++_nextRequestId, state.Peer, form, priority, items, items[0].Root) { SingleKey = IsSingleKey(form, items[0]) };
        foreach (var want in items) want.InFlight++;
        if (priority == FetchPriority.Backfill) state.BackfillInFlight++;
        else if (request.SingleKey) state.KeyInFlight++;
        else state.InFlight++;
        if (priority == FetchPriority.Urgent)
        {
            request.HoldsUrgent = true;
            _urgentInFlight++;
        }
        _requests[request.Id] = request;
        _metrics.RoundTrip(FormName(form));
        var timeout = TimeSpan.FromMilliseconds(Math.Clamp(state.RoundTripMs * _options.TimeoutRoundTrips,
            _options.MinTimeout.TotalMilliseconds, _options.MaxTimeout.TotalMilliseconds));
        _ = Task.Delay(timeout, _cts.Token).ContinueWith(t => { if (!t.IsCanceled) Post(() => OnDeadline(request)); }, TaskScheduler.Default);
        int responseBytes = priority == FetchPriority.Backfill ? BackfillResponseBytes(state) : _options.ResponseBytes;
        Track(RunAsync(request, responseBytes));
    }

    /// <summary>An urgent request answered, failed or late: less urgent work may go out again once no other is outstanding.</summary>
    private void ReleaseUrgent(StateRequest request)
    {
        if (!request.HoldsUrgent) return;
        request.HoldsUrgent = false;
        _urgentInFlight--;
    }

    /// <summary>Past its deadline: what is still missing goes to another peer; the request stays open for a late answer.</summary>
    private void OnDeadline(StateRequest request)
    {
        if (!_requests.ContainsKey(request.Id) || request.Expired) return;
        request.Expired = true;
        ReleaseUrgent(request);
        if (_peers.TryGetValue(request.Peer, out var state)) state.Faults++;
        request.Peer.Penalize(PeerFault.Late);
        foreach (var want in request.Items)
        {
            if (want.Done) continue;
            want.Tried.Add(request.Peer);
            if (want.QueueEntry is null && !want.Parked) Enqueue(want);
        }
    }
}
