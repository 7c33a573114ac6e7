using BeamSync.Core;
using BeamSync.Core.Crypto;
using BeamSync.Network.Snap;
using BeamSync.Trie;

namespace BeamSync.Network.Tests.SnapStore;

public class StoreSnapServerRangeTests(SnapStateFixture state) : IClassFixture<SnapStateFixture>
{
    private const int Unlimited = 64 * 1024 * 1024;

    /// <summary>Checks the range against the trie layer's verifier; returns whether it says more accounts follow.</summary>
    private bool VerifyAccounts(Hash256 origin, AccountRange range)
    {
        var keys = range.Accounts.Select(a => a.Hash.ToArray()).ToList();
        var values = range.Accounts.Select(a => SlimAccount.ToConsensus(a.Body)).ToList();
        return RangeProof.Verify(state.Root, origin.ToArray(), keys, values, range.Proof.Count == 0 ? null : range.Proof);
    }

    [Fact]
    public void The_whole_state_from_zero_comes_without_proof_and_verifies_as_complete()
    {
        var range = state.Server().GetAccountRange(state.Root, Hash256.Zero, SnapHandler.MaxHash, Unlimited);
        Assert.Equal(state.Accounts.Keys, range.Accounts.Select(a => a.Hash));
        Assert.Empty(range.Proof);
        Assert.False(VerifyAccounts(Hash256.Zero, range));
    }

    [Fact]
    public void Bodies_are_slim_exactly_where_roots_and_code_hashes_are_empty()
    {
        var range = state.Server().GetAccountRange(state.Root, Hash256.Zero, SnapHandler.MaxHash, Unlimited);
        foreach (var account in range.Accounts)
        {
            var full = state.Accounts[account.Hash];
            Assert.Equal(full, SlimAccount.ToConsensus(account.Body));
            int emptied = (SlimAccount.StorageRoot(full) == Hash256.EmptyTrieRoot ? 32 : 0)
                          + (full.AsSpan(full.Length - 32).SequenceEqual(Hash256.EmptyKeccak.Bytes) ? 32 : 0);
            Assert.Equal(full.Length - emptied - (full.Length >= 56 && full.Length - emptied < 56 ? 1 : 0), account.Body.Length);
        }
    }

    [Fact]
    public void A_range_cut_by_the_budget_proves_both_edges_and_says_more_follow()
    {
        var range = state.Server().GetAccountRange(state.Root, Hash256.Zero, SnapHandler.MaxHash, 10_000);
        Assert.InRange(range.Accounts.Count, 2, 200);
        Assert.Equal(state.Accounts.Keys.Take(range.Accounts.Count), range.Accounts.Select(a => a.Hash));
        Assert.NotEmpty(range.Proof);
        Assert.True(VerifyAccounts(Hash256.Zero, range));
    }

    [Fact]
    public void An_origin_in_a_gap_starts_at_the_next_account_and_verifies()
    {
        var keys = state.Accounts.Keys.ToList();
        var origin = SnapStateFixture.Next(keys[1000]);
        var range = state.Server().GetAccountRange(state.Root, origin, SnapHandler.MaxHash, 5_000);
        Assert.Equal(keys[1001], range.Accounts[0].Hash);
        Assert.True(VerifyAccounts(origin, range));
    }

    [Fact]
    public void A_tampered_range_fails_verification()
    {
        var keys = state.Accounts.Keys.ToList();
        var origin = SnapStateFixture.Next(keys[1000]);
        var range = state.Server().GetAccountRange(state.Root, origin, SnapHandler.MaxHash, 5_000);
        var gapped = new AccountRange(range.Accounts.Where((_, i) => i != 2).ToList(), range.Proof);
        Assert.Throws<ProofException>(() => VerifyAccounts(origin, gapped));
    }

    [Fact]
    public void A_limit_stops_at_the_first_account_at_or_past_it_even_when_the_interval_is_empty()
    {
        var keys = state.Accounts.Keys.ToList();
        var origin = SnapStateFixture.Next(keys[10]);
        var range = state.Server().GetAccountRange(state.Root, origin, origin, Unlimited); // nothing lies in [origin, origin]
        Assert.Equal([keys[11]], range.Accounts.Select(a => a.Hash));
        Assert.True(VerifyAccounts(origin, range));

        var bounded = state.Server().GetAccountRange(state.Root, keys[10], keys[20], Unlimited);
        Assert.Equal(keys[10..21], bounded.Accounts.Select(a => a.Hash));
        Assert.True(VerifyAccounts(keys[10], bounded));
    }

    [Fact]
    public void Beyond_the_last_account_the_reply_is_empty_with_a_proof_of_absence()
    {
        var origin = SnapStateFixture.Next(state.Accounts.Keys.Last());
        var range = state.Server().GetAccountRange(state.Root, origin, SnapHandler.MaxHash, Unlimited);
        Assert.Empty(range.Accounts);
        Assert.NotEmpty(range.Proof);
        Assert.False(VerifyAccounts(origin, range));
    }

    [Fact]
    public void Small_storage_tries_come_whole_and_a_cut_one_carries_the_only_proof()
    {
        var small = state.Storage.Keys.Where(k => k != state.BigStorageAccount).Take(5).ToList();
        var request = small.Append(state.BigStorageAccount).Append(small[0]).ToList();
        var ranges = state.Server().GetStorageRanges(state.Root, request, Hash256.Zero, SnapHandler.MaxHash, 20_000);
        Assert.Equal(6, ranges.Slots.Count); // the big one is cut, so nothing after it
        for (int i = 0; i < 5; i++)
            Assert.Equal(state.Storage[small[i]].Keys, ranges.Slots[i].Select(s => s.Hash));
        var big = ranges.Slots[5];
        Assert.InRange(big.Count, 1, 1_499);
        Assert.NotEmpty(ranges.Proof);
        var root = SlimAccount.StorageRoot(state.Accounts[state.BigStorageAccount]);
        Assert.True(RangeProof.Verify(root, new byte[32], big.Select(s => s.Hash.ToArray()).ToList(), big.Select(s => s.Value).ToList(), ranges.Proof));
        // Every whole range verifies without a proof.
        for (int i = 0; i < 5; i++)
        {
            var whole = ranges.Slots[i];
            Assert.False(RangeProof.Verify(SlimAccount.StorageRoot(state.Accounts[small[i]]), new byte[32],
                whole.Select(s => s.Hash.ToArray()).ToList(), whole.Select(s => s.Value).ToList(), null));
        }
    }

    [Fact]
    public void A_storage_range_from_an_origin_is_proved_even_when_it_runs_to_the_end()
    {
        var slots = state.Storage[state.BigStorageAccount].Keys.ToList();
        var origin = SnapStateFixture.Next(slots[1_400]);
        var ranges = state.Server().GetStorageRanges(state.Root, [state.BigStorageAccount], origin, SnapHandler.MaxHash, 1 << 20);
        Assert.Equal(slots[1_401..], ranges.Slots.Single().Select(s => s.Hash));
        Assert.NotEmpty(ranges.Proof);
        var range = ranges.Slots.Single();
        var root = SlimAccount.StorageRoot(state.Accounts[state.BigStorageAccount]);
        Assert.False(RangeProof.Verify(root, origin.ToArray(), range.Select(s => s.Hash.ToArray()).ToList(), range.Select(s => s.Value).ToList(), ranges.Proof));
    }

    [Fact]
    public void An_unknown_account_in_a_storage_request_empties_the_reply()
    {
        var request = new[] { state.Storage.Keys.First(), Keccak256.Hash("no such account"u8) };
        var ranges = state.Server().GetStorageRanges(state.Root, request, Hash256.Zero, SnapHandler.MaxHash, Unlimited);
        Assert.Empty(ranges.Slots);
        Assert.Empty(ranges.Proof);
    }

    [Fact]
    public void Byte_codes_come_in_request_order_skipping_unknown_ones_and_stop_at_the_budget()
    {
        var known = state.Codes.Keys.Take(10).ToList();
        var request = new List<Hash256> { known[0], Keccak256.Hash("absent"u8), known[1], known[2] };
        var codes = state.Server().GetByteCodes(request, Unlimited);
        Assert.Equal([state.Codes[known[0]], state.Codes[known[1]], state.Codes[known[2]]], codes);
        Assert.Single(state.Server().GetByteCodes(known, 1));
    }

    [Fact]
    public void A_root_outside_the_window_gets_empty_replies()
    {
        var server = state.Server();
        for (int i = 0; i < server.Roots.Window; i++) server.Roots.Add(Keccak256.Hash(BitConverter.GetBytes(i)));
        Assert.False(server.HasRecentState(state.Root)); // pushed out by 128 newer roots
        Assert.Empty(server.GetAccountRange(state.Root, Hash256.Zero, SnapHandler.MaxHash, Unlimited).Accounts);
        Assert.Empty(server.GetStorageRanges(state.Root, [state.BigStorageAccount], Hash256.Zero, SnapHandler.MaxHash, Unlimited).Slots);
        Assert.Empty(server.GetTrieNodes(state.Root, [new TrieNodePathSet([0x00], [])], Unlimited));
    }
}
