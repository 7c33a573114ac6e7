using System.Collections.Concurrent;
using BeamSync.Core;
using BeamSync.Core.Types;
using BeamSync.Db;
using BeamSync.Sync.Beam;
using BeamSync.Sync.Scheduling;
using BeamSync.Trie;
using Microsoft.Extensions.Logging;

namespace BeamSync.Sync.Backfill;

/// <summary>
/// The background download of everything no block has read: a depth-first walk of the state trie (accounts in key
/// order, each account's storage trie and code as its leaf is reached) that reads what is local and asks the scheduler
/// for what is not at backfill priority, descending into a node as soon as it arrives (never one level per pass).
/// Each subtrie found complete gets a persistent mark (<see cref="CompletenessMarks"/>) once its last node is stored,
/// and the walk skips marked subtries: the marks are the progress, so a restart, a later pass and the final proof
/// visit only what is not yet known complete. Nodes of an executed root stay valid forever (hash-keyed, never
/// deleted), so the walk keeps a root until the serving peers' window slides past it, then walks the newest executed
/// root: what it shares with the old one is marked already, and what execution wrote is local. Not thread-safe: one
/// walk at a time; <see cref="OnExecuted"/> may be called from the executor thread.
/// </summary>
public sealed class Healer(IKeyValueStore store, StateScheduler scheduler, SyncMetrics metrics, SyncOptions options, ILogger log)
{
    private const int NoParent = SubtrieCompletion.NoParent;
    private readonly CompletenessMarks _marks = new(store);
    private readonly ConcurrentQueue<(Item Item, byte[]? Bytes)> _arrived = new();
    private readonly SemaphoreSlim _signal = new(0, int.MaxValue);
    private volatile BlockHeader? _newestExecuted;
    private volatile bool _slideWanted;
    private ulong _rootNumber;
    private long _nodesStored, _nodesVisited;

    /// <summary>One thing to walk: <see cref="Parent"/> is its parent's entry in the completion of walk number <see cref="Walk"/>.</summary>
    private readonly record struct Item(Hash256 Hash, TrieOwner Owner, byte[] Path, bool IsCode, int Parent, int Walk);

    /// <summary>Walks started so far: a fetch that lands after its walk was dropped for a newer root settles nothing.</summary>
    private int _walk;

    /// <summary>The executor reports each verified block: the newest root to move to, and whether the walked root left the window.</summary>
    public void OnExecuted(BlockHeader header, int window)
    {
        _newestExecuted = header;
        if (_rootNumber != 0 && header.Number >= _rootNumber + (ulong)Math.Max(1, window - 2)) _slideWanted = true;
        _signal.Release();
    }

    /// <summary>Pivots so far; a completeness proof holds for the head only if none came after the proved root was chosen.</summary>
    public int Pivots => Volatile.Read(ref _pivots);

    /// <summary>Marks written by walks of this healer.</summary>
    public long MarksWritten { get; private set; }

    /// <summary>
    /// Walks until a pass over the newest executed root finds nothing absent; returns that root and the pivot count
    /// when it was chosen. Waits for the first executed block before starting.
    /// </summary>
    public async Task<(BlockHeader Header, int PivotsAtRoot)> RunAsync(CancellationToken ct)
    {
        while (_newestExecuted is null) await _signal.WaitAsync(ct).ConfigureAwait(false);
        var started = SyncMetrics.Now;
        while (true)
        {
            var header = _newestExecuted!;
            int pivotsAtRoot = Volatile.Read(ref _pivots);
            _rootNumber = header.Number;
            var (root, fetched) = await WalkAsync(header.StateRoot, started, ct).ConfigureAwait(false);
            var newest = _newestExecuted!;
            // A pass that found everything local proves its root complete, and so every later executed root: their
            // nodes were written by execution or existed at this root. Only a pivot after that root (blocks skipped) breaks that.
            if (Volatile.Read(ref _pivots) == pivotsAtRoot && (newest.StateRoot == root || fetched == 0)) return (newest, pivotsAtRoot);
        }
    }

    /// <summary>The sync pivoted: blocks were skipped, so an earlier complete root no longer proves the newest one.</summary>
    public void OnPivot()
    {
        Interlocked.Increment(ref _pivots);
        _fractionFloor = 0;
    }

    /// <summary>The estimate only moves forward between pivots: arrivals re-enter the walk behind its front, and a later pass re-reads what is local.</summary>
    private double _fractionFloor;

    private int _pivots;

    /// <summary>One pass from <paramref name="root"/>; returns the root it ended on (a slide moves it) and how many nodes and codes it fetched.</summary>
    private async Task<(Hash256 Root, long Fetched)> WalkAsync(Hash256 root, long started, CancellationToken ct)
    {
        long fetched = 0;
        var stack = new Stack<Item>();
        var completion = Start(root, stack);
        int inFlight = 0;
        byte[] position = [];
        long lastReport = SyncMetrics.Now;
        metrics.Backfill = metrics.Backfill with { Running = true, Root = root.ToString() };
        while (stack.Count > 0 || inFlight > 0)
        {
            while (_arrived.TryDequeue(out var done))
            {
                inFlight--;
                if (done.Item.Walk != _walk) continue; // stored by the scheduler; the newer walk finds it local
                if (done.Bytes is null) { stack.Push(done.Item); continue; }
                _nodesStored++;
                Arrived(done.Item, done.Bytes, stack, completion);
            }
            if (_slideWanted && _newestExecuted is { } newest && newest.StateRoot != root)
            {
                // The serving window slid past the walked root: walk the newest one, whose shared subtries are marked.
                _slideWanted = false;
                metrics.WindowSlidesDuringBackfill++;
                log.LogInformation("backfill moves from root {Old} to {New} (block {Number}) at position {Position}", root, newest.StateRoot, newest.Number, string.Concat(position.Select(n => "0123456789abcdef"[n])));
                root = newest.StateRoot;
                _rootNumber = newest.Number;
                stack.Clear();
                completion = Start(root, stack);
                continue;
            }
            if (stack.Count == 0 && inFlight == 0) break; // the last arrivals brought nothing more to walk
            if (stack.Count == 0 || inFlight >= options.BackfillInFlight)
            {
                await _signal.WaitAsync(ct).ConfigureAwait(false);
                continue;
            }
            var item = stack.Pop();
            if (item.Owner.IsAccountTrie && !item.IsCode) position = item.Path;
            if (item.IsCode ? store.Has(Column.Code, item.Hash.Bytes) : completion.Skips(item.Hash))
            {
                completion.SettleWhole(item.Parent, item.Owner.IsAccountTrie && !item.IsCode ? KeySpaceWidth(item.Path.Length) : 0);
                continue;
            }
            var local = item.IsCode ? null : store.Get(Column.TrieNodes, item.Hash.Bytes);
            if (local is not null)
            {
                _nodesVisited++;
                Arrived(item, local, stack, completion);
                continue;
            }
            inFlight++;
            fetched++;
            var missing = item.IsCode ? MissingNode.Code(item.Hash) : MissingNode.Structural(item.Hash, item.Owner, item.Path);
            _ = scheduler.FetchAsync(missing, FetchPriority.Backfill, FetchKinds.Backfill, root).ContinueWith(t =>
            {
                _arrived.Enqueue((item, t.IsCompletedSuccessfully ? t.Result : null));
                _signal.Release();
            }, TaskScheduler.Default);
            if (SyncMetrics.Ms(lastReport, SyncMetrics.Now) > 1000)
            {
                lastReport = SyncMetrics.Now;
                Report(completion.CompletedWeight, started);
            }
        }
        MarksWritten += completion.MarksWritten;
        Report(1, started, complete: true);
        return (root, fetched);
    }

    /// <summary>A fresh completion for a walk from <paramref name="root"/>, its root on the stack.</summary>
    private SubtrieCompletion Start(Hash256 root, Stack<Item> stack)
    {
        _walk++;
        stack.Push(new Item(root, TrieOwner.AccountTrie, [], false, NoParent, _walk));
        return new SubtrieCompletion(_marks, MarkUse.Trust);
    }

    /// <summary>
    /// An item is local now (read or stored): code settles its parent; a node opens its entry, pushes its children
    /// (hash references; inline children are expanded in place) in reverse so the walk goes in key order, and
    /// releases its hold.
    /// </summary>
    private void Arrived(Item item, byte[] bytes, Stack<Item> stack, SubtrieCompletion completion)
    {
        if (item.IsCode)
        {
            completion.Settle(item.Parent, true);
            return;
        }
        var node = NodeDecoder.Decode(item.Hash, bytes);
        int entry = completion.Open(item.Hash, item.Parent, SubtrieCompletion.HasHashChild(node));
        ExpandNode(node, item.Owner, item.Path, entry, stack, completion);
        completion.Settle(entry, true);
    }

    /// <summary>
    /// Opens a node's children to the walk. In the account trie the node also weighs the key space it alone accounts for
    /// (its empty branch slots, the keys an extension skips, a leaf's whole slot with the account's storage and code),
    /// counted done when everything below it is: the weights of a complete subtrie add up to its share of the key space.
    /// </summary>
    private void ExpandNode(Node node, TrieOwner owner, byte[] path, int entry, Stack<Item> stack, SubtrieCompletion completion)
    {
        switch (node)
        {
            case BranchNode branch:
                for (int i = 15; i >= 0; i--)
                {
                    if (branch.Children[i] is { } child) PushChild(child, owner, Nibbles.Concat(path, [(byte)i]), entry, stack, completion);
                    else if (owner.IsAccountTrie) completion.AddWeight(entry, KeySpaceWidth(path.Length + 1));
                }
                break;
            case ExtensionNode ext:
                if (owner.IsAccountTrie) completion.AddWeight(entry, KeySpaceWidth(path.Length) - KeySpaceWidth(path.Length + ext.Path.Length));
                PushChild(ext.Child, owner, Nibbles.Concat(path, ext.Path), entry, stack, completion);
                break;
            case LeafNode leaf when owner.IsAccountTrie:
            {
                completion.AddWeight(entry, KeySpaceWidth(path.Length));
                var key = Nibbles.Concat(path, leaf.Path);
                if (key.Length != 64) break;
                var account = Account.Decode(leaf.Value);
                if (account.CodeHash != Hash256.EmptyKeccak) Push(new Item(account.CodeHash, owner, [], true, entry, _walk), stack, completion);
                if (account.StorageRoot != Hash256.EmptyTrieRoot)
                    Push(new Item(account.StorageRoot, TrieOwner.Storage(new Hash256(Nibbles.ToBytes(key))), [], false, entry, _walk), stack, completion);
                break;
            }
        }
    }

    private void PushChild(Node child, TrieOwner owner, byte[] path, int entry, Stack<Item> stack, SubtrieCompletion completion)
    {
        if (child is HashNode h) Push(new Item(h.Hash, owner, path, false, entry, _walk), stack, completion);
        else ExpandNode(child, owner, path, entry, stack, completion);
    }

    private static void Push(Item item, Stack<Item> stack, SubtrieCompletion completion)
    {
        completion.Expect(item.Parent);
        stack.Push(item);
    }

    /// <param name="doneWeight">
    /// The share of the account key space this walk has found complete (with every account's storage and code there).
    /// Not the walk's position: with thousands of fetches in flight the newest item taken runs far ahead of what is
    /// stored (on a 60,000-node state it read 65% with 2% of the nodes stored).
    /// </param>
    private void Report(double doneWeight, long started, bool complete = false)
    {
        double fraction = complete ? 1 : Math.Max(_fractionFloor, Math.Min(1, doneWeight));
        _fractionFloor = fraction;
        double elapsed = SyncMetrics.Ms(started, SyncMetrics.Now) / 1000;
        double? eta = fraction > 0.01 && !complete ? elapsed * (1 - fraction) / fraction : complete ? 0 : null;
        metrics.Backfill = metrics.Backfill with
        {
            Running = !complete, Complete = complete, Paused = scheduler.BackfillPaused, Fraction = fraction,
            NodesStored = _nodesStored, EtaSeconds = eta,
        };
    }

    /// <summary>The share of the key space under a node <paramref name="depth"/> nibbles deep.</summary>
    public static double KeySpaceWidth(int depth) => Math.Pow(16, -depth);
}
