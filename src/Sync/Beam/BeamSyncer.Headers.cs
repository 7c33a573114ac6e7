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
        var headers = await GetHeadersAsync(HeadersQuery.ByHash(headHash, (ulong)_options.AnchorAncestors + 1, 0, reverse: true), headHash, ct).ConfigureAwait(false);
        if (headers.Count < 2 && headers[0].Number > 0) throw new BadChainDataException("too few headers to anchor on");
        var pivot = headers[0];
        var run = headers.Skip(1).Reverse().ToList();
        _chain.Anchor(run, _spec.TerminalTotalDifficulty ?? UInt256.Zero);
        _chain.InsertHeaders([pivot]);
        _pending.Clear();
        _pending.Add(pivot);
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
        _log.LogInformation("anchored at block {Number} {Hash} (state root {Root} absent locally)", run[^1].Number, run[^1].Hash, run[^1].StateRoot);
        OnHeaderKnown(pivot);
    }

    /// <summary>Links the new head to the stored chain: headers from it back to a stored one, then queued for execution.</summary>
    private async Task ExtendAsync(Hash256 headHash, CancellationToken ct)
    {
        if (_chain.GetHeader(headHash) is { } known) { NoteHead(known); return; }
        // Usually one block further: ask for as many as the gap we know of, and more if that does not link.
        ulong ask = Math.Max(1, _latestHeadNumber >= _nextToExecute ? _latestHeadNumber + 2 - _nextToExecute : 1);
        for (int attempt = 0; attempt < 4; attempt++)
        {
            var headers = await GetHeadersAsync(HeadersQuery.ByHash(headHash, Math.Min(ask, 1024), 0, reverse: true), headHash, ct).ConfigureAwait(false);
            var oldest = headers[^1];
            if (_chain.GetHeader(oldest.ParentHash) is null)
            {
                if (headers.Count < (int)Math.Min(ask, 1024) || ask >= 1024) break;
                ask *= 4;
                continue;
            }
            headers.Reverse();
            _chain.InsertHeaders(headers);
            foreach (var h in headers)
                if (h.Number >= _nextToExecute) { _pending.Add(h); OnHeaderKnown(h); }
            NoteHead(headers[^1]);
            return;
        }
        // The new head does not link to what we follow within reach: start over from it.
        _log.LogInformation("head {Head} does not link to the followed chain; pivoting", headHash);
        await AnchorAsync(headHash, ct).ConfigureAwait(false);
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
                    _pending.SetBody(block.Hash, body);
                    OnBlockAvailable(block);
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
        var fetch = FetchWitnessAsync(header.Hash, _cts.Token);
        if (_pending.Get(header.Number) is { } pending && pending.Header.Hash == header.Hash) pending.Witness = fetch;
    }

    /// <summary>Asks a witness peer for the block's node hashes and fetches the absent ones in bulk; completes when they are local.</summary>
    private async Task FetchWitnessAsync(Hash256 blockHash, CancellationToken ct)
    {
        ISyncPeer[] peers;
        lock (_peers) peers = _peers.Where(p => (p.Forms & StateForms.Witness) != 0 && !p.IsBeamSyncing).ToArray();
        foreach (var peer in peers)
        {
            try
            {
                var hashes = await peer.GetWitnessHashesAsync(blockHash, ct).ConfigureAwait(false);
                if (hashes.Count == 0) continue;
                var fetches = new List<Task>();
                foreach (var hash in hashes)
                    if (!_store.Has(Db.Column.TrieNodes, hash.Bytes))
                        fetches.Add(_scheduler.FetchByHashAsync(hash, FetchPriority.Predictive, FetchKinds.Witness));
                await Task.WhenAll(fetches).ConfigureAwait(false);
                return;
            }
            catch (Exception) when (!ct.IsCancellationRequested) { }
        }
    }

    /// <summary>A block's header and body are local: warm what it surely touches and preview it.</summary>
    private void OnBlockAvailable(Block block)
    {
        if (_full) return;
        var root = _scheduler.CurrentRoot;
        var work = new List<Task>(2);
        if (_options.Prefetch) work.Add(Task.Run(() => _warmer.WarmAsync(root, KeyWarmer.TouchedBy(block), FetchKinds.Prefetch)));
        if (_previewer is not null) work.Add(_previewer.Preview(block, root));
        if (_pending.Get(block.Number) is { } pending && pending.Header.Hash == block.Hash)
        {
            work.Add(pending.Witness);
            pending.Accelerated = Task.WhenAll(work);
        }
    }
}
