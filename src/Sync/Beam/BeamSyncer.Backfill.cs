using BeamSync.Core;
using BeamSync.Db;
using BeamSync.Trie;
using Microsoft.Extensions.Logging;

namespace BeamSync.Sync.Beam;

public sealed partial class BeamSyncer
{
    /// <summary>
    /// Backfill until a walk of the local store from the newest executed root (fetching off) finds nothing absent;
    /// then the node is full: it fetches no more state, a miss is a loud error, and the marker makes a restart full too.
    /// </summary>
    private async Task BackfillLoopAsync(CancellationToken ct)
    {
        try
        {
            while (!ct.IsCancellationRequested)
            {
                var (header, pivotsAtRoot) = await _healer!.RunAsync(ct).ConfigureAwait(false);
                var (absent, visited) = await Task.Run(() => ProveComplete(header.StateRoot), ct).ConfigureAwait(false);
                _log.LogInformation("completeness walk from block {Number}: {Visited} nodes, {Absent} absent", header.Number, visited, absent);
                // Not complete after all (a pivot the walk did not see through): walk the newest root again.
                if (absent > 0) continue;
                // Under the chain lock, so a pivot either came before (and voids this proof) or sees the node full and
                // does not happen: a full node catches up by executing every block from its complete state.
                await _chainLock.WaitAsync(ct).ConfigureAwait(false);
                try
                {
                    if (_healer.Pivots != pivotsAtRoot)
                    {
                        _log.LogInformation("completeness of block {Number} no longer proves the head: a pivot came after it", header.Number);
                        continue;
                    }
                    _full = true;
                    _store.Put(Column.Metadata, FullMarkerKey, header.StateRoot.Bytes);
                }
                finally { _chainLock.Release(); }
                Metrics.Mode = "full";
                Metrics.TimeToFullNodeMs = Metrics.SinceFirstConnectMs();
                Metrics.FinalStateRoot = header.StateRoot.ToString();
                Metrics.FinalStateRootBlock = header.Number;
                Metrics.FinalStateRootBlockHash = header.Hash.ToString();
                Metrics.FinalWalkAbsentNodes = 0;
                Metrics.Backfill = Metrics.Backfill with { Running = false, Complete = true, Fraction = 1, EtaSeconds = 0 };
                _log.LogInformation("beam sync complete: block {Number}, state root {Root}; the node is full", header.Number, header.StateRoot);
                BecameFull?.Invoke();
                return;
            }
        }
        catch (OperationCanceledException) { }
        catch (Exception e)
        {
            _log.LogError(e, "backfill stopped: {Error}", e.Message);
            Metrics.Backfill = Metrics.Backfill with { Running = false, Error = e.Message };
        }
    }

    /// <summary>Starts the background download unless it runs already or the node is full.</summary>
    private void StartBackfill()
    {
        if (_healer is null || _full || _backfillLoop is { IsCompleted: false }) return;
        _backfillLoop = Task.Run(() => BackfillLoopAsync(_cts.Token));
    }

    /// <summary>
    /// The proof: the Trie layer's walker over the local store only, visiting what the completeness marks do not
    /// already vouch for (and marking what it finds complete). <c>beamsync verify-state</c> is the full walk.
    /// </summary>
    public (long Absent, long Visited) ProveComplete(Hash256 root)
    {
        var walker = new MissingNodeWalker(new StoreNodeSource(_store), AccountLeafDescender.Instance, marks: new CompletenessMarks(_store));
        long absent = walker.Walk(root).LongCount();
        return (absent, walker.NodesVisited);
    }
}
