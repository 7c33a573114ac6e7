using BeamSync.Core;
using BeamSync.Core.Types;
using BeamSync.Network.Eth;
using BeamSync.Sync.Accelerators;
using BeamSync.Sync.Peers;
using BeamSync.Trie;
using Microsoft.Extensions.Logging;

namespace BeamSync.Sync.Beam;

public sealed partial class BeamSyncer
{
    /// <summary>A peer's answer that does not link up or does not decode.</summary>
    private sealed class BadChainDataException(string message) : Exception(message);

    /// <summary>No peer is ready to give a head's headers, body and witness yet.</summary>
    private sealed class NoPeerYetException() : Exception("no peer is ready yet");

    /// <summary>Follows the newest named head; a head that could not be followed yet is tried again on the next event.</summary>
    private async Task HeaderLoopAsync(CancellationToken ct)
    {
        var reader = _heads.Reader;
        try
        {
            while (await reader.WaitToReadAsync(ct).ConfigureAwait(false))
            {
                while (reader.TryRead(out var hash))
                    if (!hash.IsZero) _latestHead = hash;
                if (_latestHead.IsZero) continue;
                try
                {
                    await _chainLock.WaitAsync(ct).ConfigureAwait(false);
                    try
                    {
                        if (!_anchored) await AnchorAsync(_latestHead, ct).ConfigureAwait(false);
                        else await ExtendAsync(_latestHead, ct).ConfigureAwait(false);
                    }
                    finally { _chainLock.Release(); }
                    await RequestBodiesAsync(ct).ConfigureAwait(false);
                }
                catch (Exception e) when (!ct.IsCancellationRequested)
                {
                    _log.LogDebug("following head {Head} failed: {Error}; retrying", _latestHead, e.Message);
                    _ = Task.Delay(500, ct).ContinueWith(_ => _heads.Writer.TryWrite(default), TaskScheduler.Default);
                }
            }
        }
        catch (OperationCanceledException) { }
    }

    /// <summary>
    /// The beam start and every pivot: the head and its ancestors' headers (no state, no bodies but the head's), the
    /// head's parent as the anchor whose state is fetched on demand, the head as the first block to execute.
    /// </summary>
    private async Task AnchorAsync(Hash256 headHash, CancellationToken ct)
    {
        if (!_anchored && TryStartOnLocalParent(headHash)) return;
        // A head named before any peer is ready (a head source can be quicker than the first handshake): its witness and
        // body would be asked of nobody while a peer that turns up meanwhile still gives the headers, and the first block
        // would run with neither. Wait for a peer instead: adding one wakes the header loop.
        if (PeersForChainData().Length == 0) throw new NoPeerYetException();
        // The head's witness needs only its hash: asked for now, its nodes stream in while the anchor's headers come.
        if (_options.Witness && !_full)
            _anchorWitness = (headHash, StartWitnessFetch(headHash, firstBlock: !_anchored && Metrics.TimeToFirstVerifiedBlockMs is null));
        // So is its body: asked beside the headers, it does not queue behind the witness on the peer's uplink.
        var headBody = FirstBodyAsync(headHash, ct);
        var headers = await HeadersDownFromAsync(headHash, (ulong)_options.AnchorAncestors + 1, stopAtStored: false, ct).ConfigureAwait(false);
        if (headers.Count < 2 && headers[0].Number > 0) throw new BadChainDataException("too few headers to anchor on");
        var pivot = headers[0];
        var run = headers.Skip(1).Reverse().ToList();
        _chain.Anchor(run, _spec.TerminalTotalDifficulty ?? UInt256.Zero);
        _chain.InsertHeaders([pivot]);
        _pending.Clear();
        _nextToExecute = pivot.Number;
        _executedSincePivot = 0;
        _scheduler.CurrentRoot = run[^1].StateRoot;
        // Before the pivot count: a reader that sees the count moved sees where to.
        Metrics.Pivot = pivot.Number;
        if (_anchored)
        {
            // A pivot: the new anchor's state is the newest we stand on, so backfill and the completeness proof move to it.
            // (The first anchor waits for its first block: backfill starts only once a block is verified.)
            Metrics.Pivots++;
            _healer?.OnPivot();
            _healer?.OnExecuted(run[^1], _options.StateWindow);
        }
        _anchored = true;
        Metrics.Mode = _full ? "full" : "beam";
        NoteHead(pivot);
        Metrics.MarkFirstBlockStep(FirstBlockSteps.AnchorHeaders);
        _log.LogInformation("anchored at block {Number} {Hash} (state root {Root} absent locally)", run[^1].Number, run[^1].Hash, run[^1].StateRoot);
        AddPending(pivot);
        if (await headBody.ConfigureAwait(false) is { } body && BodyMatches(new Block(pivot, body)))
        {
            OnBlockAvailable(new Block(pivot, body));
            _pending.SetBody(pivot.Hash, body);
        }
    }

    /// <summary>The body of one block from the first peer that gives one, unchecked (no header to check it against yet); null if none does.</summary>
    private async Task<BlockBody?> FirstBodyAsync(Hash256 blockHash, CancellationToken ct)
    {
        foreach (var peer in PeersForChainData())
        {
            try
            {
                var encoded = await AskChainDataAsync(peer, (p, t) => p.GetBlockBodiesAsync([blockHash], t), ct).ConfigureAwait(false);
                if (encoded.Count > 0) return BlockBody.Decode(encoded[0]);
            }
            catch (RlpException) { ChainDataFault(peer, PeerFault.WrongData); }
            catch (Exception) when (!ct.IsCancellationRequested) { }
        }
        return null;
    }

    /// <summary>
    /// Links the new head to the stored chain: headers from it back to a stored one, then the blocks from its newest
    /// executed ancestor up to it queued for execution (<see cref="FollowBranch"/>), on whichever branch that is.
    /// </summary>
    private async Task ExtendAsync(Hash256 headHash, CancellationToken ct)
    {
        if (_chain.GetHeader(headHash) is { } known)
        {
            // Executed already, or an ancestor of what is followed: nothing to run; otherwise a stored block of another branch.
            bool followed = _chain.IsExecuted(headHash) || known.Number < _nextToExecute && _chain.Store.GetCanonicalHash(known.Number) == headHash;
            if (followed || FollowBranch(known)) { NoteHead(known); UsePayloadBody(headHash); return; }
            _log.LogInformation("head {Head} leaves the followed chain below the state we hold; pivoting", headHash);
            await AnchorAsync(headHash, ct).ConfigureAwait(false);
            return;
        }
        // Usually one block further: ask for as many as the gap we know of, and more if that does not link.
        ulong ask = Math.Max(1, _latestHeadNumber >= _nextToExecute ? _latestHeadNumber + 2 - _nextToExecute : 1);
        for (int attempt = 0; attempt < 4; attempt++)
        {
            var headers = await HeadersDownFromAsync(headHash, Math.Min(ask, 1024), stopAtStored: true, ct).ConfigureAwait(false);
            // Asked for more than the gap, the answer runs on past it into stored headers (down to the genesis, whose
            // parent nobody has): it links at the first stored one.
            int stored = headers.FindIndex(h => _chain.GetHeader(h.Hash) is not null);
            if (stored > 0) headers.RemoveRange(stored, headers.Count - stored);
            var oldest = headers[^1];
            if (_chain.GetHeader(oldest.ParentHash) is null)
            {
                if (headers.Count < (int)Math.Min(ask, 1024) || ask >= 1024) break;
                ask *= 4;
                continue;
            }
            headers.Reverse();
            _chain.InsertHeaders(headers);
            if (!FollowBranch(headers[^1])) break;
            NoteHead(headers[^1]);
            return;
        }
        // The new head does not link to state we hold within reach: start over from it.
        _log.LogInformation("head {Head} does not link to the followed chain; pivoting", headHash);
        await AnchorAsync(headHash, ct).ConfigureAwait(false);
    }

    /// <summary>How far below a new head its branch may leave the executed chain; deeper, the node pivots to it instead.</summary>
    private const int MaxReorgDepth = 64;

    /// <summary>
    /// Makes the executor run the blocks from <paramref name="head"/>'s newest executed ancestor (or the followed
    /// pending block it meets first) up to <paramref name="head"/> next. On another branch than the followed one (a
    /// reorganization) the followed branch's waiting blocks are dropped and execution goes on from the fork point. False,
    /// changing nothing, when no executed ancestor is within <see cref="MaxReorgDepth"/> (the branch leaves below the
    /// anchor, whose ancestors have no state here): the caller pivots.
    /// </summary>
    private bool FollowBranch(BlockHeader head)
    {
        var branch = new List<BlockHeader>();
        var cursor = head;
        bool metFollowed = false;
        while (!_chain.IsExecuted(cursor.Hash))
        {
            if (_pending.Get(cursor.Number) is { } waiting && waiting.Header.Hash == cursor.Hash) { metFollowed = true; break; }
            branch.Add(cursor);
            if (branch.Count > MaxReorgDepth || _chain.GetHeader(cursor.ParentHash) is not { } parent) return false;
            cursor = parent;
        }
        branch.Reverse();
        lock (_executionLock)
        {
            // Under the execution lock: a block that finishes meanwhile sees the move and does not advance past it.
            bool reorg = !metFollowed && cursor.Number + 1 != _nextToExecute
                || branch.Exists(h => _pending.Get(h.Number) is { } waiting && waiting.Header.Hash != h.Hash);
            if (!metFollowed) _nextToExecute = cursor.Number + 1;
            _pending.DropAbove(branch.Count > 0 ? branch[0].Number - 1 : head.Number, keepDescendantsOf: head);
            foreach (var header in branch) AddPending(header);
            if (reorg)
            {
                Metrics.Reorgs++;
                _latestHeadNumber = head.Number;
                Metrics.Head = head.Number;
                _log.LogInformation("head {Number} {Hash} is on another branch: executing from block {From} on it", head.Number, head.Hash, cursor.Number + 1);
            }
        }
        return true;
    }

    private void NoteHead(BlockHeader head)
    {
        if (head.Number < _latestHeadNumber) return;
        _latestHeadNumber = head.Number;
        Metrics.Head = head.Number;
        _pending.Signal();
    }

    /// <summary>Headers of a query, newest first when reversed, checked to start at <paramref name="first"/> and to link by parent hash.</summary>
    private async Task<List<BlockHeader>> GetHeadersAsync(HeadersQuery query, Hash256 first, CancellationToken ct)
    {
        Exception? last = null;
        foreach (var peer in PeersForChainData())
        {
            try
            {
                var encoded = await AskChainDataAsync(peer, (p, t) => p.GetBlockHeadersAsync(query, t), ct).ConfigureAwait(false);
                if (encoded.Count == 0) continue;
                var headers = encoded.Select(h => BlockHeader.Decode(h)).ToList();
                if (headers[0].Hash != first) throw new BadChainDataException("headers do not start at the asked hash");
                for (int i = 1; i < headers.Count; i++)
                    if (headers[i - 1].ParentHash != headers[i].Hash || headers[i - 1].Number != headers[i].Number + 1)
                        throw new BadChainDataException("headers do not link by parent hash");
                return headers;
            }
            catch (Exception e) when (e is BadChainDataException or RlpException)
            {
                ChainDataFault(peer, PeerFault.WrongData);
                last = e;
            }
            catch (Exception e) when (!ct.IsCancellationRequested)
            {
                last = e;
            }
        }
        throw new InvalidOperationException($"no peer gave the headers from {first}" + (last is null ? "" : $": {last.Message}"), last);
    }

    /// <summary>Asks for the bodies of every pending block that lacks one; a body must match its header's roots.</summary>
    private async Task RequestBodiesAsync(CancellationToken ct)
    {
        var wanted = _pending.TakeBodiesToRequest();
        if (wanted.Count == 0) return;
        foreach (var peer in PeersForChainData())
        {
            try
            {
                var hashes = wanted.ConvertAll(b => b.Header.Hash);
                var encoded = await AskChainDataAsync(peer, (p, t) => p.GetBlockBodiesAsync(hashes, t), ct).ConfigureAwait(false);
                for (int i = 0; i < encoded.Count && i < wanted.Count; i++)
                {
                    var body = BlockBody.Decode(encoded[i]);
                    var block = new Block(wanted[i].Header, body);
                    if (!BodyMatches(block)) { ChainDataFault(peer, PeerFault.WrongData); break; }
                    // Its accelerators first: the executor takes a block once its body is set, and waits for what they fetch.
                    OnBlockAvailable(block);
                    _pending.SetBody(block.Hash, body);
                }
                wanted = wanted.Where(b => _pending.Get(b.Header.Number)?.Body is null).ToList();
                if (wanted.Count == 0) return;
            }
            catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                if (e is RlpException) ChainDataFault(peer, PeerFault.WrongData);
            }
        }
        foreach (var b in wanted) _pending.BodyRequestFailed(b);
        throw new InvalidOperationException($"no peer gave the bodies of {wanted.Count} blocks");
    }

    private static bool BodyMatches(Block block) =>
        BeamSync.Chain.Validation.OrderedTrie.TransactionsRoot(block.Transactions) == block.Header.TransactionsRoot;

    /// <summary>A header became known: its witness can be asked for before its body arrives.</summary>
    private void OnHeaderKnown(BlockHeader header)
    {
        if (!_options.Witness || _full) return;
        var fetch = _anchorWitness is { } early && early.Hash == header.Hash ? early.Fetch : StartWitnessFetch(header.Hash, IsFirstBlock(header.Number));
        if (_pending.Get(header.Number) is { } pending && pending.Header.Hash == header.Hash) pending.Witness = fetch;
    }

    /// <summary>The witness fetch started with the latest anchor, before its headers were known.</summary>
    private (Hash256 Hash, WitnessFetch Fetch)? _anchorWitness;

    private WitnessFetch StartWitnessFetch(Hash256 blockHash, bool firstBlock)
    {
        var witness = new WitnessFetch();
        witness.Local = FetchWitnessAsync(blockHash, firstBlock, witness, _cts.Token);
        return witness;
    }

    /// <summary>
    /// Asks a witness peer for the block's node hashes and fetches the absent ones in bulk, in the witness's order
    /// (the order the block reads them): the block may execute once they are all asked for (<see cref="WitnessFetch.Listed"/>);
    /// completes when they are local. <paramref name="firstBlock"/>: its steps go into the first-block timeline.
    /// </summary>
    private async Task FetchWitnessAsync(Hash256 blockHash, bool firstBlock, WitnessFetch witness, CancellationToken ct)
    {
        try
        {
            foreach (var peer in WitnessPeers())
            {
                try
                {
                    var hashes = await peer.GetWitnessHashesAsync(blockHash, ct).ConfigureAwait(false);
                    if (hashes.Count == 0) continue;
                    if (firstBlock) Metrics.MarkFirstBlockStep(FirstBlockSteps.WitnessHashes);
                    var fetches = new List<Task>();
                    foreach (var hash in hashes)
                    {
                        if (_store.Get(Db.Column.TrieNodes, hash.Bytes) is not { } local) fetches.Add(FetchWitnessNodeAsync(witness, hash));
                        else if (FetchCodeOfAccountLeaf(witness, hash, local) is { } code) fetches.Add(code);
                    }
                    // After the posts above: a read of the executing block that misses one of them joins its request.
                    witness.MarkListed(hashes);
                    await Task.WhenAll(fetches).ConfigureAwait(false);
                    if (firstBlock) Metrics.MarkFirstBlockStep(FirstBlockSteps.WitnessLocal);
                    return;
                }
                catch (Exception) when (!ct.IsCancellationRequested) { }
            }
        }
        finally { witness.MarkNotListed(); }
    }

    /// <summary>One node of a witness, and the code it names when it is the leaf of a contract's account (the witness names no code).</summary>
    private async Task FetchWitnessNodeAsync(WitnessFetch witness, Hash256 hash)
    {
        var rlp = await _scheduler.FetchByHashAsync(hash, FetchPriority.Predictive, FetchKinds.Witness).ConfigureAwait(false);
        if (FetchCodeOfAccountLeaf(witness, hash, rlp) is { } code) await code.ConfigureAwait(false);
    }

    /// <summary>
    /// The fetch of the code an account leaf names, when absent: asked as the leaf arrives, in the witness's order, it is
    /// local before execution reaches the call (a code miss while executing waits behind the witness's bulk answers).
    /// </summary>
    private Task? FetchCodeOfAccountLeaf(WitnessFetch witness, Hash256 hash, byte[] rlp)
    {
        if (!AccountLeaves.TryCodeHash(hash, rlp, out var codeHash) || _store.Has(Db.Column.Code, codeHash.Bytes)) return null;
        witness.NameCode(codeHash);
        return _scheduler.FetchAsync(MissingNode.Code(codeHash), FetchPriority.Predictive, FetchKinds.Witness);
    }

    /// <summary>
    /// Whether the executing block's read of <paramref name="missing"/> waits for a node its witness fetch asked for
    /// already (a witness wait, not a miss of its own). Before a code miss, the code named by the witness's leaves that
    /// arrived is asked for first, so the read joins that fetch rather than racing the leaf's own continuation to it.
    /// </summary>
    private bool InExecutingWitness(MissingNode missing)
    {
        if (Volatile.Read(ref _executingWitness) is not { } witness) return false;
        if (missing.IsCode)
            foreach (var (hash, rlp) in witness.TakeLocalPrefix(_store)) FetchCodeOfAccountLeaf(witness, hash, rlp);
        return witness.Names(missing);
    }

    /// <summary>The witness fetch of the block being executed (null without one).</summary>
    private WitnessFetch? _executingWitness;

    /// <summary>
    /// Peers that serve witnesses of blocks they executed themselves (a beam-syncing peer's may lack nodes), while some
    /// peer serves nodes by hash. A witness names its nodes by hash alone: with no such peer they could only wait,
    /// parked, while the block, counting on the witness instead of prefetch and preview, executed one miss at a time
    /// (a wit/0 peer whose eth session went past eth/66 took 10 s to a first block that way).
    /// </summary>
    private ISyncPeer[] WitnessPeers()
    {
        if (!_options.Witness) return [];
        lock (_peers)
            return _peers.Any(p => (p.Forms & StateForms.ByHash) != 0)
                ? _peers.Where(p => (p.Forms & StateForms.Witness) != 0 && !p.IsBeamSyncing).ToArray()
                : [];
    }

    private bool HasWitnessPeer() => WitnessPeers().Length > 0;

    /// <summary>A block's header and body are local: warm what it surely touches and preview it.</summary>
    private void OnBlockAvailable(Block block)
    {
        if (_full) return;
        MarkFirstBlockStep(block.Number, FirstBlockSteps.Body);
        var pending = _pending.Get(block.Number) is { } p && p.Header.Hash == block.Hash ? p : null;
        // A witness whose nodes are all asked for names everything the block reads: prefetch and preview would ask for
        // the same nodes again and take the cores the block executes on while they stream in.
        bool witnessListed = pending?.Witness is { Listed.IsCompletedSuccessfully: true } witnessFetch && witnessFetch.Listed.Result;
        // Without a witness the storage a call reads is known only by running it: the preview does, and asks the storage
        // tries it reads whole (one range each, cut at the byte limit for a big one: GuessingReads); only without a
        // preview does prefetch bring them whole, level by level (a touched 10,000-slot trie too: 400 KB that the next
        // blocks' reads queue behind on the serving peer's uplink).
        bool wholeStorage = !HasWitnessPeer() && _previewer is null;
        var accelerated = witnessListed ? Task.CompletedTask : _accelerators.Run(Start);
        if (pending is not null)
            pending.Accelerated = pending.Witness is { } witness ? Task.WhenAll(accelerated, witness.Local) : accelerated;

        Task Start()
        {
            var root = _scheduler.CurrentRoot;
            var work = new List<Task>(2);
            if (_options.Prefetch) work.Add(Marked(Task.Run(() => _warmer.WarmAsync(root, KeyWarmer.TouchedBy(block), FetchKinds.Prefetch, wholeStorage)), FirstBlockSteps.PrefetchDone));
            // The first block asks only what it reads (its time is the one the node is waiting for); later ones ask the
            // storage tries they read whole, so backfill against range-only peers does not fetch them gap by gap.
            if (_previewer is not null)
                work.Add(Marked(_previewer.Preview(block, root, wholeStorageTries: Metrics.TimeToFirstVerifiedBlockMs is not null), FirstBlockSteps.PreviewDone));
            return Task.WhenAll(work);
        }

        Task Marked(Task accelerator, string step) =>
            accelerator.ContinueWith(_ => MarkFirstBlockStep(block.Number, step), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }
}
