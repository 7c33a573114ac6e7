using BeamSync.Chain;
using BeamSync.Chain.Engine;
using BeamSync.Core;
using BeamSync.Core.Types;
using BeamSync.Db;
using BeamSync.Trie;
using Microsoft.Extensions.Logging;

namespace BeamSync.Sync.Beam;

public sealed partial class BeamSyncer
{
    /// <summary>
    /// The executor, on its own thread (a reader blocked on a missing node holds it): takes the next block once its
    /// body is local, pivots when the lag passes the threshold, executes and verifies the block with state fetched on
    /// demand, and records its stalls.
    /// </summary>
    private void ExecuteLoop()
    {
        var ct = _cts.Token;
        while (!ct.IsCancellationRequested)
        {
            try
            {
                if (!_anchored || _pending.Get(_nextToExecute) is not { Body: not null } next)
                {
                    _pending.WaitForChange(TimeSpan.FromSeconds(1), ct);
                    continue;
                }
                long lag = (long)_latestHeadNumber - (long)next.Header.Number;
                // Never twice without a block executed between, so every pivot makes progress; unless the peers said
                // the block's pre-state is gone: then the block can never execute, and only a newer head can.
                bool preStateGone = lag > 0 && _chain.GetHeader(next.Header.ParentHash) is { } parent && _scheduler.PeersLackRoot(parent.StateRoot);
                if (!_full && (lag > _options.EffectivePivotLag && _executedSincePivot > 0 || preStateGone))
                {
                    Pivot(ct, preStateGone);
                    continue;
                }
                // Let the block's prefetch, preview and witness fetch in parallel what execution would fetch one read at
                // a time. Also for the first block after an anchor: executed at once, its urgent misses wait behind the
                // witness's bulk answers on the serving peer's uplink (docs/BENCHMARKS.md, 2026-12-05). Once its witness's
                // nodes are all asked for, though, the block runs while they stream in, in the order it reads them: its
                // reads join those requests, and prefetch and preview would only wait for the same nodes.
                if (!_full && !next.Accelerated.IsCompleted) WaitForAccelerators(next, ct);
                Execute(next, lag);
            }
            catch (OperationCanceledException) { return; }
            catch (Exception e) when (!ct.IsCancellationRequested)
            {
                _log.LogWarning("executing block {Number} failed: {Error}", _nextToExecute, e.Message);
                _pending.WaitForChange(TimeSpan.FromMilliseconds(200), ct);
            }
        }
    }

    /// <summary>
    /// Until the block's witness nodes are all asked for, or else its accelerators are done, within
    /// <see cref="SyncOptions.AcceleratorWait"/> in all.
    /// </summary>
    private void WaitForAccelerators(PendingBlock next, CancellationToken ct)
    {
        long start = SyncMetrics.Now;
        if (next.Witness is { } witness)
        {
            Task.WaitAny(new Task[] { witness.Listed, next.Accelerated }, (int)_options.AcceleratorWait.TotalMilliseconds, ct);
            if (witness.Listed is { IsCompletedSuccessfully: true, Result: true }) return;
        }
        var left = _options.AcceleratorWait - TimeSpan.FromMilliseconds(SyncMetrics.Ms(start, SyncMetrics.Now));
        if (left > TimeSpan.Zero)
            try { next.Accelerated.Wait(left, ct); } catch (AggregateException) { }
    }

    private void Pivot(CancellationToken ct, bool preStateGone)
    {
        if (preStateGone) _log.LogInformation("the peers no longer serve the state block {Number} runs on: pivoting to head {Head}", _nextToExecute, _latestHeadNumber);
        else _log.LogInformation("lag {Lag} passed {Threshold}: pivoting to head {Head}", _latestHeadNumber - _nextToExecute, _options.EffectivePivotLag, _latestHeadNumber);
        _chainLock.Wait(ct);
        try
        {
            // Backfill may have proved the state complete meanwhile: a full node never skips blocks.
            if (_full) { _log.LogInformation("the node became full: catching up by executing every block instead"); return; }
            AnchorAsync(_latestHead, ct).GetAwaiter().GetResult();
        }
        finally { _chainLock.Release(); }
        RequestBodiesAsync(ct).GetAwaiter().GetResult();
    }

    private void Execute(PendingBlock next, long lag)
    {
        var block = next.Block!;
        var parent = _chain.GetHeader(block.Header.ParentHash)!;
        _scheduler.CurrentRoot = parent.StateRoot;
        // Until the first block is verified every byte of the serving peers' uplinks goes to it.
        _scheduler.BackfillPaused = lag > _options.BackfillPauseLag || Metrics.TimeToFirstVerifiedBlockMs is null;
        Metrics.Executing = block.Number;
        _urgent.Reset();
        Volatile.Write(ref _executingWitness, next.Witness);
        long urgentBefore = Metrics.NodesFetched(FetchKinds.Urgent);
        long start = SyncMetrics.Now;
        MarkFirstBlockStep(block.Number, FirstBlockSteps.ExecutionStart);
        bool payload = IsPayload(block.Hash);
        try
        {
            // Only fork choice moves the head to a payload's block; a head named by hash alone is followed at once, and
            // under the engine API only the chain toward the chosen head (MayTakeHead).
            lock (_executionLock)
            {
                _chain.Import(block, mayTakeHead: !payload && MayTakeHead(block.Header));
                // A reorganization (FollowBranch) may have moved execution to another branch while this block ran: then
                // the block stays executed, but the executor goes on where the move put it.
                if (_pending.Get(block.Number) is { } waiting && waiting.Header.Hash == block.Hash)
                {
                    _nextToExecute = block.Number + 1;
                    _pending.RemoveUpTo(block.Number);
                }
            }
        }
        catch (InvalidBlockException e) when (payload && e.Error is not (BlockError.UnknownParent or BlockError.ParentStateUnavailable))
        {
            // The consensus client's block is wrong: its verdict, and the executor waits for another block at this height.
            _log.LogWarning("payload {Number} {Hash} is invalid: {Error}", block.Number, block.Hash, e.Message);
            _pending.Remove(block.Header);
            SettlePayloads(block.Header, PayloadVerdict.Invalid(block.Header.ParentHash, e.Message), start);
            return;
        }
        catch (MissingTrieNodeException e) when (_full)
        {
            // A full node lacks a node its state needs: a bug or a damaged store. Say so loudly and fetch again.
            _log.LogError("block {Number} {Hash} on state root {Root} (parent {Parent}) lacks {Missing} although the node is full ({Error}); fetching state on demand again",
                block.Number, block.Hash, parent.StateRoot, parent.Number, e.Missing, e.Message);
            _full = false;
            _store.Delete(Column.Metadata, FullMarkerKey);
            // The marks above the hole vouched for it: none of them can be trusted now, so backfill walks everything again.
            new CompletenessMarks(_store).Clear();
            Metrics.Mode = "beam";
            StartBackfill();
            return;
        }
        catch (MissingTrieNodeException e)
        {
            // A node did not come within the read timeout: nothing was written; run the block again.
            _log.LogWarning("block {Number}: {Error}; retrying", block.Number, e.Message);
            _pending.WaitForChange(TimeSpan.FromMilliseconds(500), _cts.Token);
            return;
        }
        catch (InvalidBlockException e) when (e.Error is BlockError.TransactionsRootMismatch or BlockError.WithdrawalsRootMismatch or BlockError.OmmersHashMismatch)
        {
            _log.LogWarning("block {Number}: body does not match its header ({Error}); asking again", block.Number, e.Message);
            next.Body = null;
            next.BodyRequested = false;
            _ = RequestBodiesAsync(_cts.Token);
            return;
        }
        long end = SyncMetrics.Now;
        var record = new BlockSyncRecord(block.Number, lag, _urgent.Stalls, _urgent.StallMs,
            SyncMetrics.Ms(next.AvailableTicks, end), SyncMetrics.Ms(start, end),
            Metrics.NodesFetched(FetchKinds.Urgent) - urgentBefore, (long)block.Header.GasUsed);
        Metrics.BlockExecuted(record);
        if (Metrics.TimeToFirstVerifiedBlockMs is null)
        {
            Metrics.MarkFirstBlockStep(FirstBlockSteps.Verified);
            // Counted before the time is published: a reader that waits for the time read a count of 0 while the store was counted.
            double? firstMs = Metrics.SinceFirstConnectMs();
            Metrics.FirstBlockVerified(firstMs, CountStateNodes());
            // The process's JIT work so far: a cold first block pays for compiling what it runs (ReadyToRun takes most of it away).
            var stats = Metrics.Snapshot();
            _log.LogInformation("first block {Number} verified {Ms:0} ms after the first connect attempt, {Nodes} state nodes local, {Stalls} urgent stalls ({StallMs:0} ms; of them {WitnessWaits} waited for witness nodes in flight, {WitnessWaitMs:0} ms), executed in {ExecMs:0} ms; JIT so far {Methods} methods in {JitMs:0} ms; timeline {Timeline}; so far {RoundTrips} round trips ({Forms}), fetched {Fetched}",
                block.Number, Metrics.TimeToFirstVerifiedBlockMs, Metrics.LocalStateNodesAtFirstBlock, record.Stalls, record.StallMs, _urgent.WitnessWaits, _urgent.WitnessWaitMs, SyncMetrics.Ms(start, end),
                System.Runtime.JitInfo.GetCompiledMethodCount(), System.Runtime.JitInfo.GetCompilationTime().TotalMilliseconds,
                string.Join(", ", stats.FirstBlockTimeline.Select(p => $"{p.Key} {p.Value:0}")),
                stats.RoundTrips, string.Join(" ", stats.RoundTripsByForm.Select(p => $"{p.Key} {p.Value}")),
                string.Join(", ", stats.NodesFetchedByKind.Where(p => p.Value > 0).Select(p => $"{p.Key} {p.Value} nodes {stats.BytesFetchedByKind[p.Key] / 1024} KiB")));
        }
        Metrics.Executed = block.Number;
        Metrics.Executing = null;
        _executedSincePivot++;
        _scheduler.CurrentRoot = block.Header.StateRoot;
        _scheduler.BackfillPaused = (long)_latestHeadNumber - (long)block.Number > _options.BackfillPauseLag;
        _healer?.OnExecuted(block.Header, _options.StateWindow);
        SettlePayloads(block.Header, PayloadVerdict.Valid(block.Hash), start);
        BlockExecuted?.Invoke(block.Header);
    }
}
