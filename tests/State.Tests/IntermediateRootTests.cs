using BeamSync.Core;
using BeamSync.Db;
using BeamSync.State;

namespace BeamSync.State.Tests;

/// <summary>Per-transaction roots (pre-Byzantium receipts): computed in memory, equal to committing each time.</summary>
public class IntermediateRootTests
{
    private static readonly Address A = Address.Parse("0x00000000000000000000000000000000000000aa");
    private static readonly Address B = Address.Parse("0x00000000000000000000000000000000000000bb");
    private static readonly Address C = Address.Parse("0x00000000000000000000000000000000000000cc");

    /// <summary>Three transactions' worth of changes: writes, a storage clear, a recreation and a deletion.</summary>
    private static readonly Action<WorldState>[] Transactions =
    [
        s => { s.AddBalance(A, 1000); s.SetStorage(A, 1, 7); s.SetStorage(A, 2, 8); s.SetCode(B, [0x60, 0x01]); s.SetNonce(B, 1); },
        s => { s.SetStorage(A, 1, 0); s.SubtractBalance(A, 10); s.AddBalance(C, 5); s.SetStorage(B, 9, 9); },
        s => { s.MarkSelfDestructed(B); s.CreateAccount(A); s.SetStorage(A, 3, 3); s.SetNonce(A, 1); s.AddBalance(C, UInt256.Zero); },
    ];

    [Fact]
    public void Intermediate_roots_match_per_transaction_commits_and_write_nothing_until_commit()
    {
        var lazyDb = new MemoryKeyValueStore();
        var lazy = new WorldState(new TrieStateStore(lazyDb));
        var eagerDb = new MemoryKeyValueStore();
        var eager = new WorldState(new TrieStateStore(eagerDb));

        var roots = new List<Hash256>();
        foreach (var tx in Transactions)
        {
            tx(lazy);
            lazy.FinalizeTransaction(true);
            var root = lazy.IntermediateRoot();
            tx(eager);
            eager.FinalizeTransaction(true);
            Assert.Equal(eager.Commit(), root);
            roots.Add(root);
        }
        Assert.Equal(3, roots.Distinct().Count());
        Assert.Equal(0, lazyDb.Count(Column.TrieNodes));
        Assert.Equal(0, lazyDb.Count(Column.Code));

        // Reads between transactions see the applied state; the final commit persists it all under the last root.
        Assert.Equal(new UInt256(3), lazy.GetStorage(A, 3));
        Assert.Equal(UInt256.Zero, lazy.GetStorage(A, 2));
        Assert.Equal(roots[^1], lazy.Commit());
        Assert.True(lazyDb.Count(Column.TrieNodes) > 0);

        var reopened = new WorldState(new TrieStateStore(lazyDb, roots[^1]));
        Assert.Equal(new UInt256(3), reopened.GetStorage(A, 3));
        Assert.Equal(UInt256.Zero, reopened.GetStorage(A, 2));
        Assert.Equal(new UInt256(5), reopened.GetBalance(C));
        Assert.False(reopened.Exists(B));
    }

    [Fact]
    public void Code_applied_in_an_intermediate_root_is_stored_at_commit()
    {
        var db = new MemoryKeyValueStore();
        var state = new WorldState(new TrieStateStore(db));
        state.SetCode(A, [0x60, 0x02, 0x00]);
        state.FinalizeTransaction(true);
        var root = state.IntermediateRoot();
        Assert.Equal(new byte[] { 0x60, 0x02, 0x00 }, state.GetCode(A));
        Assert.Equal(root, state.Commit());
        Assert.Equal(new byte[] { 0x60, 0x02, 0x00 }, new WorldState(new TrieStateStore(db, root)).GetCode(A));
    }
}
