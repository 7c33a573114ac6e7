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
        for (int p = 0; p < _queues.Length; p++)
        {
            var priority = (FetchPriority)p;
            if (priority == FetchPriority.Backfill && _backfillPaused) continue;
            var queue = _queues[p];
            var entry = queue.First;
            while (entry is not null && examined++ < MaxWantsExaminedPerDispatch)
            {
                var want = entry.Value;
                var next = entry.Next;
                var peer = PickPeer(want, priority);
                if (peer is null)
                {
                    if (!AnyPeerHasRoom(priority)) break;
                    Park(want);
                    entry = next;
                    continue;
                }
                var form = ChooseForm(peer.Peer, want);
                Send(peer, form, priority, CollectBatch(peer.Peer, form, want, priority));
                entry = queue.First;
            }
        }
    }

    private bool HasRoom(PeerState state, FetchPriority priority) =>
        state.InFlight < _options.MaxRequestsPerPeer
        && (priority != FetchPriority.Backfill || state.BackfillInFlight < _options.MaxBackfillRequestsPerPeer);

    private bool AnyPeerHasRoom(FetchPriority priority)
    {
        foreach (var state in _peers.Values) if (HasRoom(state, priority)) return true;
        return false;
    }

    /// <summary>The cheapest peer with room that can serve <paramref name="want"/> and has not already failed to.</summary>
    private PeerState? PickPeer(Want want, FetchPriority priority)
    {
        PeerState? best = null;
        double bestCost = double.MaxValue;
        foreach (var state in _peers.Values)
        {
            if (!HasRoom(state, priority) || want.Tried.Contains(state.Peer) || !CanServe(state.Peer, want)) continue;
            double cost = state.RoundTripMs * (1 + state.InFlight) * (1 + 0.5 * state.Faults);
            if (cost < bestCost) { best = state; bestCost = cost; }
        }
        return best;
    }

    private static bool CanServe(ISyncPeer peer, Want want)
    {
        var forms = peer.Forms;
        if (want.Node.IsCode) return (forms & (StateForms.ByHash | StateForms.Code)) != 0;
        if ((forms & StateForms.ByHash) != 0) return true;
        return (forms & StateForms.ByPath) != 0 && want.PathKnown && !want.Root.IsZero;
    }

    /// <summary>
    /// By path when the reader had a key (one round trip brings the whole chain of nodes down to it) or the peer has
    /// nothing else; by hash otherwise (it needs no recent root). Code by hash or GetByteCodes.
    /// </summary>
    private static RequestForm ChooseForm(ISyncPeer peer, Want want)
    {
        var forms = peer.Forms;
        if (want.Node.IsCode) return (forms & StateForms.ByHash) != 0 ? RequestForm.ByHash : RequestForm.Code;
        bool byPath = (forms & StateForms.ByPath) != 0 && want.PathKnown && !want.Root.IsZero;
        if (!byPath || (want.PathFailed && (forms & StateForms.ByHash) != 0)) return RequestForm.ByHash;
        bool keyed = want.Node.Key.Length == Hash256.Size && want.Node.Kind is ReadKind.Account or ReadKind.Storage;
        return keyed || (forms & StateForms.ByHash) == 0 ? RequestForm.ByPath : RequestForm.ByHash;
    }

    /// <summary>
    /// Fills one request for <paramref name="peer"/> in <paramref name="form"/>, starting with <paramref name="first"/>:
    /// more of the same priority, then (for urgent requests) predictive ones, never backfill in a more urgent request
    /// (its answer would grow and delay the reader). Taken wants leave their queue.
    /// </summary>
    private List<Want> CollectBatch(ISyncPeer peer, RequestForm form, Want first, FetchPriority priority)
    {
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
                if (want.Tried.Contains(peer) || !CanServe(peer, want) || ChooseForm(peer, want) != form) continue;
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
        var request = new StateRequest(++_nextRequestId, state.Peer, form, priority, items, items[0].Root);
        foreach (var want in items) want.InFlight++;
        state.InFlight++;
        if (priority == FetchPriority.Backfill) state.BackfillInFlight++;
        _requests[request.Id] = request;
        _metrics.RoundTrip();
        var timeout = TimeSpan.FromMilliseconds(Math.Clamp(state.RoundTripMs * _options.TimeoutRoundTrips,
            _options.MinTimeout.TotalMilliseconds, _options.MaxTimeout.TotalMilliseconds));
        _ = Task.Delay(timeout, _cts.Token).ContinueWith(t => { if (!t.IsCanceled) Post(() => OnDeadline(request)); }, TaskScheduler.Default);
        _ = RunAsync(request, priority == FetchPriority.Backfill ? _options.BackfillResponseBytes : _options.ResponseBytes);
    }

    /// <summary>Past its deadline: what is still missing goes to another peer; the request stays open for a late answer.</summary>
    private void OnDeadline(StateRequest request)
    {
        if (!_requests.ContainsKey(request.Id) || request.Expired) return;
        request.Expired = true;
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
