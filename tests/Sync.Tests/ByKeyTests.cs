using BeamSync.Core;
using BeamSync.Core.Crypto;
using BeamSync.Db;
using BeamSync.Network.Snap;
using BeamSync.Sync.Peers;
using BeamSync.Sync.Scheduling;
using BeamSync.Trie;

namespace BeamSync.Sync.Tests;

/// <summary>
/// Reads by key with a proof against peers that serve only what today's network serves (snap ranges and byte codes:
/// no trie nodes by hash or by path).
/// </summary>
public sealed class ByKeyTests
{
    private const StateForms Modern = StateForms.ByKey | StateForms.Code;

    /// <summary>A real account trie (consensus bodies) where every 8th account has a storage trie of 24 slots.</summary>
    internal sealed record AccountState(MemoryKeyValueStore Store, Hash256 Root, List<(Hash256 Key, byte[] Body)> Accounts, Dictionary<Hash256, List<(Hash256 Key, byte[] Value)>> Storage);

    internal static AccountState BuildState(int seed, int accounts)
    {
        var r = new Random(seed);
        var store = new MemoryKeyValueStore();
        var source = new StoreNodeSource(store);
        var trie = new PatriciaTrie(source);
        var list = new List<(Hash256, byte[])>();
        var storage = new Dictionary<Hash256, List<(Hash256, byte[])>>();
        for (int i = 0; i < accounts; i++)
        {
            var key = Keccak256.Hash(BitConverter.GetBytes(seed * 1_000_003 + i));
            var storageRoot = Hash256.EmptyTrieRoot;
            if (i % 8 == 0)
            {
                var slots = new List<(Hash256, byte[])>();
                var storageTrie = new PatriciaTrie(source, default, TrieOwner.Storage(key));
                for (int j = 0; j < 24; j++)
                {
                    var slot = Keccak256.Hash(BitConverter.GetBytes(j + 17 * i));
                    var value = Rlp.Encode((ulong)r.Next(1, int.MaxValue));
                    storageTrie.Set(slot.Bytes, value);
                    slots.Add((slot, value));
                }
                storageRoot = storageTrie.Commit(store);
                storage[key] = slots;
            }
            var body = Rlp.EncodeList(Rlp.Encode((ulong)i), Rlp.Encode((ulong)r.Next()), Rlp.EncodeBytes(storageRoot.Bytes), Rlp.EncodeBytes(Hash256.EmptyKeccak.Bytes));
            trie.Set(key.Bytes, body);
            list.Add((key, body));
        }
        return new AccountState(store, trie.Commit(store), list, storage);
    }

    private static RecentStateRoots Roots(Hash256 root)
    {
        var roots = new RecentStateRoots();
        roots.Add(root);
        return roots;
    }

    /// <summary>Reads accounts and then slots through the blocking seam on a dedicated thread, as the executor does.</summary>
    private static (List<byte[]?> Accounts, List<byte[]?> Slots) Read(StateScheduler scheduler, IKeyValueStore local, Hash256 root,
        IReadOnlyList<Hash256> accounts, IReadOnlyList<(Hash256 Account, Hash256 Slot)> slots)
    {
        var accountValues = new List<byte[]?>();
        var slotValues = new List<byte[]?>();
        var thread = new Thread(() =>
        {
            var source = new WaitingNodeSource(new StoreNodeSource(local), scheduler.FetcherFor(FetchKinds.Urgent), TimeSpan.FromSeconds(20));
            var trie = new PatriciaTrie(source, root);
            foreach (var key in accounts) accountValues.Add(trie.Get(key.Bytes));
            foreach (var (account, slot) in slots)
            {
                var body = trie.Get(account.Bytes)!;
                slotValues.Add(new PatriciaTrie(source, SlimAccount.StorageRoot(body), TrieOwner.Storage(account)).Get(slot.Bytes));
            }
        });
        thread.Start();
        Assert.True(thread.Join(TimeSpan.FromSeconds(60)), "reads did not finish");
        return (accountValues, slotValues);
    }

    [Fact]
    public async Task Accounts_and_slots_arrive_by_key_from_peers_that_serve_only_ranges_a_whole_path_per_round_trip()
    {
        var state = BuildState(1, 1500);
        var local = new MemoryKeyValueStore();
        var metrics = new SyncMetrics();
        await using var scheduler = new StateScheduler(local, metrics);
        scheduler.CurrentRoot = state.Root;
        var roots = Roots(state.Root);
        for (int i = 0; i < 2; i++) scheduler.AddPeer(new FakePeer($"modern{i}", state.Store, roots, 10 + i, Modern, 1, 10));
        var accounts = state.Accounts.Where((_, i) => i % 7 == 3).Take(120).ToList();
        var slots = state.Storage.Take(6).SelectMany(p => p.Value.Take(6).Select(s => (p.Key, s.Key, s.Value))).ToList();
        var (accountValues, slotValues) = Read(scheduler, local, state.Root, accounts.ConvertAll(a => a.Key), slots.ConvertAll(s => (s.Item1, s.Item2)));
        for (int i = 0; i < accounts.Count; i++) Assert.Equal(accounts[i].Body, accountValues[i]);
        for (int i = 0; i < slots.Count; i++) Assert.Equal(slots[i].Item3, slotValues[i]);
        FakePeer.AssertOnlyVerified(local);
        var stats = metrics.Snapshot();
        long keyTrips = stats.RoundTripsByForm.GetValueOrDefault(WireForms.Key);
        Assert.True(keyTrips > 0);
        Assert.Equal(stats.RoundTrips, keyTrips);
        // A 1500-account trie is 3 to 4 nodes deep: one round trip per read brings them all.
        Assert.True(stats.NodesFetchedByForm[WireForms.Key] >= 2 * keyTrips, $"{keyTrips} round trips for {stats.NodesFetchedByForm[WireForms.Key]} nodes");
    }

    [Fact]
    public async Task While_an_urgent_read_is_out_nothing_less_urgent_is_sent_to_queue_before_the_readers_next_miss()
    {
        var state = BuildState(31, 400);
        var local = new MemoryKeyValueStore();
        await using var scheduler = new StateScheduler(local, new SyncMetrics());
        // Asked before any peer is there, so the first dispatch sees both: a reader's miss and storage tries wanted ahead of need.
        var urgent = scheduler.FetchAsync(MissingNode.ForRead(state.Root, TrieOwner.AccountTrie, [], Nibbles.FromBytes(state.Accounts[3].Key.Bytes)),
            FetchPriority.Urgent, FetchKinds.Urgent, state.Root);
        var ahead = state.Storage.Keys.Take(10).Select(account => scheduler.FetchAsync(
            MissingNode.Structural(SlimAccount.StorageRoot(state.Accounts.First(a => a.Key == account).Body), TrieOwner.Storage(account), []),
            FetchPriority.Predictive, FetchKinds.Prefetch, state.Root)).ToList();
        var peer = new FakePeer("modern", state.Store, Roots(state.Root), 8, Modern, 50, 60);
        scheduler.AddPeer(peer);

        await urgent.WaitAsync(TimeSpan.FromSeconds(10));
        await Task.WhenAll(ahead).WaitAsync(TimeSpan.FromSeconds(10));
        List<(string Message, long Arrived, long Answered)> timeline;
        lock (peer.Timeline) timeline = [.. peer.Timeline];
        var read = Assert.Single(timeline, t => t.Message == nameof(FakePeer.GetAccountRangeAsync));
        var later = timeline.Where(t => t.Message == nameof(FakePeer.GetStorageRangesAsync)).ToList();
        Assert.NotEmpty(later);
        Assert.All(later, t => Assert.True(t.Arrived >= read.Answered, "a storage range went out while the urgent read was on the wire"));
        FakePeer.AssertOnlyVerified(local);
    }

    [Fact]
    public async Task While_an_urgent_read_is_out_a_predictive_read_of_one_key_still_goes_out()
    {
        var state = BuildState(32, 400);
        var local = new MemoryKeyValueStore();
        await using var scheduler = new StateScheduler(local, new SyncMetrics());
        var urgent = scheduler.FetchAsync(MissingNode.ForRead(state.Root, TrieOwner.AccountTrie, [], Nibbles.FromBytes(state.Accounts[3].Key.Bytes)),
            FetchPriority.Urgent, FetchKinds.Urgent, state.Root);
        // A preview's read of one slot, its storage root absent: a proof of a few hundred bytes, asked by key.
        var (account, slots) = state.Storage.First();
        var storageRoot = SlimAccount.StorageRoot(state.Accounts.First(a => a.Key == account).Body);
        var ahead = scheduler.FetchAsync(MissingNode.ForRead(storageRoot, TrieOwner.Storage(account), [], Nibbles.FromBytes(slots[0].Key.Bytes)),
            FetchPriority.Predictive, FetchKinds.Preview, state.Root);
        var peer = new FakePeer("modern", state.Store, Roots(state.Root), 9, Modern, 50, 60);
        scheduler.AddPeer(peer);

        await urgent.WaitAsync(TimeSpan.FromSeconds(10));
        await ahead.WaitAsync(TimeSpan.FromSeconds(10));
        List<(string Message, long Arrived, long Answered)> timeline;
        lock (peer.Timeline) timeline = [.. peer.Timeline];
        var read = Assert.Single(timeline, t => t.Message == nameof(FakePeer.GetAccountRangeAsync));
        var slot = Assert.Single(timeline, t => t.Message == nameof(FakePeer.GetStorageRangesAsync));
        Assert.True(slot.Arrived < read.Answered, "the predictive read of one key waited for the urgent read's answer");
        FakePeer.AssertOnlyVerified(local);
    }

    [Fact]
    public async Task Upper_proof_nodes_already_local_count_apart_from_nodes_fetched_twice()
    {
        var state = BuildState(3, 1500);
        var local = new MemoryKeyValueStore();
        var metrics = new SyncMetrics();
        await using var scheduler = new StateScheduler(local, metrics);
        scheduler.CurrentRoot = state.Root;
        scheduler.AddPeer(new FakePeer("modern", state.Store, Roots(state.Root), 6, Modern, 1, 5));
        var accounts = state.Accounts.Where((_, i) => i % 5 == 1).Take(60).ToList();
        var (accountValues, _) = Read(scheduler, local, state.Root, accounts.ConvertAll(a => a.Key), []);
        for (int i = 0; i < accounts.Count; i++) Assert.Equal(accounts[i].Body, accountValues[i]);
        var stats = metrics.Snapshot();
        // Every proof after the first carries the root (and upper branches earlier proofs brought): local, unasked, no refetch.
        Assert.True(stats.ProofNodesAlreadyLocal >= accounts.Count - 1, $"{stats.ProofNodesAlreadyLocal} proof nodes already local");
        Assert.Equal(0, stats.DuplicateNodesReceived);
        Assert.All(stats.DuplicateNodesBySource.Values, n => Assert.Equal(0, n));
    }

    /// <summary>Counts the fetches each reader makes.</summary>
    private sealed class CountingFetcher(IMissingNodeFetcher inner) : IMissingNodeFetcher
    {
        public int Calls;
        public Task<byte[]> Fetch(MissingNode missing, FetchPriority priority, CancellationToken cancellation)
        {
            Interlocked.Increment(ref Calls);
            return inner.Fetch(missing, priority, cancellation);
        }
    }

    [Fact]
    public async Task Readers_of_different_keys_through_one_absent_node_each_get_their_whole_path_in_their_first_round_trip()
    {
        var state = BuildState(5, 1500);
        var local = new MemoryKeyValueStore();
        var metrics = new SyncMetrics();
        await using var scheduler = new StateScheduler(local, metrics);
        scheduler.AddPeer(new FakePeer("modern", state.Store, Roots(state.Root), 7, Modern, 30, 35));
        var accounts = state.Accounts.Where((_, i) => i % 37 == 2).Take(40).ToList();
        // Every reader starts at the absent root: joining the first reader's want, each would walk down one shared node per round trip.
        var fetchers = accounts.ConvertAll(_ => new CountingFetcher(scheduler.FetcherFor(FetchKinds.Preview, state.Root)));
        var values = new byte[]?[accounts.Count];
        var threads = accounts.Select((account, i) => new Thread(() =>
            values[i] = new PatriciaTrie(new WaitingNodeSource(new StoreNodeSource(local), fetchers[i], TimeSpan.FromSeconds(20), default, FetchPriority.Predictive), state.Root)
                .Get(account.Key.Bytes))).ToList();
        threads.ForEach(t => t.Start());
        Assert.All(threads, t => Assert.True(t.Join(TimeSpan.FromSeconds(60))));
        for (int i = 0; i < accounts.Count; i++) Assert.Equal(accounts[i].Body, values[i]);
        // All but a reader whose miss races the node's arrival (it then misses the next node of its own path); joining, every
        // reader but the first would need at least two.
        int inOne = fetchers.Count(f => f.Calls == 1);
        Assert.True(inOne >= 3 * accounts.Count / 4, $"{inOne} of {accounts.Count} readers had their path in one fetch");
        Assert.Equal(0, metrics.Snapshot().DuplicateNodesReceived);
        FakePeer.AssertOnlyVerified(local);
    }

    [Fact]
    public async Task Readers_of_different_keys_join_the_first_ones_want_where_a_peer_serves_by_hash()
    {
        var state = BuildState(6, 1500);
        var local = new MemoryKeyValueStore();
        await using var scheduler = new StateScheduler(local, new SyncMetrics());
        var peer = new FakePeer("legacy", state.Store, Roots(state.Root), 8, StateForms.ByHash | StateForms.Code, 30, 35);
        scheduler.AddPeer(peer);
        var accounts = state.Accounts.Where((_, i) => i % 37 == 2).Take(10).ToList();
        var reads = accounts.ConvertAll(a => scheduler.FetchAsync(MissingNode.ForRead(state.Root, TrieOwner.AccountTrie, [], Nibbles.FromBytes(a.Key.Bytes)),
            FetchPriority.Predictive, FetchKinds.Preview, state.Root));
        await Task.WhenAll(reads).WaitAsync(TimeSpan.FromSeconds(20));
        // The node alone comes by hash: once, whoever reads through it.
        Assert.Equal(1, peer.AskedByHash.GetValueOrDefault(state.Root));
    }

    [Fact]
    public async Task Absent_accounts_and_slots_are_proven_absent()
    {
        var state = BuildState(2, 800);
        var local = new MemoryKeyValueStore();
        await using var scheduler = new StateScheduler(local, new SyncMetrics());
        scheduler.CurrentRoot = state.Root;
        var peer = new FakePeer("modern", state.Store, Roots(state.Root), 5, Modern, 1, 5);
        scheduler.AddPeer(peer);
        var absent = Enumerable.Range(0, 30).Select(i => Keccak256.Hash(BitConverter.GetBytes(-i - 1))).ToList();
        var contract = state.Storage.First().Key;
        var absentSlots = Enumerable.Range(0, 10).Select(i => (contract, Keccak256.Hash(BitConverter.GetBytes(-i - 100)))).ToList();
        var (accountValues, slotValues) = Read(scheduler, local, state.Root, absent, absentSlots);
        Assert.All(accountValues, Assert.Null);
        Assert.All(slotValues, Assert.Null);
        FakePeer.AssertOnlyVerified(local);
        Assert.Empty(peer.Faults);
    }

    [Theory]
    [InlineData(FakeFault.WrongBytes, false)]
    [InlineData(FakeFault.OmitsKey, false)]
    [InlineData(FakeFault.ClaimsAbsent, false)]
    [InlineData(FakeFault.Oversized, false)]
    [InlineData(FakeFault.WrongBytes, true)]
    [InlineData(FakeFault.OmitsKey, true)]
    [InlineData(FakeFault.ClaimsAbsent, true)]
    [InlineData(FakeFault.Oversized, true)]
    public async Task A_range_answer_that_does_not_prove_the_key_is_rejected_nothing_of_it_stored_and_the_peer_penalized(FakeFault fault, bool slot)
    {
        var state = BuildState(3, 600);
        var contract = state.Storage.First();
        var local = new MemoryKeyValueStore();
        await using var scheduler = new StateScheduler(local, new SyncMetrics());
        scheduler.CurrentRoot = state.Root;
        var roots = Roots(state.Root);
        MissingNode missing;
        if (slot)
        {
            // The reader already holds the account (and so the path to it); the storage trie is what it lacks.
            CopyAccountPath(state, contract.Key, local);
            var storageRoot = SlimAccount.StorageRoot(state.Accounts.Single(a => a.Key == contract.Key).Body);
            missing = MissingNode.ForRead(storageRoot, TrieOwner.Storage(contract.Key), [], Nibbles.FromBytes(contract.Value[5].Key.Bytes));
        }
        else
        {
            missing = MissingNode.ForRead(state.Root, TrieOwner.AccountTrie, [], Nibbles.FromBytes(state.Accounts[100].Key.Bytes));
        }
        long before = local.Iterate(Column.TrieNodes, []).Count();
        var bad = new FakePeer("bad", state.Store, roots, 1, Modern, 0, 1, fault: fault);
        scheduler.AddPeer(bad);
        var fetch = scheduler.FetchAsync(missing, FetchPriority.Urgent, FetchKinds.Urgent);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (bad.Faults.Count == 0 && DateTime.UtcNow < deadline) await Task.Delay(10);
        Assert.Contains(PeerFault.WrongData, bad.Faults);
        Assert.False(fetch.IsCompleted);
        Assert.Equal(before, local.Iterate(Column.TrieNodes, []).Count());

        scheduler.AddPeer(new FakePeer("good", state.Store, roots, 2, Modern, 1, 5));
        var bytes = await fetch.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(missing.Hash, Keccak256.Hash(bytes));
        FakePeer.AssertOnlyVerified(local);
    }

    [Fact]
    public async Task A_slot_whose_account_is_not_local_is_proven_from_the_missing_node_down()
    {
        var state = BuildState(7, 300);
        var (owner, slots) = state.Storage.First();
        var storageRoot = SlimAccount.StorageRoot(state.Accounts.Single(a => a.Key == owner).Body);
        var slot = slots[3].Key;
        var nibbles = Nibbles.FromBytes(slot.Bytes);
        var top = (BranchNode)NodeDecoder.Decode(storageRoot, state.Store.Get(Column.TrieNodes, storageRoot.Bytes)!);
        var child = (HashNode)top.Children[nibbles[0]]!;
        var local = new MemoryKeyValueStore();
        await using var scheduler = new StateScheduler(local, new SyncMetrics());
        scheduler.CurrentRoot = state.Root;
        scheduler.AddPeer(new FakePeer("modern", state.Store, Roots(state.Root), 3, Modern, 1, 5));
        var missing = MissingNode.ForRead(child.Hash, TrieOwner.Storage(owner), nibbles.AsSpan(0, 1), nibbles);
        var bytes = await scheduler.FetchAsync(missing, FetchPriority.Urgent, FetchKinds.Urgent).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(child.Hash, Keccak256.Hash(bytes));
        FakePeer.AssertOnlyVerified(local);
    }

    [Fact]
    public async Task A_node_first_wanted_under_a_root_the_peers_dropped_comes_under_the_newer_root_of_a_later_reader()
    {
        // The devnet stall: backfill asked for a storage node under an executed root; the executor then met the same
        // node (one hash, so one want) under its own root, but the want kept the first root, which left the window of
        // a peer that serves no hashes: every answer was empty until the read timed out.
        var state = BuildState(11, 400);
        var (owner, slots) = state.Storage.First();
        var storageRoot = SlimAccount.StorageRoot(state.Accounts.Single(a => a.Key == owner).Body);
        var newer = new PatriciaTrie(new StoreNodeSource(state.Store), state.Root);
        var other = state.Accounts.First(a => !state.Storage.ContainsKey(a.Key)).Key;
        newer.Set(other.Bytes, Rlp.EncodeList(Rlp.Encode(1_000_000UL), Rlp.Encode(1UL), Rlp.EncodeBytes(Hash256.EmptyTrieRoot.Bytes), Rlp.EncodeBytes(Hash256.EmptyKeccak.Bytes)));
        var newRoot = newer.Commit(state.Store);
        var nibbles = Nibbles.FromBytes(slots[2].Key.Bytes);
        var child = (HashNode)((BranchNode)NodeDecoder.Decode(storageRoot, state.Store.Get(Column.TrieNodes, storageRoot.Bytes)!)).Children[nibbles[0]]!;
        var local = new MemoryKeyValueStore();
        await using var scheduler = new StateScheduler(local, new SyncMetrics());
        // Slow enough that the second reader comes while the first request is still out.
        var peer = new FakePeer("modern", state.Store, Roots(newRoot), 3, Modern, 300, 350);
        scheduler.AddPeer(peer);

        var backfill = scheduler.FetchAsync(MissingNode.Structural(child.Hash, TrieOwner.Storage(owner), nibbles[..1]), FetchPriority.Backfill, FetchKinds.Backfill, state.Root);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (Volatile.Read(ref peer.Requests) == 0 && DateTime.UtcNow < deadline) await Task.Delay(10);
        var urgent = scheduler.FetchAsync(MissingNode.ForRead(child.Hash, TrieOwner.Storage(owner), nibbles.AsSpan(0, 1), nibbles), FetchPriority.Urgent, FetchKinds.Urgent, newRoot);

        var bytes = await urgent.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(child.Hash, Keccak256.Hash(bytes));
        Assert.Equal(bytes, await backfill.WaitAsync(TimeSpan.FromSeconds(1)));
        FakePeer.AssertOnlyVerified(local);
    }

    [Fact]
    public async Task A_read_under_a_root_every_peer_says_it_no_longer_serves_fails_at_once_and_the_root_is_reported_gone()
    {
        var state = BuildState(12, 300);
        var newer = new PatriciaTrie(new StoreNodeSource(state.Store), state.Root);
        newer.Set(state.Accounts[5].Key.Bytes, Rlp.EncodeList(Rlp.Encode(7UL), Rlp.Encode(1UL), Rlp.EncodeBytes(Hash256.EmptyTrieRoot.Bytes), Rlp.EncodeBytes(Hash256.EmptyKeccak.Bytes)));
        var newRoot = newer.Commit(state.Store);
        var local = new MemoryKeyValueStore();
        await using var scheduler = new StateScheduler(local, new SyncMetrics());
        for (int i = 0; i < 2; i++) scheduler.AddPeer(new FakePeer($"modern{i}", state.Store, Roots(newRoot), 20 + i, Modern, 1, 5));
        var account = Nibbles.FromBytes(state.Accounts[100].Key.Bytes);

        var gone = scheduler.FetchAsync(MissingNode.ForRead(state.Root, TrieOwner.AccountTrie, [], account), FetchPriority.Urgent, FetchKinds.Urgent, state.Root);
        var failure = await Assert.ThrowsAsync<StateRootUnavailableException>(() => gone.WaitAsync(TimeSpan.FromSeconds(5)));
        Assert.Equal(state.Root, failure.Root);
        Assert.True(scheduler.PeersLackRoot(state.Root));
        Assert.False(scheduler.PeersLackRoot(newRoot));
        // Backfill under it too, after one more answer: its walk goes on under a newer root rather than wait.
        var backfill = scheduler.FetchAsync(MissingNode.Structural(state.Root, TrieOwner.AccountTrie, []), FetchPriority.Backfill, FetchKinds.Backfill, state.Root);
        await Assert.ThrowsAsync<StateRootUnavailableException>(() => backfill.WaitAsync(TimeSpan.FromSeconds(5)));

        var served = await scheduler.FetchAsync(MissingNode.ForRead(newRoot, TrieOwner.AccountTrie, [], account), FetchPriority.Urgent, FetchKinds.Urgent, newRoot).WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(newRoot, Keccak256.Hash(served));
        Assert.False(scheduler.PeersLackRoot(newRoot));
    }

    private static void CopyAccountPath(AccountState state, Hash256 account, IKeyValueStore local)
    {
        var proof = Proof.Prove(new PatriciaTrie(new StoreNodeSource(state.Store), state.Root), account.Bytes);
        foreach (var node in proof) local.Put(Column.TrieNodes, Keccak256.Hash(node).Bytes, node);
    }

    [Fact]
    public async Task A_legacy_peer_and_a_modern_peer_are_both_used_and_counted_per_form()
    {
        var state = BuildState(4, 1500);
        var local = new MemoryKeyValueStore();
        var metrics = new SyncMetrics();
        await using var scheduler = new StateScheduler(local, metrics);
        scheduler.CurrentRoot = state.Root;
        var roots = Roots(state.Root);
        scheduler.AddPeer(new FakePeer("legacy", state.Store, roots, 1, StateForms.ByHash, 5, 10));
        scheduler.AddPeer(new FakePeer("modern", state.Store, roots, 2, Modern, 5, 10));
        var accounts = state.Accounts.Where((_, i) => i % 5 == 1).Take(150).ToList();
        var (values, _) = Read(scheduler, local, state.Root, accounts.ConvertAll(a => a.Key), []);
        for (int i = 0; i < accounts.Count; i++) Assert.Equal(accounts[i].Body, values[i]);
        var stats = metrics.Snapshot();
        Assert.True(stats.RoundTripsByForm.GetValueOrDefault(WireForms.Key) > 0, "no read by key");
        Assert.True(stats.RoundTripsByForm.GetValueOrDefault(WireForms.Hash) > 0, "no read by hash");
        Assert.True(stats.NodesFetchedByPeer.Count == 2, string.Join(", ", stats.NodesFetchedByPeer));
    }
}
