using System.Collections.Concurrent;
using BeamSync.Chain;
using BeamSync.Chain.Building;
using BeamSync.Chain.Execution;
using BeamSync.Chain.Processing;
using BeamSync.Core;
using BeamSync.Core.Specs;
using BeamSync.Core.Types;
using BeamSync.Db;
using BeamSync.Sync.Scheduling;
using BeamSync.Trie;

namespace BeamSync.Sync.Accelerators;

/// <summary>
/// Runs blocks ahead of the executor, on dedicated threads, against the newest executed state: the transactions of
/// one sender stay together and in order (so nonces line up), different senders run in parallel. Every state read a
/// preview makes that is not local becomes a predictive fetch, asked without waiting: the preview goes on with a guess
/// and runs again once what it asked for is local (<see cref="RunPasses"/>; a thread waits between passes, which is why
/// these are dedicated threads). A preview never writes anything and its outcome is thrown away: only what it made
/// local remains. Thread-safe.
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

    /// <summary>Queued work items (sender groups, system calls) not yet started.</summary>
    public int Pending => _work.Count;

    /// <summary>
    /// Previews <paramref name="block"/> on top of the state at <paramref name="stateRoot"/>, one work item per sender
    /// group and one for the block's system calls; the task completes when every item has run (whatever its outcome).
    /// <paramref name="wholeStorageTries"/>: every absent storage trie the block reads is asked whole (see
    /// <see cref="GuessingReads"/>), which costs the bytes of its unread slots now and saves backfill the round trips later.
    /// </summary>
    public Task Preview(Block block, Hash256 stateRoot, bool wholeStorageTries = false)
    {
        var groups = new Dictionary<Address, List<Transaction>>();
        foreach (var tx in block.Transactions)
        {
            if (!tx.TryRecoverSender(out var sender)) continue;
            if (!groups.TryGetValue(sender, out var list)) groups[sender] = list = [];
            list.Add(tx);
        }
        if (_work.IsAddingCompleted) return Task.CompletedTask;
        Fork fork;
        try { fork = _chain.ForkOf(block.Header); }
        catch (ChainDataMissingException) { return Task.CompletedTask; } // a preview is a guess: without its chain data, none
        var items = new List<Action<IExecutionState>>(groups.Count + 1) { state => SystemCalls(block.Header, fork, state) };
        foreach (var (sender, txs) in groups)
            items.Add(state => { foreach (var tx in txs) state.Execute(tx, sender); });
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        int left = items.Count;
        foreach (var item in items)
            _work.Add(() =>
            {
                try { RunPasses(block.Header, fork, stateRoot, item, wholeStorageTries); }
                finally { if (Interlocked.Decrement(ref left) == 0) done.TrySetResult(); }
            });
        return done.Task;
    }

    /// <summary>
    /// The system calls around a block's transactions (EIP-4788 and EIP-2935 before them, EIP-7002 and EIP-7251 after):
    /// they read state too, and no transaction names their contracts, so without this the executor would meet their
    /// reads one round trip at a time.
    /// </summary>
    private void SystemCalls(BlockHeader header, Fork fork, IExecutionState state)
    {
        BlockPhases.BeforeTransactions(header, fork, _chain.Spec, state);
        if (fork < Fork.Prague) return;
        state.SystemCall(SystemContracts.SystemAddress, SystemContracts.WithdrawalRequests, [], SystemContracts.SystemCallGas);
        state.SystemCall(SystemContracts.SystemAddress, SystemContracts.ConsolidationRequests, [], SystemContracts.SystemCallGas);
    }

    /// <summary>
    /// Passes of one work item (a sender group, or the system calls), each optimistic (<see cref="GuessingReads"/>): a
    /// pass goes on with guesses past every absent read and then asks for them all at once; the next starts when those
    /// are local. A block's reads then cost a round trip per step of what depends on what (an account, its storage
    /// root, the slots its code reads), not per read.
    /// </summary>
    private void RunPasses(BlockHeader header, Fork fork, Hash256 stateRoot, Action<IExecutionState> run, bool wholeStorageTries)
    {
        var fetcher = _scheduler.FetcherFor(FetchKinds.Preview, stateRoot);
        for (int pass = 0; pass < MaxPasses && !_cts.IsCancellationRequested; pass++)
        {
            var reads = new GuessingReads(fetcher, _cts.Token, wholeStorageTries);
            try
            {
                var states = new EvmStateFactory(_store, pending => reads.Source(new StoreNodeSource(pending)), reads.Store);
                run(states.Open(stateRoot, header, fork, _chain.Spec, _ => null));
            }
            catch (Exception e) when (e is MissingTrieNodeException or TrieNodeCorruptException or ChainDataMissingException or InvalidOperationException)
            {
                // A preview is a guess: a state it cannot build ends the pass quietly; what it asked for still comes.
            }
            var asked = reads.AskForMisses();
            if (asked.Length == 0) return;
            try
            {
                if (!Task.WhenAll(asked).Wait(_readTimeout, _cts.Token)) return;
            }
            catch (Exception e) when (e is AggregateException or OperationCanceledException)
            {
                return; // a node that did not come (its root left the window, the syncer stops): the guesses stay guesses
            }
        }
    }

    /// <summary>Passes of one work item at most: each follows one more step of what its reads lead to.</summary>
    public const int MaxPasses = 16;

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
