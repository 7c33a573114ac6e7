using BeamSync.Core;
using BeamSync.Db;

namespace BeamSync.Trie.Tests;

/// <summary>Completeness marks kept by the walker: written only over complete subtries, trusted to skip them, checked by an audit.</summary>
public sealed class CompletenessMarksTests
{
    private static MissingNodeWalker Trusting(IKeyValueStore store) =>
        new(new StoreNodeSource(store), AccountLeafDescender.Instance, marks: new CompletenessMarks(store));

    private static MissingNodeWalker Auditing(IKeyValueStore store) =>
        new(new StoreNodeSource(store), AccountLeafDescender.Instance, _ => { }, new CompletenessMarks(store), MarkUse.Audit);

    private static Hash256 ChildOfRoot(IKeyValueStore store, Hash256 root, int nibble)
    {
        var rootNode = (BranchNode)NodeDecoder.Decode(root, store.Get(Column.TrieNodes, root.Bytes)!);
        return ((HashNode)rootNode.Children[nibble]!).Hash;
    }

    [Fact]
    public void A_complete_state_is_marked_once_and_then_proven_by_its_root_mark_alone()
    {
        var (store, root) = WalkerTests.State(300);
        var first = Trusting(store);
        Assert.Empty(first.Walk(root));
        Assert.True(first.Completion!.RootComplete);
        Assert.True(new CompletenessMarks(store).IsComplete(root));
        // Only nodes with hash-referenced children are marked: far fewer marks than nodes.
        long marks = new CompletenessMarks(store).Count();
        Assert.Equal(marks, first.Completion.MarksWritten);
        Assert.InRange(marks, 2, store.Count(Column.TrieNodes) / 2);

        var second = Trusting(store);
        Assert.Empty(second.Walk(root));
        Assert.True(second.Completion!.RootComplete);
        Assert.Equal(0, second.NodesVisited);
        Assert.Equal(1, second.MarkedSkipped);

        var audit = Auditing(store);
        Assert.Empty(audit.Walk(root));
        Assert.Equal(marks, audit.Completion!.MarksConfirmed);
        Assert.Empty(audit.Completion.FalseMarks);
    }

    [Fact]
    public void Nothing_above_a_hole_is_marked_and_after_the_fill_a_walk_visits_only_the_unmarked_part()
    {
        var (full, root) = WalkerTests.State(300);
        using var local = new MemoryKeyValueStore();
        foreach (var column in new[] { Column.TrieNodes, Column.Code })
            foreach (var (key, value) in full.Iterate(column, [])) local.Put(column, key, value);
        var hole = ChildOfRoot(full, root, 5);
        local.Delete(Column.TrieNodes, hole.Bytes);
        // Code absent below an account leaf makes its subtrie incomplete too.
        var someCode = full.Iterate(Column.Code, []).First().Key;
        local.Delete(Column.Code, someCode);

        var walker = Trusting(local);
        var missing = walker.Walk(root).ToList();
        Assert.Equal(2, missing.Count);
        Assert.False(walker.Completion!.RootComplete);
        Assert.False(new CompletenessMarks(local).IsComplete(root));
        var audit = Auditing(local);
        Assert.Equal(2, audit.Walk(root).Count());
        Assert.Empty(audit.Completion!.FalseMarks);
        Assert.True(audit.Completion.MarksConfirmed > 0);

        local.Put(Column.TrieNodes, hole.Bytes, full.Get(Column.TrieNodes, hole.Bytes)!);
        local.Put(Column.Code, someCode, full.Get(Column.Code, someCode)!);
        var after = Trusting(local);
        Assert.Empty(after.Walk(root));
        Assert.True(after.Completion!.RootComplete);
        // The subtries complete before the fill were skipped by their marks, not read again.
        Assert.True(after.MarkedSkipped > 0);
        Assert.True(after.NodesVisited < full.Count(Column.TrieNodes) / 3, $"{after.NodesVisited} of {full.Count(Column.TrieNodes)} nodes read again");
    }

    [Fact]
    public void An_audit_finds_a_mark_over_a_hole_and_a_mark_over_a_corrupt_node()
    {
        var (store, root) = WalkerTests.State(300);
        Assert.Empty(Trusting(store).Walk(root));
        var absent = ChildOfRoot(store, root, 3);
        var corrupt = ChildOfRoot(store, root, 9);
        store.Delete(Column.TrieNodes, absent.Bytes);
        var bytes = store.Get(Column.TrieNodes, corrupt.Bytes)!;
        bytes[^1] ^= 1;
        store.Put(Column.TrieNodes, corrupt.Bytes, bytes);

        // The root's mark no longer holds: the audit names it (a trusting walk does not look below it); a sibling's still does.
        Assert.Empty(Trusting(store).Walk(root));
        var audit = Auditing(store);
        Assert.Single(audit.Walk(root));
        Assert.Contains(root, audit.Completion!.FalseMarks);
        Assert.DoesNotContain(ChildOfRoot(store, root, 4), audit.Completion.FalseMarks);

        // Once a hole is known under a mark, all marks go: a trusting walk then finds the hole again.
        new CompletenessMarks(store).Clear();
        Assert.Equal(0, new CompletenessMarks(store).Count());
        var found = new List<CorruptNode>();
        var again = new MissingNodeWalker(new StoreNodeSource(store), AccountLeafDescender.Instance, found.Add, new CompletenessMarks(store));
        Assert.Equal(absent, Assert.Single(again.Walk(root)).Hash);
        Assert.Equal(corrupt, Assert.Single(found).Hash);
    }
}
