using BeamSync.Chain;
using BeamSync.Chain.Execution;
using BeamSync.Chain.Processing;
using BeamSync.Chain.Store;
using BeamSync.Core;
using BeamSync.Core.Specs;
using BeamSync.Core.Types;
using BeamSync.Db;
using BeamSync.Network.Snap;
using BeamSync.Sync.Accelerators;
using BeamSync.Sync.Beam;
using BeamSync.Sync.Peers;
using BeamSync.Sync.Scheduling;
using BeamSync.Tests.Shared;
using BeamSync.Trie;

namespace BeamSync.Sync.Tests;

/// <summary>
/// Beam Sync end to end in one process on a real chain (the devp2p conformance chain): a node with an empty store
/// follows heads named by hash, anchors, executes every block with state fetched from fake peers over a full node's
/// store, backfills, and ends full with the state root the chain's header commits to.
/// </summary>
public sealed class BeamSyncerTests
{
    private static readonly Hash256 Block600Root = Hash256.Parse("0x8fcfb02cfca007773bd55bc1c3e50a3c8612a59c87ce057e5957e8bf17c1728b");

    private sealed record FullNode(ChainSpec Spec, MemoryKeyValueStore Store, List<Block> Blocks, RecentStateRoots Roots);

    private static FullNode ImportGethEthTest() => ImportChain("chains/geth-ethtest");

    private static FullNode ImportChain(string fixtureFolder) => ImportChain(fixtureFolder, witnesses: null);

    /// <summary>Imports the chain as a full node; <paramref name="witnesses"/>, when given, gets each block's witness (the nodes its import read, in order).</summary>
    private static FullNode ImportChain(string fixtureFolder, Dictionary<Hash256, IReadOnlyCollection<Hash256>>? witnesses)
    {
        var folder = TestFixtures.PathOf(fixtureFolder);
        var spec = ChainSpec.Load(Path.Combine(folder, "genesis.json"));
        var blocks = ChainFile.Read(File.ReadAllBytes(Path.Combine(folder, "chain.rlp"))).ToList();
        var store = new MemoryKeyValueStore();
        var roots = new RecentStateRoots();
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                RecordingNodeSource? reading = null;
                var states = witnesses is null ? new EvmStateFactory(store) : new EvmStateFactory(store, pending => reading = new RecordingNodeSource(new StoreNodeSource(pending)));
                var chain = new Blockchain(spec, new BlockStore(store), states);
                chain.InitializeGenesis();
                foreach (var b in blocks)
                {
                    chain.Import(b);
                    roots.Add(b.Header.StateRoot);
                    if (witnesses is not null && reading is not null) witnesses[b.Hash] = reading.Read;
                }
            }
            catch (Exception e) { failure = e; }
        }, Evm.VirtualMachine.RequiredStackSize);
        thread.Start();
        thread.Join();
        Assert.Null(failure);
        return new FullNode(spec, store, blocks, roots);
    }

    /// <summary>A beam syncer over <paramref name="local"/> with the given peers, its clock started and running.</summary>
    private static BeamSyncer Start(FullNode full, IKeyValueStore local, SyncOptions options, SchedulerOptions? scheduler = null, ISyncPeer[]? peers = null)
    {
        var syncer = new BeamSyncer(full.Spec, local, options, log: new ConsoleTestLogger("beam"), schedulerOptions: scheduler);
        foreach (var peer in peers ?? []) syncer.AddPeer(peer);
        syncer.Metrics.MarkFirstConnectAttempt();
        syncer.Start();
        return syncer;
    }

    /// <summary>Two good peers over the full node's store, 1-8 ms away, seeded from <paramref name="seed"/>.</summary>
    private static ISyncPeer[] TwoPeers(FullNode full, int seed, StateForms forms = StateForms.ByHash | StateForms.ByPath | StateForms.Code, RecentStateRoots? window = null) =>
        [new FakePeer("p0", full.Store, window ?? full.Roots, seed, forms, 1, 8), new FakePeer("p1", full.Store, window ?? full.Roots, seed + 1, forms, 1, 8)];

    private static async Task WaitUntil(Func<bool> condition, TimeSpan timeout, Func<string> what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out waiting for " + what());
            await Task.Delay(20);
        }
    }

    /// <summary>A store whose full scans of the trie nodes take long, as a large RocksDB's do.</summary>
    private sealed class SlowScanStore(MemoryKeyValueStore inner) : IKeyValueStore
    {
        public byte[]? Get(Column column, ReadOnlySpan<byte> key) => inner.Get(column, key);
        public int Get(Column column, ReadOnlySpan<byte> key, Span<byte> destination) => inner.Get(column, key, destination);
        public bool Has(Column column, ReadOnlySpan<byte> key) => inner.Has(column, key);
        public void Put(Column column, ReadOnlySpan<byte> key, ReadOnlySpan<byte> value) => inner.Put(column, key, value);
        public void Delete(Column column, ReadOnlySpan<byte> key) => inner.Delete(column, key);
        public IWriteBatch StartBatch() => inner.StartBatch();
        public void Dispose() => inner.Dispose();

        public IEnumerable<KeyValuePair<byte[], byte[]>> Iterate(Column column, byte[] prefix)
        {
            if (column == Column.TrieNodes) Thread.Sleep(300);
            return inner.Iterate(column, prefix);
        }
    }

    [Fact]
    public async Task A_snapshot_that_shows_the_first_blocks_time_shows_the_state_nodes_local_then()
    {
        var full = ImportGethEthTest();
        var options = new SyncOptions { PivotLag = 1000, Witness = false, Backfill = false };
        await using var syncer = Start(full, new SlowScanStore(new MemoryKeyValueStore()), options, peers: TwoPeers(full, 300));
        syncer.OnNewHead(full.Blocks[549].Hash);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        SyncStats stats;
        while ((stats = syncer.Metrics.Snapshot()).TimeToFirstVerifiedBlockMs is null)
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out waiting for the first verified block");
            await Task.Delay(1);
        }
        // Read by the devnet and the tests as soon as the time appears: the count must be there with it, not 0.
        Assert.True(stats.LocalStateNodesAtFirstBlock > 0, $"first block verified in {stats.TimeToFirstVerifiedBlockMs:0} ms with {stats.LocalStateNodesAtFirstBlock} state nodes local");
    }

    [Fact]
    public async Task A_preview_runs_the_blocks_system_calls_so_their_contracts_state_is_local_before_the_block_executes()
    {
        var full = ImportGethEthTest();
        var block = full.Blocks[^1]; // a Prague block: EIP-4788 and EIP-2935 before its transactions, EIP-7002 and EIP-7251 after
        var parentRoot = full.Blocks[^2].Header.StateRoot;
        Assert.True(block.Header.ParentBeaconBlockRoot is not null);
        var local = new MemoryKeyValueStore();
        await using var scheduler = new StateScheduler(local, new SyncMetrics());
        scheduler.AddPeer(new FakePeer("modern", full.Store, full.Roots, 21, StateForms.ByKey | StateForms.Code, 1, 5));
        // The chain's headers from the full node (the fork of a block needs them), its state from the empty local store.
        var chain = new Blockchain(full.Spec, new BlockStore(full.Store), new EvmStateFactory(full.Store));
        using var previewer = new Previewer(chain, local, scheduler, 2, TimeSpan.FromSeconds(20));
        // No transaction names a system contract: only the system calls read them.
        await previewer.Preview(new Block(block.Header, new BlockBody([], [], block.Body.Withdrawals)), parentRoot).WaitAsync(TimeSpan.FromSeconds(30));

        var state = new BeamSync.State.TrieStateStore(local, parentRoot);
        foreach (var contract in new[] { SystemContracts.BeaconRoots, SystemContracts.HistoryStorage, SystemContracts.WithdrawalRequests, SystemContracts.ConsolidationRequests })
        {
            Assert.True(state.TryGetAccount(contract, out var account), $"{contract} is not local");
            Assert.NotEmpty(state.GetCode(account.CodeHash));
        }
        // The beacon root the block stores goes to slot timestamp % 8191 (EIP-4788): read by the call, so local.
        state.GetStorage(SystemContracts.BeaconRoots, new UInt256(block.Header.Timestamp % 8191));
        FakePeer.AssertOnlyVerified(local);
    }

    [Theory]
    [InlineData(StateForms.ByHash | StateForms.Code, true)]
    [InlineData(StateForms.ByPath | StateForms.Code, true)]
    [InlineData(StateForms.ByPath | StateForms.Code, false)]
    [InlineData(StateForms.ByHash | StateForms.ByPath | StateForms.Code, false)]
    [InlineData(StateForms.ByKey | StateForms.Code, true)]
    public async Task An_empty_node_follows_heads_verifies_every_block_backfills_and_ends_full(StateForms forms, bool accelerators)
    {
        var full = ImportGethEthTest();
        var local = new MemoryKeyValueStore();
        var options = new SyncOptions { PivotLag = 1000, Prefetch = accelerators, Preview = accelerators, Witness = false, PreviewThreads = 2 };
        await using var syncer = Start(full, local, options, peers: TwoPeers(full, 100, forms));
        syncer.OnNewHead(full.Blocks[549].Hash); // block 550
        await WaitUntil(() => syncer.Metrics.Executed >= 550, TimeSpan.FromSeconds(60), () => $"block 550 (executed {syncer.Metrics.Executed})");
        Assert.Equal(550UL, syncer.Metrics.Snapshot().Pivot);
        Assert.True(syncer.Metrics.Snapshot().LocalStateNodesAtFirstBlock > 0);
        for (int n = 551; n <= 600; n += 7) syncer.OnNewHead(full.Blocks[Math.Min(n, 600) - 1].Hash);
        syncer.OnNewHead(full.Blocks[599].Hash);
        await WaitUntil(() => syncer.Metrics.Executed >= 600, TimeSpan.FromSeconds(120), () => $"block 600 (executed {syncer.Metrics.Executed})");
        await WaitUntil(() => syncer.IsFull, TimeSpan.FromSeconds(120), () => $"full ({syncer.Metrics.Snapshot().Backfill}; {syncer.Scheduler.DescribeAsync().Result})");
        var stats = syncer.Metrics.Snapshot();
        Assert.Equal(51, stats.BlocksExecuted);
        // Full at whichever block the proof ran on (the anchor 549 or an executed one): the root its header commits to.
        Assert.Contains(full.Blocks, b => b.Header.StateRoot.ToString() == stats.FinalStateRoot && b.Number >= 549);
        Assert.Equal(0, syncer.ProveComplete(Block600Root).Absent);
        Assert.True(stats.NodesFetchedByKind[FetchKinds.Backfill] > 0);
        FakePeer.AssertOnlyVerified(local);
    }

    [Theory]
    [InlineData(StateForms.ByHash | StateForms.ByPath | StateForms.Code)]
    [InlineData(StateForms.ByKey | StateForms.Code)] // today's peers: snap/2 ranges and codes only
    public async Task A_run_held_back_past_the_threshold_pivots_counts_it_and_still_completes(StateForms forms)
    {
        var full = ImportGethEthTest();
        var local = new MemoryKeyValueStore();
        var options = new SyncOptions { PivotLag = 5, Witness = false, PreviewThreads = 2 };
        await using var syncer = Start(full, local, options, peers: TwoPeers(full, 200, forms));
        syncer.OnNewHead(full.Blocks[539].Hash); // block 540
        await WaitUntil(() => syncer.Metrics.Snapshot().Pivot == 540, TimeSpan.FromSeconds(60), () => "the anchor");
        // Held back: the head runs 20 blocks ahead of what executes, four times the threshold. Announced while block
        // 540 still fetches its state, so backfill (paused while the lag is high) cannot make the node full first.
        syncer.OnNewHead(full.Blocks[559].Hash);
        await WaitUntil(() => syncer.Metrics.Executed >= 540, TimeSpan.FromSeconds(60), () => "first block");
        await WaitUntil(() => syncer.Metrics.Snapshot().Pivots >= 1, TimeSpan.FromSeconds(60), () => "a pivot");
        Assert.True(syncer.Metrics.Snapshot().Pivot >= 559);
        syncer.OnNewHead(full.Blocks[599].Hash);
        await WaitUntil(() => syncer.Metrics.Executed >= 600, TimeSpan.FromSeconds(120), () => $"block 600 (executed {syncer.Metrics.Executed}; {syncer.Scheduler.DescribeAsync().Result})");
        await WaitUntil(() => syncer.IsFull, TimeSpan.FromSeconds(120), () => $"full ({syncer.Metrics.Snapshot().Backfill}; {syncer.Scheduler.DescribeAsync().Result})");
        Assert.Equal(0, syncer.ProveComplete(Block600Root).Absent);
        FakePeer.AssertOnlyVerified(local);
    }

    [Fact]
    public async Task A_block_whose_pre_state_left_the_peers_window_before_it_executed_pivots_to_the_newest_head_and_completes()
    {
        var full = ImportGethEthTest();
        var local = new MemoryKeyValueStore();
        // Today's peers: ranges only, and only the roots of blocks 545 on, so the anchor's (539) is gone before block
        // 540 runs. That block can never execute; the rule against two pivots without a block between must yield.
        var window = new RecentStateRoots();
        foreach (var b in full.Blocks.Where(b => b.Number >= 545)) window.Add(b.Header.StateRoot);
        var options = new SyncOptions { PivotLag = 5, Witness = false, PreviewThreads = 2 };
        await using var syncer = Start(full, local, options, peers: TwoPeers(full, 600, StateForms.ByKey | StateForms.Code, window));
        syncer.OnNewHead(full.Blocks[539].Hash); // block 540
        await WaitUntil(() => syncer.Metrics.Snapshot().Pivot == 540, TimeSpan.FromSeconds(60), () => "the anchor");
        syncer.OnNewHead(full.Blocks[559].Hash);
        await WaitUntil(() => syncer.Metrics.Executed >= 560, TimeSpan.FromSeconds(60), () => $"block 560 (executed {syncer.Metrics.Executed}; {syncer.Scheduler.DescribeAsync().Result})");
        var stats = syncer.Metrics.Snapshot();
        Assert.Equal(560UL, stats.Pivot);
        Assert.Equal(1, stats.Pivots);
        syncer.OnNewHead(full.Blocks[599].Hash);
        await WaitUntil(() => syncer.Metrics.Executed >= 600, TimeSpan.FromSeconds(120), () => $"block 600 (executed {syncer.Metrics.Executed})");
        await WaitUntil(() => syncer.IsFull, TimeSpan.FromSeconds(120), () => $"full ({syncer.Metrics.Snapshot().Backfill}; {syncer.Scheduler.DescribeAsync().Result})");
        Assert.Equal(0, syncer.ProveComplete(Block600Root).Absent);
        FakePeer.AssertOnlyVerified(local);
    }

    [Fact]
    public async Task A_full_node_held_back_catches_up_by_executing_every_block_and_never_pivots()
    {
        var full = ImportGethEthTest();
        var local = new MemoryKeyValueStore();
        var options = new SyncOptions { PivotLag = 5, Witness = false, PreviewThreads = 2 };
        await using var syncer = Start(full, local, options, peers: TwoPeers(full, 300));
        syncer.OnNewHead(full.Blocks[539].Hash); // block 540
        await WaitUntil(() => syncer.IsFull, TimeSpan.FromSeconds(120), () => $"full ({syncer.Metrics.Snapshot().Backfill})");
        long fetchedWhenFull = syncer.Metrics.Snapshot().NodesFetchedByKind.Values.Sum();
        // Twenty blocks behind, four times the threshold: skipping them would leave the full node without their state.
        syncer.OnNewHead(full.Blocks[559].Hash);
        await WaitUntil(() => syncer.Metrics.Executed >= 560, TimeSpan.FromSeconds(60), () => $"block 560 (executed {syncer.Metrics.Executed})");
        Assert.Equal(0, syncer.Metrics.Snapshot().Pivots);
        Assert.True(syncer.IsFull);
        Assert.Equal(fetchedWhenFull, syncer.Metrics.Snapshot().NodesFetchedByKind.Values.Sum());
    }

    [Fact]
    public async Task A_full_node_restarted_on_its_store_comes_back_full_fetches_no_state_and_keeps_verifying()
    {
        var full = ImportGethEthTest();
        var local = new MemoryKeyValueStore();
        var options = new SyncOptions { PivotLag = 1000, Witness = false, PreviewThreads = 2 };
        await using (var first = Start(full, local, options, peers: TwoPeers(full, 600)))
        {
            first.OnNewHead(full.Blocks[559].Hash); // block 560
            await WaitUntil(() => first.IsFull, TimeSpan.FromSeconds(120), () => $"full ({first.Metrics.Snapshot().Backfill})");
            first.OnNewHead(full.Blocks[569].Hash);
            await WaitUntil(() => first.Metrics.Executed >= 570, TimeSpan.FromSeconds(60), () => $"block 570 (executed {first.Metrics.Executed})");
        }

        // The same store, a new syncer, new peers: as after a process restart.
        var peers = TwoPeers(full, 610);
        await using var restarted = Start(full, local, options, peers: peers);
        Assert.True(restarted.IsFull);
        Assert.Equal("full", restarted.Metrics.Snapshot().Mode);
        restarted.OnNewHead(full.Blocks[599].Hash);
        await WaitUntil(() => restarted.Metrics.Executed >= 600, TimeSpan.FromSeconds(60), () => $"block 600 (executed {restarted.Metrics.Executed})");
        var stats = restarted.Metrics.Snapshot();
        Assert.Equal(30, stats.BlocksExecuted);
        Assert.Equal(0, stats.Pivots);
        Assert.Equal(0, stats.NodesFetchedByKind.Values.Sum());
        Assert.Equal(0, stats.RoundTrips);
        Assert.All(peers, p => Assert.Equal(0, ((FakePeer)p).NodesServed));
        Assert.True(restarted.IsFull);
        Assert.Equal(0, restarted.ProveComplete(Block600Root).Absent);
    }

    [Theory]
    [InlineData(FakeFault.WrongBytes)]
    [InlineData(FakeFault.WrongCode)]
    [InlineData(FakeFault.Empty)]
    [InlineData(FakeFault.Late)]
    [InlineData(FakeFault.Silent)]
    public async Task A_bad_peer_of_each_kind_is_penalized_and_routed_around_and_the_sync_still_ends_full(FakeFault fault)
    {
        var full = ImportGethEthTest();
        var local = new MemoryKeyValueStore();
        var options = new SyncOptions { PivotLag = 1000, Witness = false, PreviewThreads = 2, ChainDataTimeout = TimeSpan.FromSeconds(1) };
        // The bad peer answers fastest, so it is asked first and often.
        var bad = new FakePeer("bad", full.Store, full.Roots, 400, minDelayMs: 0, maxDelayMs: 1, fault: fault);
        var good = new FakePeer("good", full.Store, full.Roots, 401, minDelayMs: 5, maxDelayMs: 15);
        await using var syncer = Start(full, local, options, new SchedulerOptions { MinTimeout = TimeSpan.FromMilliseconds(200), MaxTimeout = TimeSpan.FromSeconds(1) }, [bad, good]);
        syncer.OnNewHead(full.Blocks[579].Hash); // block 580
        await WaitUntil(() => syncer.Metrics.Executed >= 580, TimeSpan.FromSeconds(90), () => $"block 580 (executed {syncer.Metrics.Executed})");
        syncer.OnNewHead(full.Blocks[599].Hash);
        await WaitUntil(() => syncer.Metrics.Executed >= 600, TimeSpan.FromSeconds(90), () => $"block 600 (executed {syncer.Metrics.Executed})");
        await WaitUntil(() => syncer.IsFull, TimeSpan.FromSeconds(120), () => $"full ({syncer.Metrics.Snapshot().Backfill}; {syncer.Scheduler.DescribeAsync().Result})");
        Assert.Equal(0, syncer.ProveComplete(Block600Root).Absent);
        Assert.NotEmpty(bad.Faults);
        Assert.True(good.NodesServed > 0);
        FakePeer.AssertOnlyVerified(local);
    }

    /// <summary>The geth-ethtest chain with each block's witness, and a block past 300 whose witness holds the leaf of an account with code (it runs a contract).</summary>
    private static (FullNode Full, Dictionary<Hash256, IReadOnlyCollection<Hash256>> Witnesses, Block Block) ChainWithWitnesses()
    {
        var witnesses = new Dictionary<Hash256, IReadOnlyCollection<Hash256>>();
        var full = ImportChain("chains/geth-ethtest", witnesses);
        var block = full.Blocks.Skip(300).First(b => witnesses[b.Hash].Any(h => AccountLeaves.TryCodeHash(h, full.Store.Get(Column.TrieNodes, h.Bytes)!, out _)));
        return (full, witnesses, block);
    }

    private static readonly SyncOptions WitnessOnly = new() { PivotLag = 1000, Prefetch = false, Preview = false, Witness = true, Backfill = false };

    private static FakePeer WitnessPeer(FullNode full, Dictionary<Hash256, IReadOnlyCollection<Hash256>> witnesses) =>
        new("w0", full.Store, full.Roots, 600, StateForms.ByHash | StateForms.Code | StateForms.Witness, 1, 8, witnesses: witnesses);

    [Fact]
    public async Task With_witnesses_alone_the_first_block_waits_for_no_code_the_account_leaves_of_its_witness_name_it()
    {
        var (full, witnesses, block) = ChainWithWitnesses();
        var local = new MemoryKeyValueStore();
        await using var syncer = Start(full, local, WitnessOnly, peers: [WitnessPeer(full, witnesses)]);
        syncer.OnNewHead(block.Hash);
        await WaitUntil(() => syncer.Metrics.Executed >= block.Number, TimeSpan.FromSeconds(60), () => $"block {block.Number} (executed {syncer.Metrics.Executed})");
        var stats = syncer.Metrics.Snapshot();
        Assert.Equal(block.Number, stats.Pivot);
        Assert.True(stats.NodesFetchedByKind[FetchKinds.Witness] > 0);
        // Without the code its leaves name, each contract the block calls is an urgent miss in the middle of execution.
        Assert.Equal(0, stats.NodesFetchedByKind[FetchKinds.Urgent]);
        Assert.True(local.Iterate(Column.Code, []).Any());
        FakePeer.AssertOnlyVerified(local);
    }

    [Fact]
    public async Task With_a_witness_the_first_block_executes_while_its_nodes_stream_in_and_no_node_is_asked_twice()
    {
        var (full, witnesses, block) = ChainWithWitnesses();
        var local = new MemoryKeyValueStore();
        // A slow uplink: the witness comes one node an answer, one answer at a time, many round trips after its hashes.
        var peer = new FakePeer("w0", full.Store, full.Roots, 600, StateForms.ByHash | StateForms.Code | StateForms.Witness, 30, 40, witnesses: witnesses);
        var scheduler = new SchedulerOptions { MaxHashesPerRequest = 1, MaxRequestsPerPeer = 1 };
        await using var syncer = Start(full, local, WitnessOnly, scheduler, [peer]);
        syncer.OnNewHead(block.Hash);
        await WaitUntil(() => syncer.Metrics.Executed >= block.Number, TimeSpan.FromSeconds(60), () => $"block {block.Number} (executed {syncer.Metrics.Executed})");
        var stats = syncer.Metrics.Snapshot();
        var timeline = stats.FirstBlockTimeline;
        Assert.True(timeline[FirstBlockSteps.ExecutionStart] < timeline[FirstBlockSteps.WitnessLocal],
            string.Join(", ", timeline.Select(p => $"{p.Key} {p.Value:0}")) + $"; witness of {witnesses[block.Hash].Count} nodes");
        // The executor's reads of witness nodes joined the witness's requests: none asked again, none urgent.
        Assert.DoesNotContain(peer.AskedByHash, a => a.Value > 1);
        Assert.Equal(0, stats.DuplicateNodesReceived);
        Assert.Equal(0, stats.NodesFetchedByKind.GetValueOrDefault(FetchKinds.Urgent));
        FakePeer.AssertOnlyVerified(local);
    }

    [Fact]
    public async Task A_read_of_a_node_the_streaming_witness_does_not_name_is_an_urgent_request_of_its_own()
    {
        var (full, witnesses, block) = ChainWithWitnesses();
        // Every tenth node left out: the block's reads of those are misses no witness request covers.
        var partial = new Dictionary<Hash256, IReadOnlyCollection<Hash256>>(witnesses)
        {
            [block.Hash] = witnesses[block.Hash].Where((_, i) => i % 10 != 5).ToList(),
        };
        var local = new MemoryKeyValueStore();
        var peer = new FakePeer("w0", full.Store, full.Roots, 600, StateForms.ByHash | StateForms.Code | StateForms.Witness, 20, 30, witnesses: partial);
        await using var syncer = Start(full, local, WitnessOnly, new SchedulerOptions { MaxHashesPerRequest = 4, MaxRequestsPerPeer = 1 }, [peer]);
        syncer.OnNewHead(block.Hash);
        await WaitUntil(() => syncer.Metrics.Executed >= block.Number, TimeSpan.FromSeconds(60), () => $"block {block.Number} (executed {syncer.Metrics.Executed})");
        var stats = syncer.Metrics.Snapshot();
        Assert.True(stats.NodesFetchedByKind.GetValueOrDefault(FetchKinds.Urgent) > 0);
        Assert.DoesNotContain(peer.AskedByHash, a => a.Value > 1);
        Assert.Equal(0, stats.DuplicateNodesReceived);
        FakePeer.AssertOnlyVerified(local);
    }

    [Fact]
    public async Task A_full_node_at_its_genesis_executes_every_block_from_block_1_fetching_no_state()
    {
        var full = ImportGethEthTest();
        var local = new MemoryKeyValueStore();
        // A node that built the genesis state itself (a devnet server): its store holds the whole state from the start.
        var genesis = new Blockchain(full.Spec, new BlockStore(local), new EvmStateFactory(local)).InitializeGenesis();
        BeamSyncer.MarkFull(local, genesis.StateRoot);
        await using var syncer = Start(full, local, new SyncOptions { PivotLag = 5, PreviewThreads = 2 }, peers: TwoPeers(full, 700));
        // Head 2 first: the headers asked for beyond it run into the genesis, whose parent nobody has; they link all the same.
        syncer.OnNewHead(full.Blocks[1].Hash);
        await WaitUntil(() => syncer.Metrics.Executed >= 2, TimeSpan.FromSeconds(60), () => $"block 2 (executed {syncer.Metrics.Executed})");
        syncer.OnNewHead(full.Blocks[39].Hash);
        await WaitUntil(() => syncer.Metrics.Executed >= 40, TimeSpan.FromSeconds(60), () => $"block 40 (executed {syncer.Metrics.Executed})");
        var stats = syncer.Metrics.Snapshot();
        Assert.True(syncer.IsFull);
        Assert.Equal("full", stats.Mode);
        Assert.Equal(40, stats.BlocksExecuted);
        Assert.Equal(0, stats.Pivots);
        Assert.Equal(0, stats.RoundTrips);
        Assert.Equal(full.Blocks[39].Header.StateRoot, syncer.Chain.Head!.StateRoot);
    }

    [Fact]
    public async Task A_witness_no_peer_can_fetch_by_hash_is_not_used_and_the_block_gets_its_prefetch_and_preview()
    {
        var (full, witnesses, _) = ChainWithWitnesses();
        var block = full.Blocks[549]; // its parent's root within the peer's window, which serves by path
        var local = new MemoryKeyValueStore();
        // wit/0 and snap/1 but no hashes: a legacy server whose eth session went past eth/66 (no GetNodeData).
        var peer = new FakePeer("w0", full.Store, full.Roots, 600, StateForms.ByPath | StateForms.Code | StateForms.Witness, 1, 8, witnesses: witnesses);
        var options = new SyncOptions { PivotLag = 1000, Witness = true, Backfill = false, PreviewThreads = 2 };
        await using var syncer = Start(full, local, options, peers: [peer]);
        syncer.OnNewHead(block.Hash);
        await WaitUntil(() => syncer.Metrics.Executed >= block.Number, TimeSpan.FromSeconds(60), () => $"block {block.Number} (executed {syncer.Metrics.Executed})");
        var stats = syncer.Metrics.Snapshot();
        // Its witness's hashes would have stood in for prefetch and preview while no request could carry them.
        Assert.Equal(0, stats.NodesFetchedByKind.GetValueOrDefault(FetchKinds.Witness));
        Assert.True(stats.NodesFetchedByKind.GetValueOrDefault(FetchKinds.Prefetch) + stats.NodesFetchedByKind.GetValueOrDefault(FetchKinds.Preview) > 0,
            string.Join(", ", stats.NodesFetchedByKind));
        FakePeer.AssertOnlyVerified(local);
    }

    [Fact]
    public async Task A_head_named_before_any_peer_is_ready_is_anchored_once_one_is_with_its_witness()
    {
        var (full, witnesses, block) = ChainWithWitnesses();
        var local = new MemoryKeyValueStore();
        await using var syncer = Start(full, local, WitnessOnly);
        syncer.OnNewHead(block.Hash);
        await Task.Delay(300);
        Assert.Null(syncer.Metrics.Snapshot().Pivot);
        syncer.AddPeer(WitnessPeer(full, witnesses));
        await WaitUntil(() => syncer.Metrics.Executed >= block.Number, TimeSpan.FromSeconds(60), () => $"block {block.Number} (executed {syncer.Metrics.Executed})");
        var stats = syncer.Metrics.Snapshot();
        Assert.Equal(block.Number, stats.Pivot);
        // Its witness's hashes came before it executed; "witness local" may come after it is verified, since a block
        // executes while its witness streams in, and a step after the first verified block is not recorded.
        Assert.True(stats.FirstBlockTimeline.ContainsKey(FirstBlockSteps.WitnessHashes));
        Assert.Equal(0, stats.NodesFetchedByKind[FetchKinds.Urgent]);
    }

    [Fact]
    public void An_account_leaf_names_its_code_and_storage_leaves_branches_and_codeless_accounts_name_none()
    {
        var code = new byte[] { 0x60, 0x00, 0x60, 0x00, 0xf3 };
        var codeHash = Core.Crypto.Keccak256.Hash(code);
        var withCode = new Account(1, UInt256.One, Hash256.EmptyTrieRoot, codeHash).Encode();
        var withoutCode = new Account(1, UInt256.One, Hash256.EmptyTrieRoot, Hash256.EmptyKeccak).Encode();
        Assert.True(AccountLeaves.TryCodeHash(default, Leaf(withCode), out var named));
        Assert.Equal(codeHash, named);
        Assert.False(AccountLeaves.TryCodeHash(default, Leaf(withoutCode), out _));
        Assert.False(AccountLeaves.TryCodeHash(default, Leaf(Rlp.EncodeBytes([0x12, 0x34])), out _)); // a storage slot's value
        Assert.False(AccountLeaves.TryCodeHash(default, [0xc2, 0x80, 0x80], out _)); // not a node
        Assert.False(AccountLeaves.TryCodeHash(default, code, out _));

        static byte[] Leaf(byte[] value) => Rlp.EncodeList(Rlp.EncodeBytes([0x20, .. new byte[31]]), Rlp.EncodeBytes(value));
    }

    [FixtureFact("rpc-compat")]
    public async Task A_block_of_the_rpc_compat_chain_executed_from_empty_state_has_the_known_root()
    {
        // Homestead through the merge to Osaka and both blob parameter forks: every fork's rules meet fetched state.
        var full = ImportChain("rpc-compat");
        var local = new MemoryKeyValueStore();
        var options = new SyncOptions { PivotLag = 1000, Witness = false, PreviewThreads = 2 };
        await using var syncer = Start(full, local, options, peers: TwoPeers(full, 500));
        syncer.OnNewHead(full.Blocks[^1].Hash); // block 54, anchored on 53 with nothing but headers local
        await WaitUntil(() => syncer.Metrics.Executed >= 54, TimeSpan.FromSeconds(60), () => $"block 54 (executed {syncer.Metrics.Executed})");
        var stats = syncer.Metrics.Snapshot();
        Assert.Equal(54UL, stats.Pivot);
        Assert.True(stats.NodesFetchedByKind.Values.Sum() > 0);
        await WaitUntil(() => syncer.IsFull, TimeSpan.FromSeconds(60), () => $"full ({syncer.Metrics.Snapshot().Backfill})");
        var knownRoot = Hash256.Parse("0x6da8f636cdc85dbe8c1b5299e5db22f462c041febaf3b78cac1040152ee30b3b");
        Assert.Equal(0, syncer.ProveComplete(knownRoot).Absent);
        FakePeer.AssertOnlyVerified(local);
    }
}
