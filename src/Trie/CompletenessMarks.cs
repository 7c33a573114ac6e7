using BeamSync.Core;
using BeamSync.Db;

namespace BeamSync.Trie;

/// <summary>
/// Persistent marks of subtries known complete, in <see cref="Column.CompleteSubtries"/>: a node is complete when it
/// is local and all its children are complete (below an account leaf: its storage trie and its code). A mark names a
/// node by hash and a hash names its whole subtrie, so a mark never goes stale: nodes are never deleted, and a node
/// that execution writes later has a hash of its own, which is complete once its children are. Only nodes with a
/// hash-referenced child are marked: a leaf's completeness is its presence (and its storage root's and code's),
/// which costs no more to check than a mark would. Thread-safe as the store is.
/// </summary>
public sealed class CompletenessMarks(IKeyValueStore store)
{
    public bool IsComplete(Hash256 hash) => store.Has(Column.CompleteSubtries, hash.Bytes);

    /// <summary>
    /// Call only after every node of the subtrie has been written: the store keeps writes in order across a crash
    /// (a prefix survives), so no crash keeps the mark without the nodes.
    /// </summary>
    public void Mark(Hash256 hash) => store.Put(Column.CompleteSubtries, hash.Bytes, []);

    /// <summary>
    /// Drops every mark: for when a node a mark vouches for turns out absent (a damaged store), after which no mark
    /// can be trusted. A full scan of the column; rare by design.
    /// </summary>
    public void Clear()
    {
        using var batch = store.StartBatch();
        foreach (var (key, _) in store.Iterate(Column.CompleteSubtries, [])) batch.Delete(Column.CompleteSubtries, key);
        batch.Commit();
    }

    /// <summary>Marks stored (a full scan of the column: for reports and tests).</summary>
    public long Count() => store.Iterate(Column.CompleteSubtries, []).LongCount();
}

/// <summary>What a walk does with <see cref="CompletenessMarks"/>.</summary>
public enum MarkUse
{
    /// <summary>Skip marked subtries and mark each subtrie the walk finds complete.</summary>
    Trust,
    /// <summary>Walk everything, write nothing, and check each mark met against what the walk finds below it.</summary>
    Audit,
}

/// <summary>
/// Completion bookkeeping for a depth-first walk. Each node being walked (an entry) counts its children not yet
/// settled; when the last one settles, the node is complete if every child was, and then (with
/// <see cref="MarkUse.Trust"/>) a markable node gets its mark and the entry settles into its parent. A walk that
/// fetches settles a child when its fetch lands, so entries wait for arrivals in any order. Open entries are the
/// ancestors of what is still pending: a few per level for a depth-first walk. Not thread-safe.
/// </summary>
public sealed class SubtrieCompletion(CompletenessMarks marks, MarkUse use)
{
    /// <summary>The parent of a walk's root: settling into it decides <see cref="RootComplete"/>.</summary>
    public const int NoParent = -1;

    private struct Entry
    {
        public Hash256 Hash;
        public int Parent, Pending;
        public bool Incomplete, Markable;
        public double Weight;
    }

    private Entry[] _entries = new Entry[64];
    private readonly Stack<int> _free = new();
    private int _used;

    /// <summary>Whether the walk's root turned out complete; null until it settles.</summary>
    public bool? RootComplete { get; private set; }

    public long MarksWritten { get; private set; }

    /// <summary>Audit: marks met whose subtrie the walk found complete.</summary>
    public long MarksConfirmed { get; private set; }

    /// <summary>Audit: marks met whose subtrie the walk found something absent or corrupt in.</summary>
    public List<Hash256> FalseMarks { get; } = [];

    public CompletenessMarks Marks => marks;

    /// <summary>The weights (<see cref="AddWeight"/>) of the entries finished complete so far.</summary>
    public double CompletedWeight { get; private set; }

    /// <summary>
    /// Weight the entry adds to <see cref="CompletedWeight"/> if it finishes complete: what the walker counts as done
    /// once everything below the entry is (the backfill's share of the key space that entry alone covers).
    /// </summary>
    public void AddWeight(int id, double weight) => _entries[id].Weight += weight;

    /// <summary>Whether the walk may skip a node's subtrie because of its mark.</summary>
    public bool Skips(Hash256 hash) => use == MarkUse.Trust && marks.IsComplete(hash);

    /// <summary>
    /// A node the walk has loaded, below <paramref name="parent"/>'s entry: returns its entry, held open until the
    /// caller settles it once after expecting each of its children.
    /// </summary>
    public int Open(Hash256 hash, int parent, bool markable)
    {
        int id;
        if (_free.Count > 0) id = _free.Pop();
        else
        {
            if (_used == _entries.Length) Array.Resize(ref _entries, _used * 2);
            id = _used++;
        }
        _entries[id] = new Entry { Hash = hash, Parent = parent, Pending = 1, Markable = markable };
        return id;
    }

    /// <summary>A child found complete without walking it (a marked subtrie): its <paramref name="weight"/> counts at once.</summary>
    public void SettleWhole(int parent, double weight)
    {
        CompletedWeight += weight;
        Settle(parent, true);
    }

    /// <summary>One more child of the entry to settle before it can finish.</summary>
    public void Expect(int id)
    {
        if (id != NoParent) _entries[id].Pending++;
    }

    /// <summary>Something below the entry is known incomplete without a child to settle (absent code, a skipped subtrie).</summary>
    public void MarkIncomplete(int id)
    {
        if (id == NoParent) RootComplete = false;
        else _entries[id].Incomplete = true;
    }

    /// <summary>A child of the entry (or the entry's own hold) settled; finishes entries upward as their counts reach zero.</summary>
    public void Settle(int id, bool complete)
    {
        while (id != NoParent)
        {
            ref var entry = ref _entries[id];
            if (!complete) entry.Incomplete = true;
            if (--entry.Pending > 0) return;
            complete = !entry.Incomplete;
            if (complete) CompletedWeight += entry.Weight;
            Finish(entry.Hash, entry.Markable, complete);
            int parent = entry.Parent;
            _free.Push(id);
            id = parent;
        }
        RootComplete = complete && RootComplete != false;
    }

    private void Finish(Hash256 hash, bool markable, bool complete)
    {
        if (use == MarkUse.Trust)
        {
            if (!complete || !markable) return;
            marks.Mark(hash);
            MarksWritten++;
        }
        else if (marks.IsComplete(hash))
        {
            if (complete) MarksConfirmed++;
            else FalseMarks.Add(hash);
        }
    }

    /// <summary>Whether a decoded node references a child by hash: only those are worth a mark.</summary>
    public static bool HasHashChild(Node node)
    {
        if (node is ExtensionNode ext) return ext.Child is HashNode;
        if (node is not BranchNode branch) return false;
        foreach (var child in branch.Children)
            if (child is HashNode) return true;
        return false;
    }
}
