using BeamSync.Core;
using BeamSync.Db;
using BeamSync.Network.Snap;
using BeamSync.Trie;

namespace BeamSync.Network.Tests.SnapStore;

/// <summary>
/// A beam node serves the part of the state it has: the fixture's state with one subtree (nibble 8 under a root)
/// missing. Ranges stop before the hole with proofs the trie layer's verifier accepts; a hole at the start answers
/// empty; trie nodes stop at the first absent one.
/// </summary>
public class StoreSnapServerPartialStateTests(SnapStateFixture state) : IClassFixture<SnapStateFixture>
{
    private const int Unlimited = 64 * 1024 * 1024;
    private const int MissingNibble = 8;

    private StoreSnapServer PartialServer(params Hash256[] roots) => state.PartialServer(MissingNibble, roots);

    private static bool BeforeHole(Hash256 key) => key.Bytes[0] >> 4 < MissingNibble;
    private static Hash256 At(int firstNibble) { var b = new byte[32]; b[0] = (byte)(firstNibble << 4); return new Hash256(b); }

    [Fact]
    public void An_account_range_stops_at_the_hole_with_a_proof_that_verifies_and_says_more_follow()
    {
        var range = PartialServer(state.Root).GetAccountRange(state.Root, Hash256.Zero, SnapHandler.MaxHash, Unlimited);
        Assert.Equal(state.Accounts.Keys.Where(BeforeHole), range.Accounts.Select(a => a.Hash));
        Assert.NotEmpty(range.Proof);
        bool more = RangeProof.Verify(state.Root, new byte[32], range.Accounts.Select(a => a.Hash.ToArray()).ToList(),
            range.Accounts.Select(a => SlimAccount.ToConsensus(a.Body)).ToList(), range.Proof);
        Assert.True(more);
    }

    [Fact]
    public void A_range_starting_in_the_hole_is_empty_without_proof_and_one_past_it_runs_to_the_end()
    {
        var server = PartialServer(state.Root);
        var inHole = server.GetAccountRange(state.Root, At(MissingNibble), SnapHandler.MaxHash, Unlimited);
        Assert.Empty(inHole.Accounts);
        Assert.Empty(inHole.Proof); // never a proof of absence for state we merely lack

        var origin = At(MissingNibble + 1);
        var after = server.GetAccountRange(state.Root, origin, SnapHandler.MaxHash, Unlimited);
        Assert.Equal(state.Accounts.Keys.Where(k => k.CompareTo(origin) >= 0), after.Accounts.Select(a => a.Hash));
        Assert.False(RangeProof.Verify(state.Root, origin.ToArray(), after.Accounts.Select(a => a.Hash.ToArray()).ToList(),
            after.Accounts.Select(a => SlimAccount.ToConsensus(a.Body)).ToList(), after.Proof));
    }

    [Fact]
    public void A_storage_range_stops_at_the_hole_after_the_whole_ranges_before_it()
    {
        var big = state.BigStorageAccount;
        var storageRoot = SlimAccount.StorageRoot(state.Accounts[big]);
        var small = state.Storage.Keys.First(k => k != big);
        var ranges = PartialServer(storageRoot).GetStorageRanges(state.Root, [small, big, small], Hash256.Zero, SnapHandler.MaxHash, Unlimited);

        Assert.Equal(2, ranges.Slots.Count);
        Assert.Equal(state.Storage[small].Keys, ranges.Slots[0].Select(s => s.Hash));
        var partial = ranges.Slots[1];
        Assert.Equal(state.Storage[big].Keys.Where(BeforeHole), partial.Select(s => s.Hash));
        Assert.True(RangeProof.Verify(storageRoot, new byte[32], partial.Select(s => s.Hash.ToArray()).ToList(), partial.Select(s => s.Value).ToList(), ranges.Proof));

        var holeFirst = PartialServer(storageRoot).GetStorageRanges(state.Root, [big], At(MissingNibble), SnapHandler.MaxHash, Unlimited);
        Assert.Empty(holeFirst.Slots);
        Assert.Empty(holeFirst.Proof);
    }

    [Fact]
    public void Trie_nodes_are_served_up_to_the_first_absent_one()
    {
        var paths = new[] { Array.Empty<byte>(), [MissingNibble - 1], [MissingNibble], [MissingNibble + 1] }
            .Select(p => new TrieNodePathSet(SnapStateFixture.Compact(p), [])).ToList();
        var nodes = PartialServer(state.Root).GetTrieNodes(state.Root, paths, Unlimited);
        Assert.Equal(2, nodes.Count);
        Assert.Equal(state.Root, Core.Crypto.Keccak256.Hash(nodes[0]));
        var root = (BranchNode)NodeDecoder.Decode(state.Root, nodes[0]);
        Assert.Equal(((HashNode)root.Children[MissingNibble - 1]!).Hash, Core.Crypto.Keccak256.Hash(nodes[1]));
    }

    [Fact]
    public void A_devnet_window_of_16_roots_serves_the_16_newest_only()
    {
        var server = new StoreSnapServer(state.Store, new RecentStateRoots(16));
        server.Roots.Add(state.Root);
        for (int i = 0; i < 15; i++) server.Roots.Add(Core.Crypto.Keccak256.Hash(BitConverter.GetBytes(i)));
        Assert.NotEmpty(server.GetAccountRange(state.Root, Hash256.Zero, SnapHandler.MaxHash, 1000).Accounts);
        server.Roots.Add(Core.Crypto.Keccak256.Hash("one more"u8));
        Assert.False(server.HasRecentState(state.Root));
        Assert.Empty(server.GetAccountRange(state.Root, Hash256.Zero, SnapHandler.MaxHash, 1000).Accounts);
    }
}
