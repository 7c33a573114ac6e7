using BeamSync.Core;
using BeamSync.Core.Crypto;
using BeamSync.Db;
using BeamSync.Sync.Peers;
using BeamSync.Trie;

namespace BeamSync.Sync.Scheduling;

public sealed partial class StateScheduler
{
    /// <summary>
    /// What a response proved: verified blobs (and whether each was already local), how many items were wrong, and
    /// whether it was the empty answer of a peer that does not serve the request's root.
    /// </summary>
    private sealed record Delivery(List<(Hash256 Hash, byte[] Bytes, bool IsCode, bool WasLocal)> Verified, int Wrong, bool LacksRoot = false);

    /// <summary>
    /// Sends the request and verifies the answer off the loop (hashing is the expensive part), writes what is verified
    /// into the store in one batch, and only then posts the outcome to the loop, so an asker woken by it finds the bytes
    /// locally.
    /// </summary>
    private async Task RunAsync(StateRequest request, int responseBytes)
    {
        Delivery delivery;
        try
        {
            var ct = _cts.Token;
            delivery = request.Form switch
            {
                RequestForm.ByHash => ByHash(request, await request.Peer.GetNodesByHashAsync(request.Items.ConvertAll(w => w.Hash), ct).ConfigureAwait(false)),
                RequestForm.Code => ByHash(request, await request.Peer.GetByteCodesAsync(request.Items.ConvertAll(w => w.Hash), responseBytes, ct).ConfigureAwait(false)),
                RequestForm.ByKey => await ByKeyAsync(request, responseBytes, ct).ConfigureAwait(false),
                _ => await ByPathAsync(request, responseBytes, ct).ConfigureAwait(false),
            };
            // Disposed meanwhile: the store may be closing.
            if (ct.IsCancellationRequested) return;
            Store(delivery);
        }
        catch (Exception e) when (e is not OperationCanceledException || !_cts.IsCancellationRequested)
        {
            Post(() => OnFailed(request));
            return;
        }
        catch (OperationCanceledException) { return; }
        Post(() => OnDelivered(request, delivery));
    }

    private static Delivery ByHash(StateRequest request, IReadOnlyList<byte[]> blobs)
    {
        var asked = new Dictionary<Hash256, Want>(request.Items.Count);
        foreach (var want in request.Items) asked.TryAdd(want.Hash, want);
        var verified = new List<(Hash256, byte[], bool, bool)>(blobs.Count);
        int wrong = 0;
        foreach (var blob in blobs)
        {
            var hash = Keccak256.Hash(blob);
            if (asked.Remove(hash, out var want)) verified.Add((hash, blob, want.Node.IsCode, false));
            else wrong++;
        }
        return new Delivery(verified, wrong);
    }

    private async Task<Delivery> ByPathAsync(StateRequest request, int responseBytes, CancellationToken ct)
    {
        var plan = PathRequests.Plan(request.Items, _options.KeyPathDepth);
        var blobs = await request.Peer.GetTrieNodesAsync(request.Root, plan.PathSets, responseBytes, ct).ConfigureAwait(false);
        var (verified, wrong) = PathRequests.Verify(plan, blobs);
        // A server with the root answers at least the first path (snap1.md): nothing at all means the root is unknown.
        return new Delivery(verified.ConvertAll(v => (v.Hash, v.Bytes, false, false)), wrong, LacksRoot: blobs.Count == 0);
    }

    /// <summary>A proof that does not verify counts as one wrong item: nothing it covers is stored (of several storage tries, only that account's part).</summary>
    private async Task<Delivery> ByKeyAsync(StateRequest request, int responseBytes, CancellationToken ct)
    {
        var items = request.Items;
        if (request.Priority != FetchPriority.Backfill) responseBytes = Math.Min(responseBytes, _options.PredictiveRangeBytes);
        var answer = StorageTrieRequests.IsWholeTrie(items[0].Node)
            ? await StorageTrieRequests.FetchAsync(request.Peer, items.ConvertAll(w => w.Node), request.Root, responseBytes, ct).ConfigureAwait(false)
            : items.Count > 1
                ? await KeyRequests.FetchSubtriesAsync(request.Peer, _store, items.ConvertAll(w => w.Node), request.Root, responseBytes, ct).ConfigureAwait(false)
                : await KeyRequests.FetchAsync(request.Peer, _store, items[0].Node, request.Root, _options.KeyResponseBytes, responseBytes, ct).ConfigureAwait(false);
        return new Delivery(answer.Nodes.ConvertAll(v => (v.Hash, v.Bytes, false, false)), answer.Wrong ? 1 : 0, answer.LacksRoot);
    }

    private static string FormName(RequestForm form) => form switch
    {
        RequestForm.ByPath => WireForms.Path,
        RequestForm.ByKey => WireForms.Key,
        _ => WireForms.Hash,
    };

    /// <summary>Writes verified blobs in one batch, noting which were already local (a refetch).</summary>
    private void Store(Delivery delivery)
    {
        if (delivery.Verified.Count == 0) return;
        using var batch = _store.StartBatch();
        for (int i = 0; i < delivery.Verified.Count; i++)
        {
            var (hash, bytes, isCode, _) = delivery.Verified[i];
            var column = isCode ? Column.Code : Column.TrieNodes;
            bool wasLocal = _store.Has(column, hash.Bytes);
            delivery.Verified[i] = (hash, bytes, isCode, wasLocal);
            if (!wasLocal) batch.Put(column, hash.Bytes, bytes);
        }
        batch.Commit();
    }

    private void OnDelivered(StateRequest request, Delivery delivery)
    {
        _requests.Remove(request.Id);
        ReleaseUrgent(request);
        _peers.TryGetValue(request.Peer, out var state);
        if (state is not null)
        {
            Release(state, request);
            if (!request.Expired && delivery.Verified.Count > 0) state.Measure(Environment.TickCount64 - request.SentTicks);
            int fresh = 0;
            foreach (var v in delivery.Verified) if (!v.WasLocal) fresh++;
            state.MeasureForm(request.Form, Environment.TickCount64 - request.SentTicks, fresh);
            if (request.Priority == FetchPriority.Backfill && delivery.Wrong == 0 && !delivery.LacksRoot)
            {
                long bytes = 0;
                foreach (var v in delivery.Verified) bytes += v.Bytes.Length;
                state.MeasureBackfillAnswer(bytes);
            }
        }
        // A path or key answer brings nodes below the wanted one that nobody asked for yet: new, not duplicates.
        bool bringsUnasked = request.Form is RequestForm.ByPath or RequestForm.ByKey;
        string form = FormName(request.Form);
        string fallbackKind = request.Items[0].Kind;
        foreach (var (hash, bytes, _, wasLocal) in delivery.Verified)
        {
            _wants.Remove(hash, out var want);
            var arrival = !wasLocal && (want is not null || bringsUnasked) ? NodeArrival.New
                : wasLocal && want is null && bringsUnasked ? NodeArrival.ProofNodeAlreadyLocal
                : NodeArrival.FetchedAgain;
            _metrics.Received(want?.Kind ?? fallbackKind, form, request.Peer.Id, request.Peer.IsBeamSyncing, bytes.Length, arrival);
            if (want is null) continue;
            Complete(want, bytes);
            if (state is not null) state.NodesDelivered++;
        }
        if (request.Form is RequestForm.ByPath or RequestForm.ByKey && !request.Peer.IsBeamSyncing) NoteRootAnswer(request.Peer, request.Root, delivery.LacksRoot);
        // By path, a node that is not the one asked for may be the right node of another root (a reader's root can
        // differ from the request's); only a by-hash answer proves the peer wrong.
        if (delivery.Wrong > 0 && request.Form != RequestForm.ByPath)
        {
            if (state is not null) state.Faults++;
            request.Peer.Penalize(PeerFault.WrongData);
        }
        else if (delivery.Verified.Count == 0 && !request.Peer.IsBeamSyncing && !delivery.LacksRoot)
        {
            // A beam-syncing peer lacks parts of the state by design; anyone else should have had something.
            request.Peer.Penalize(PeerFault.Empty);
        }
        // A read of another key completes with its own answer (the node is on its key's path), not with the other's.
        foreach (var want in request.Items)
            if (want.OtherKey && !want.Done) CompletedFromStore(want);
        // A range over several tries or subtries that the byte limit cut delivered the first ones and never reached the
        // rest: the peer did not fail those, so they go out again at once (at the front, being the oldest), not parked.
        bool cut = request.Form == RequestForm.ByKey && request.Items.Count > 1 && delivery.Wrong == 0 && !delivery.LacksRoot && delivery.Verified.Count > 0;
        Requeue(request, notReached: cut);
    }

    private void OnFailed(StateRequest request)
    {
        _requests.Remove(request.Id);
        ReleaseUrgent(request);
        if (_peers.TryGetValue(request.Peer, out var state))
        {
            Release(state, request);
            state.Faults++;
        }
        request.Peer.Penalize(PeerFault.Failed);
        Requeue(request);
    }

    private static void Release(PeerState state, StateRequest request)
    {
        if (request.Priority == FetchPriority.Backfill) state.BackfillInFlight--;
        else if (request.SingleKey) state.KeyInFlight--;
        else state.InFlight--;
    }

    /// <summary>
    /// What a finished request did not bring goes back to the queue, marked as tried at that peer; unless
    /// <paramref name="notReached"/>: the answer stopped at its byte limit before those items, so they are asked again as they are.
    /// </summary>
    private void Requeue(StateRequest request, bool notReached = false)
    {
        LinkedListNode<Want>? previous = null;
        foreach (var want in request.Items)
        {
            want.InFlight--;
            if (want.Done) continue;
            if (IsGone(want)) { Fail(want); continue; }
            if (notReached)
            {
                if (want.InFlight > 0 || want.QueueEntry is not null || want.Parked) continue;
                var queue = _queues[(int)want.Priority];
                want.QueueEntry = previous?.List == queue ? queue.AddAfter(previous, want) : queue.AddFirst(want);
                previous = want.QueueEntry;
                continue;
            }
            // A by-path or by-key miss is often the root's fault, not the peer's: try that peer by hash before giving up on it.
            if (request.Form is RequestForm.ByPath or RequestForm.ByKey && !want.PathFailed && (request.Peer.Forms & StateForms.ByHash) != 0) want.PathFailed = true;
            else want.Tried.Add(request.Peer);
            if (want.InFlight == 0 && want.QueueEntry is null && !want.Parked) Enqueue(want);
        }
    }
}
