using System.Buffers.Binary;
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
/// Nodes of an executed root stay valid forever (hash-keyed, never deleted), so the walk keeps a root until the
/// serving peers' window slides past it, then moves to the newest executed root at the same key position: every node
/// of the new root before that position either existed under the old root (fetched already) or was written by
/// execution. Progress (root and position) persists in the metadata column, so a restart resumes. Not thread-safe:
/// one walk at a time; <see cref="OnExecuted"/> may be called from the executor thread.
/// </summary>
public sealed class Healer(IKeyValueStore store, StateScheduler scheduler, SyncMetrics metrics, SyncOptions options, ILogger log)
{
    private static readonly byte[] ProgressKey = "beam-backfill"u8.ToArray();
    private readonly ConcurrentQueue<(Item Item, byte[]? Bytes, int Walk)> _arrived = new();
    /// <summary>Counts the roots walked: a fetch that failed under an earlier one is not asked again (the newer walk covers it).</summary>
    private int _walk;
    private readonly SemaphoreSlim _signal = new(0, int.MaxValue);
    private volatile BlockHeader? _newestExecuted;
    private volatile bool _slideWanted;
    private ulong _rootNumber;
    private long _nodesStored, _nodesVisited;

    private readonly record struct Item(Hash256 Hash, TrieOwner Owner, byte[] Path, bool IsCode);

    /// <summary>The executor reports each verified block: the newest root to move to, and whether the walked root left the window.</summary>
    public void OnExecuted(BlockHeader header, int window)
    {
        _newestExecuted = header;
        if (_rootNumber != 0 && header.Number >= _rootNumber + (ulong)Math.Max(1, window - 2)) _slideWanted = true;
        _signal.Release();
    }

    /// <summary>Pivots so far; a completeness proof holds for the head only if none came after the proved root was chosen.</summary>
    public int Pivots => Volatile.Read(ref _pivots);

    /// <summary>
    /// Walks until a pass over the newest executed root finds nothing absent; returns that root and the pivot count
    /// when it was chosen. Waits for the first executed block before starting.
    /// </summary>
    public async Task<(BlockHeader Header, int PivotsAtRoot)> RunAsync(CancellationToken ct)
    {
        while (_newestExecuted is null) await _signal.WaitAsync(ct).ConfigureAwait(false);
        var (root, position) = LoadProgress();
        // A root taken over from before a restart cannot vouch for later roots: pivots since are unknown.
        int pivotsAtRoot = root.IsZero ? Volatile.Read(ref _pivots) : -1;
        var started = SyncMetrics.Now;
        while (true)
        {
            if (root.IsZero)
            {
                var header = _newestExecuted!;
                (root, _rootNumber, pivotsAtRoot) = (header.StateRoot, header.Number, Volatile.Read(ref _pivots));
            }
            long fetched = await WalkAsync(root, position, started, ct).ConfigureAwait(false);
            var newest = _newestExecuted!;
            // A pass that found everything local proves its root complete, and so every later executed root: their
            // nodes were written by execution or existed at this root. Only a pivot after that root (blocks skipped) breaks that.
            if (Volatile.Read(ref _pivots) == pivotsAtRoot && (newest.StateRoot == root || fetched == 0)) return (newest, pivotsAtRoot);
            (root, position) = (default, []);
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

    /// <summary>One pass over <paramref name="root"/>; returns how many nodes and codes it had to fetch.</summary>
    private async Task<long> WalkAsync(Hash256 root, byte[] resumeFrom, long started, CancellationToken ct)
    {
        long fetched = 0;
        var stack = new Stack<Item>();
        stack.Push(new Item(root, TrieOwner.AccountTrie, [], false));
        int inFlight = 0;
        byte[] position = resumeFrom;
        long lastSave = SyncMetrics.Now;
        metrics.Backfill = metrics.Backfill with { Running = true, Root = root.ToString() };
        while (stack.Count > 0 || inFlight > 0)
        {
            while (_arrived.TryDequeue(out var done))
            {
                inFlight--;
                if (done.Bytes is null) { if (done.Walk == _walk) stack.Push(done.Item); continue; }
                _nodesStored++;
                if (!done.Item.IsCode) Expand(done.Item, done.Bytes, stack, resumeFrom);
            }
            if (_slideWanted && _newestExecuted is { } newest && newest.StateRoot != root)
            {
                // The serving window slid past the walked root: go on under the newest one from the same key position.
                _slideWanted = false;
                metrics.WindowSlidesDuringBackfill++;
                log.LogInformation("backfill moves from root {Old} to {New} (block {Number}) at position {Position}", root, newest.StateRoot, newest.Number, string.Concat(position.Select(n => "0123456789abcdef"[n])));
                root = newest.StateRoot;
                _rootNumber = newest.Number;
                _walk++;
                resumeFrom = position;
                stack.Clear();
                stack.Push(new Item(root, TrieOwner.AccountTrie, [], false));
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
            var column = item.IsCode ? Column.Code : Column.TrieNodes;
            var local = store.Get(column, item.Hash.Bytes);
            if (local is not null)
            {
                _nodesVisited++;
                if (!item.IsCode) Expand(item, local, stack, resumeFrom);
                continue;
            }
            inFlight++;
            fetched++;
            var missing = item.IsCode ? MissingNode.Code(item.Hash) : MissingNode.Structural(item.Hash, item.Owner, item.Path);
            int walk = _walk;
            _ = scheduler.FetchAsync(missing, FetchPriority.Backfill, FetchKinds.Backfill, root).ContinueWith(t =>
            {
                _arrived.Enqueue((item, t.IsCompletedSuccessfully ? t.Result : null, walk));
                _signal.Release();
            }, TaskScheduler.Default);
            if (SyncMetrics.Ms(lastSave, SyncMetrics.Now) > 1000)
            {
                lastSave = SyncMetrics.Now;
                SaveProgress(root, position);
                Report(position, started);
            }
        }
        Report(position, started, complete: true);
        return fetched;
    }

    /// <summary>Pushes a node's children (hash references; inline children are expanded in place), in reverse so the walk goes in key order.</summary>
    private void Expand(Item item, byte[] rlp, Stack<Item> stack, byte[] resumeFrom)
    {
        var node = NodeDecoder.Decode(item.Hash, rlp);
        ExpandNode(node, item.Owner, item.Path, stack, resumeFrom);
    }

    private void ExpandNode(Node node, TrieOwner owner, byte[] path, Stack<Item> stack, byte[] resumeFrom)
    {
        switch (node)
        {
            case BranchNode branch:
                for (int i = 15; i >= 0; i--)
                    if (branch.Children[i] is { } child) PushChild(child, owner, Nibbles.Concat(path, [(byte)i]), stack, resumeFrom);
                break;
            case ExtensionNode ext:
                PushChild(ext.Child, owner, Nibbles.Concat(path, ext.Path), stack, resumeFrom);
                break;
            case LeafNode leaf when owner.IsAccountTrie:
            {
                var key = Nibbles.Concat(path, leaf.Path);
                if (key.Length != 64) break;
                var account = Account.Decode(leaf.Value);
                if (account.CodeHash != Hash256.EmptyKeccak) stack.Push(new Item(account.CodeHash, owner, [], true));
                if (account.StorageRoot != Hash256.EmptyTrieRoot)
                    stack.Push(new Item(account.StorageRoot, TrieOwner.Storage(new Hash256(Nibbles.ToBytes(key))), [], false));
                break;
            }
        }
    }

    private void PushChild(Node child, TrieOwner owner, byte[] path, Stack<Item> stack, byte[] resumeFrom)
    {
        // Subtries wholly before the resume position were complete under an earlier root: skip them.
        if (owner.IsAccountTrie && resumeFrom.Length > 0 && TrieIterator.EntirelyBefore(path, resumeFrom)) return;
        if (child is HashNode h) stack.Push(new Item(h.Hash, owner, path, false));
        else ExpandNode(child, owner, path, stack, resumeFrom);
    }

    private void Report(byte[] position, long started, bool complete = false)
    {
        // The walk goes in key order over the account trie: the position's first nibbles say how much key space is done.
        double fraction = complete ? 1 : Math.Max(_fractionFloor, KeySpaceFraction(position));
        _fractionFloor = fraction;
        double elapsed = SyncMetrics.Ms(started, SyncMetrics.Now) / 1000;
        double? eta = fraction > 0.01 && !complete ? elapsed * (1 - fraction) / fraction : complete ? 0 : null;
        metrics.Backfill = metrics.Backfill with
        {
            Running = !complete, Complete = complete, Paused = scheduler.BackfillPaused, Fraction = fraction,
            NodesStored = _nodesStored, EtaSeconds = eta,
        };
    }

    public static double KeySpaceFraction(ReadOnlySpan<byte> path)
    {
        double f = 0, scale = 1.0 / 16;
        for (int i = 0; i < Math.Min(path.Length, 8); i++, scale /= 16) f += path[i] * scale;
        return f;
    }

    private (Hash256 Root, byte[] Position) LoadProgress()
    {
        var value = store.Get(Column.Metadata, ProgressKey);
        if (value is null || value.Length < Hash256.Size + 8) return (default, []);
        _rootNumber = BinaryPrimitives.ReadUInt64BigEndian(value.AsSpan(Hash256.Size));
        return (new Hash256(value.AsSpan(0, Hash256.Size)), value[(Hash256.Size + 8)..]);
    }

    private void SaveProgress(Hash256 root, byte[] position)
    {
        var value = new byte[Hash256.Size + 8 + position.Length];
        root.Bytes.CopyTo(value);
        BinaryPrimitives.WriteUInt64BigEndian(value.AsSpan(Hash256.Size), _rootNumber);
        position.CopyTo(value, Hash256.Size + 8);
        store.Put(Column.Metadata, ProgressKey, value);
    }

    public void ClearProgress() => store.Delete(Column.Metadata, ProgressKey);
}
