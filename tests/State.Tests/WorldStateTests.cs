using BeamSync.Core;
using BeamSync.Db;
using BeamSync.State;

namespace BeamSync.State.Tests;

public class WorldStateTests
{
    private static readonly Address A = Address.Parse("0x00000000000000000000000000000000000000aa");
    private static readonly Address B = Address.Parse("0x00000000000000000000000000000000000000bb");

    private static WorldState NewState(out TrieStateStore store)
    {
        store = new TrieStateStore(new MemoryKeyValueStore());
        return new WorldState(store);
    }

    [Fact]
    public void Revert_undoes_balance_nonce_storage_and_creation()
    {
        var state = NewState(out _);
        state.AddBalance(A, 100);
        int snap = state.Snapshot();
        state.AddBalance(A, 5);
        state.SetNonce(A, 7);
        state.SetStorage(A, 1, 42);
        state.AddBalance(B, 1);
        state.AddRefund(300);
        Assert.Equal(new UInt256(105), state.GetBalance(A));
        state.Revert(snap);
        Assert.Equal(new UInt256(100), state.GetBalance(A));
        Assert.Equal(0UL, state.GetNonce(A));
        Assert.Equal(UInt256.Zero, state.GetStorage(A, 1));
        Assert.False(state.Exists(B));
        Assert.Equal(0, state.Refund);
    }

    [Fact]
    public void Original_storage_is_the_value_at_transaction_start()
    {
        var state = NewState(out _);
        state.AddBalance(A, 1);
        state.SetStorage(A, 1, 10);
        Assert.Equal(UInt256.Zero, state.GetOriginalStorage(A, 1));
        state.FinalizeTransaction(deleteTouchedEmpty: true);
        state.SetStorage(A, 1, 20);
        Assert.Equal(new UInt256(10), state.GetOriginalStorage(A, 1));
        Assert.Equal(new UInt256(20), state.GetStorage(A, 1));
    }

    [Fact]
    public void Touched_empty_accounts_are_deleted_only_under_EIP161()
    {
        var before = NewState(out _);
        before.AddBalance(A, 0);
        before.FinalizeTransaction(deleteTouchedEmpty: false);
        Assert.True(before.Exists(A));

        var after = NewState(out _);
        after.AddBalance(A, 0);
        after.FinalizeTransaction(deleteTouchedEmpty: true);
        Assert.False(after.Exists(A));
    }

    [Fact]
    public void Commit_persists_through_the_trie_and_empty_state_has_the_empty_root()
    {
        var state = NewState(out var store);
        Assert.Equal(Hash256.EmptyTrieRoot, state.Commit());
        state.AddBalance(A, 1000);
        state.SetNonce(A, 3);
        state.SetStorage(A, 5, 99);
        state.SetCode(A, [0x60, 0x00]);
        state.FinalizeTransaction(true);
        var root = state.Commit();
        Assert.NotEqual(Hash256.EmptyTrieRoot, root);

        var reread = new WorldState(store);
        Assert.Equal(new UInt256(1000), reread.GetBalance(A));
        Assert.Equal(3UL, reread.GetNonce(A));
        Assert.Equal(new UInt256(99), reread.GetStorage(A, 5));
        Assert.Equal(new byte[] { 0x60, 0x00 }, reread.GetCode(A));
    }

    [Fact]
    public void Self_destructed_account_and_its_storage_are_gone_after_the_transaction()
    {
        var state = NewState(out var store);
        state.AddBalance(A, 5);
        state.SetStorage(A, 1, 1);
        state.FinalizeTransaction(true);
        state.Commit();
        state.MarkSelfDestructed(A);
        state.FinalizeTransaction(true);
        Assert.Equal(Hash256.EmptyTrieRoot, state.Commit());
        Assert.False(store.TryGetAccount(A, out _));
    }

    [Fact]
    public void Transient_storage_reverts_and_clears_at_transaction_end()
    {
        var state = NewState(out _);
        state.SetTransientStorage(A, 1, 7);
        int snap = state.Snapshot();
        state.SetTransientStorage(A, 1, 8);
        state.Revert(snap);
        Assert.Equal(new UInt256(7), state.GetTransientStorage(A, 1));
        state.FinalizeTransaction(true);
        Assert.Equal(UInt256.Zero, state.GetTransientStorage(A, 1));
    }

    [Fact]
    public void Warm_sets_report_first_access_and_revert()
    {
        var state = NewState(out _);
        int snap = state.Snapshot();
        Assert.True(state.WarmAccount(A));
        Assert.False(state.WarmAccount(A));
        Assert.True(state.WarmSlot(A, 1));
        state.Revert(snap);
        Assert.True(state.WarmAccount(A));
        Assert.True(state.WarmSlot(A, 1));
    }
}
