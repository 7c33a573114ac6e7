using System.Collections.Concurrent;
using BeamSync.Chain;
using BeamSync.Chain.Execution;
using BeamSync.Core;
using BeamSync.Core.Types;
using BeamSync.Db;
using BeamSync.Sync.Scheduling;
using BeamSync.Trie;

namespace BeamSync.Sync.Accelerators;

/// <summary>
/// Runs blocks ahead of the executor, on dedicated threads, against the newest executed state: the transactions of
/// one sender stay together and in order (so nonces line up), different senders run in parallel. Every state read a
/// preview makes that is not local becomes a predictive fetch (the preview thread waits for it, which is why these are
/// dedicated threads); a preview never writes anything and its outcome is thrown away: only what it made local
/// remains. Thread-safe.
/// </summary>
public sealed class Previewer : IDisposable
{
    private readonly BlockingCollection<Action> _work = new();
    private readonly List<Thread> _threads = [];
    private readonly Blockchain _chain;
    private readonly IKeyValueStore _store;
    private readonly StateScheduler _scheduler;
    private readonly TimeSpan _readTimeout;
    private readonly CancellationTokenSource _cts = new();

    public Previewer(Blockchain chain, IKeyValueStore store, StateScheduler scheduler, int threads, TimeSpan readTimeout)
    {
        _chain = chain;
        _store = store;
        _scheduler = scheduler;
        _readTimeout = readTimeout;
        for (int i = 0; i < threads; i++)
        {
            var thread = new Thread(Run, Evm.VirtualMachine.RequiredStackSize) { IsBackground = true, Name = $"beam-preview-{i}" };
            thread.Start();
            _threads.Add(thread);
        }
    }

    /// <summary>Queued sender groups not yet started.</summary>
    public int Pending => _work.Count;

    /// <summary>
    /// Previews <paramref name="block"/> on top of the state at <paramref name="stateRoot"/>, one work item per sender
    /// group; the task completes when every group has run (whatever its outcome).
    /// </summary>
    public Task Preview(Block block, Hash256 stateRoot)
    {
        var groups = new Dictionary<Address, List<Transaction>>();
        foreach (var tx in block.Transactions)
        {
            if (!tx.TryRecoverSender(out var sender)) continue;
            if (!groups.TryGetValue(sender, out var list)) groups[sender] = list = [];
            list.Add(tx);
        }
        if (groups.Count == 0 || _work.IsAddingCompleted) return Task.CompletedTask;
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        int left = groups.Count;
        foreach (var (sender, txs) in groups)
            _work.Add(() =>
            {
                try { RunGroup(block.Header, stateRoot, sender, txs); }
                finally { if (Interlocked.Decrement(ref left) == 0) done.TrySetResult(); }
            });
        return done.Task;
    }

    private void RunGroup(BlockHeader header, Hash256 stateRoot, Address sender, List<Transaction> txs)
    {
        try
        {
            var fork = _chain.ForkOf(header);
            var fetcher = _scheduler.FetcherFor(FetchKinds.Preview, stateRoot);
            var states = new EvmStateFactory(_store, pending => new WaitingNodeSource(new StoreNodeSource(pending), fetcher, _readTimeout, _cts.Token, FetchPriority.Predictive));
            var state = states.Open(stateRoot, header, fork, _chain.Spec, _ => null);
            foreach (var tx in txs) state.Execute(tx, sender);
        }
        catch (Exception e) when (e is MissingTrieNodeException or TrieNodeCorruptException or ChainDataMissingException or InvalidOperationException)
        {
            // A preview is a guess: a node that did not come in time or a state it cannot build ends it quietly.
        }
    }

    private void Run()
    {
        try
        {
            foreach (var work in _work.GetConsumingEnumerable(_cts.Token))
            {
                try { work(); }
                catch (Exception) { /* never let a preview take the thread down */ }
            }
        }
        catch (OperationCanceledException) { }
    }

    public void Dispose()
    {
        _work.CompleteAdding();
        _cts.Cancel();
        foreach (var t in _threads) t.Join(TimeSpan.FromSeconds(2));
        _cts.Dispose();
    }
}
