using BeamSync.Core;
using BeamSync.Db;
using BeamSync.Network.Snap;
using BeamSync.Sync.Peers;
using BeamSync.Sync.Scheduling;
using BeamSync.Trie;

namespace BeamSync.Sync.Tests;

/// <summary>
/// Range requests packed for peers that serve only ranges: whole storage tries of several accounts per
/// GetStorageRanges, adjacent absent account subtries per GetAccountRange, and answers cut by the byte limit keeping
/// everything their proofs cover.
/// </summary>
public sealed class StorageTrieBatchTests
{
    private const StateForms Modern = StateForms.ByKey | StateForms.Code;

    private static RecentStateRoots Roots(Hash256 root)
    {
        var roots = new RecentStateRoots();
        roots.Add(root);
        return roots;
    }

    /// <summary>Every account trie node of <paramref name="state"/>, so storage tries are all that is absent locally.</summary>
    private static MemoryKeyValueStore WithAccountTrie(ByKeyTests.AccountState state)
    {
        var local = new MemoryKeyValueStore();
        foreach (var hash in TrieNodes(state.Store, state.Root)) local.Put(Column.TrieNodes, hash.Bytes, state.Store.Get(Column.TrieNodes, hash.Bytes)!);
        return local;
    }

    private static List<Hash256> TrieNodes(IKeyValueStore store, Hash256 root)
    {
        var hashes = new List<Hash256>();
        var pending = new Stack<Hash256>([root]);
        while (pending.TryPop(out var hash))
        {
            if (store.Get(Column.TrieNodes, hash.Bytes) is not { } rlp) continue;
            hashes.Add(hash);
            switch (NodeDecoder.Decode(hash, rlp))
            {
                case BranchNode branch:
                    foreach (var child in branch.Children) if (child is HashNode h) pending.Push(h.Hash);
                    break;
                case ExtensionNode { Child: HashNode h }:
                    pending.Push(h.Hash);
                    break;
            }
        }
        return hashes;
    }

    private static Hash256 StorageRoot(ByKeyTests.AccountState state, Hash256 account) =>
        SlimAccount.StorageRoot(state.Accounts.First(a => a.Key == account).Body);

    private static long Absent(IKeyValueStore local, Hash256 root, TrieOwner owner) =>
        new MissingNodeWalker(new StoreNodeSource(local)).Walk(root).LongCount();

    /// <summary>Asks for the storage tries of <paramref name="accounts"/> whole, before any peer is there, so the first dispatch sees them all.</summary>
    private static List<Task<byte[]>> AskWhole(StateScheduler scheduler, ByKeyTests.AccountState state, IEnumerable<Hash256> accounts) =>
        accounts.Select(a => scheduler.FetchAsync(MissingNode.Structural(StorageRoot(state, a), TrieOwner.Storage(a), []), FetchPriority.Backfill, FetchKinds.Backfill, state.Root)).ToList();

    [Fact]
    public async Task Whole_storage_tries_of_several_accounts_come_in_one_request_within_the_count_limit()
    {
        var state = ByKeyTests.BuildState(21, 1200);
        var local = WithAccountTrie(state);
        var metrics = new SyncMetrics();
        await using var scheduler = new StateScheduler(local, metrics, new SchedulerOptions { MaxStorageTriesPerRequest = 16 });
        var contracts = state.Storage.Keys.Take(100).ToList();
        var fetches = AskWhole(scheduler, state, contracts);
        var peer = new FakePeer("modern", state.Store, Roots(state.Root), 3, Modern, 1, 5);
        scheduler.AddPeer(peer);
        await Task.WhenAll(fetches).WaitAsync(TimeSpan.FromSeconds(30));

        foreach (var account in contracts) Assert.Equal(0, Absent(local, StorageRoot(state, account), TrieOwner.Storage(account)));
        FakePeer.AssertOnlyVerified(local);
        // 100 tries of 24 slots (about 900 bytes each) fit seven 16-account requests; one request per trie would be 100.
        Assert.All(peer.StorageAccountsPerRequest, n => Assert.InRange(n, 1, 16));
        Assert.InRange(peer.StorageAccountsPerRequest.Count, 7, 20);
        Assert.Empty(peer.Faults);
    }

    [Fact]
    public async Task An_answer_cut_by_the_byte_limit_keeps_the_whole_child_subtries_its_proof_covers()
    {
        var state = ByKeyTests.BuildState(22, 400);
        var local = WithAccountTrie(state);
        // Two whole tries (about 900 bytes each) and part of a third fit 2,000 bytes.
        await using var scheduler = new StateScheduler(local, new SyncMetrics(), new SchedulerOptions { BackfillResponseBytes = 2_000 });
        var contracts = state.Storage.Keys.Take(3).ToList();
        var fetches = AskWhole(scheduler, state, contracts);
        var peer = new FakePeer("modern", state.Store, Roots(state.Root), 4, Modern, 1, 5);
        scheduler.AddPeer(peer);
        await Task.WhenAll(fetches).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(3, peer.StorageAccountsPerRequest[0]);
        var cut = contracts[2];
        var root = StorageRoot(state, cut);
        int stored = TrieNodes(local, root).Count;
        int all = TrieNodes(state.Store, root).Count;
        // Not only the cut trie's root: its children left of the last slot that came are local, the rest is not.
        Assert.InRange(stored, 3, all - 1);
        foreach (var account in contracts.Take(2)) Assert.Equal(0, Absent(local, StorageRoot(state, account), TrieOwner.Storage(account)));
        FakePeer.AssertOnlyVerified(local);
    }

    [Fact]
    public async Task The_tries_a_cut_answer_never_reached_are_asked_again_at_once_not_held_back_as_failed_by_that_peer()
    {
        var state = ByKeyTests.BuildState(24, 800);
        var local = WithAccountTrie(state);
        // About two tries per 2,000-byte answer; a peer marked as having failed a want is asked again only after 60 s.
        await using var scheduler = new StateScheduler(local, new SyncMetrics(), new SchedulerOptions { BackfillResponseBytes = 2_000, RetryAfterAllFailed = TimeSpan.FromSeconds(60) });
        var contracts = state.Storage.Keys.Take(12).ToList();
        var fetches = AskWhole(scheduler, state, contracts);
        var peer = new FakePeer("modern", state.Store, Roots(state.Root), 6, Modern, 1, 5);
        scheduler.AddPeer(peer);
        await Task.WhenAll(fetches).WaitAsync(TimeSpan.FromSeconds(20));

        // Each answer held a few tries whole and cut the next (its want is met by the root and what the proof covers).
        Assert.True(peer.StorageAccountsPerRequest.Count > 2, $"{peer.StorageAccountsPerRequest.Count} requests");
        Assert.True(contracts.Count(a => Absent(local, StorageRoot(state, a), TrieOwner.Storage(a)) == 0) >= contracts.Count / 2);
        FakePeer.AssertOnlyVerified(local);
        Assert.Empty(peer.Faults);
    }

    [Fact]
    public async Task Backfill_keeps_more_requests_in_flight_when_its_answers_are_small_within_its_byte_share()
    {
        var state = ByKeyTests.BuildState(25, 1600);
        var local = WithAccountTrie(state);
        // One small trie (about 900 bytes) per request: four full-size slots would leave the peer's link idle.
        var options = new SchedulerOptions { MaxStorageTriesPerRequest = 1 };
        await using var scheduler = new StateScheduler(local, new SyncMetrics(), options);
        var contracts = state.Storage.Keys.Take(150).ToList();
        var fetches = AskWhole(scheduler, state, contracts);
        var peer = new FakePeer("modern", state.Store, Roots(state.Root), 7, Modern, 20, 30);
        scheduler.AddPeer(peer);
        await Task.WhenAll(fetches).WaitAsync(TimeSpan.FromSeconds(30));

        foreach (var account in contracts) Assert.Equal(0, Absent(local, StorageRoot(state, account), TrieOwner.Storage(account)));
        Assert.InRange(peer.MaxConcurrent, options.MaxBackfillRequestsPerPeer + 4, options.MaxSmallBackfillRequestsPerPeer);
        FakePeer.AssertOnlyVerified(local);
    }

    [Fact]
    public async Task A_bad_proof_for_the_cut_account_rejects_only_that_account_and_penalizes_the_peer_the_whole_tries_beside_it_are_kept()
    {
        var state = ByKeyTests.BuildState(23, 400);
        var local = WithAccountTrie(state);
        await using var scheduler = new StateScheduler(local, new SyncMetrics(), new SchedulerOptions { BackfillResponseBytes = 2_000 });
        var contracts = state.Storage.Keys.Take(3).ToList();
        var fetches = AskWhole(scheduler, state, contracts);
        var peer = new FakePeer("liar", state.Store, Roots(state.Root), 5, Modern, 1, 5, fault: FakeFault.WrongBytes);
        scheduler.AddPeer(peer);
        // The first answer holds the first two tries whole, with no proof to corrupt, and cuts the third, whose proof is
        // corrupted: the two are kept, the third is not. Asked alone later, the third comes whole without a proof.
        await Task.WhenAll(fetches).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(3, peer.StorageAccountsPerRequest[0]);
        Assert.Equal(1, peer.StorageAccountsPerRequest[1]);
        lock (peer.Faults) Assert.Contains(PeerFault.WrongData, peer.Faults);
        foreach (var account in contracts.Take(2)) Assert.Equal(0, Absent(local, StorageRoot(state, account), TrieOwner.Storage(account)));
        FakePeer.AssertOnlyVerified(local);
    }

    /// <param name="localChild">A child of the root that is local (whole) already, splitting the run in two; -1 for none.</param>
    [Theory]
    [InlineData(-1)]
    [InlineData(5)]
    public async Task Absent_account_subtries_whose_intervals_continue_one_another_share_one_range_request(int localChild)
    {
        var state = ByKeyTests.BuildState(24, 4000);
        var local = new MemoryKeyValueStore();
        var rootRlp = state.Store.Get(Column.TrieNodes, state.Root.Bytes)!;
        local.Put(Column.TrieNodes, state.Root.Bytes, rootRlp);
        var branch = Assert.IsType<BranchNode>(NodeDecoder.Decode(state.Root, rootRlp));
        if (localChild >= 0)
            foreach (var hash in TrieNodes(state.Store, ((HashNode)branch.Children[localChild]!).Hash))
                local.Put(Column.TrieNodes, hash.Bytes, state.Store.Get(Column.TrieNodes, hash.Bytes)!);
        await using var scheduler = new StateScheduler(local, new SyncMetrics(), new SchedulerOptions { BackfillResponseBytes = 128 * 1024 });
        var fetches = new List<Task<byte[]>>();
        for (int nibble = 0; nibble < 16; nibble++)
            if (nibble != localChild && branch.Children[nibble] is HashNode child)
                fetches.Add(scheduler.FetchAsync(MissingNode.Structural(child.Hash, TrieOwner.AccountTrie, [(byte)nibble]), FetchPriority.Backfill, FetchKinds.Backfill, state.Root));
        var peer = new FakePeer("modern", state.Store, Roots(state.Root), 6, Modern, 1, 5);
        scheduler.AddPeer(peer);
        await Task.WhenAll(fetches).WaitAsync(TimeSpan.FromSeconds(30));

        // 4,000 accounts are about 400 KB: four 128 KB answers cover the subtries, each cut one keeping its proven part;
        // one request per subtrie would be 15 or 16.
        Assert.InRange(peer.AccountRangeRequests, 1, 8);
        Assert.Equal(localChild >= 0 ? 15 : 16, fetches.Count);
        FakePeer.AssertOnlyVerified(local);
        Assert.Empty(peer.Faults);
    }
}
