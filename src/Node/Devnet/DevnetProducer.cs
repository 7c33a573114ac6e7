using System.Diagnostics;
using BeamSync.Chain;
using BeamSync.Chain.Building;
using BeamSync.Chain.Execution;
using BeamSync.Chain.Store;
using BeamSync.Chain.Validation;
using BeamSync.Core;
using BeamSync.Core.Crypto;
using BeamSync.Core.Types;
using BeamSync.Db;
using BeamSync.State;
using BeamSync.Trie;
using BeamSync.Evm;

namespace BeamSync.Node.Devnet;

/// <summary>Where one block's production time went: generating and signing the workload, building, storing.</summary>
public readonly record struct ProductionTimes(TimeSpan Workload, TimeSpan Build, TimeSpan Store)
{
    public TimeSpan Total => Workload + Build + Store;
    public override string ToString() => $"{Total.TotalMilliseconds:F0} ms (workload {Workload.TotalMilliseconds:F0}, build {Build.TotalMilliseconds:F0}, store {Store.TotalMilliseconds:F0})";
}

/// <summary>A block the producer made, its workload (by transaction hash) and how long producing it took.</summary>
public sealed record ProducedBlock(BuiltBlock Built, IReadOnlyDictionary<Hash256, WorkloadTransaction> Workload, ProductionTimes Times)
{
    public Block Block => Built.Block;
}

/// <summary>
/// The devnet's block producer: owns a <see cref="Blockchain"/> over a store holding a devnet genesis, the workload
/// over its generated state and a pool of submitted transactions, and makes a block every
/// <see cref="DevnetOptions.BlockTime"/> on its own thread once <see cref="Start"/> is called (or one at a time through
/// <see cref="ProduceBlock"/>). A block is built by <see cref="BlockBuilder"/> and stored with its state writes in one
/// batch (no second execution); with <c>verifyByImport</c> it goes through <see cref="Blockchain.Import"/> instead,
/// which re-executes it. Keeps the state roots of the last <see cref="DevnetOptions.StateWindow"/> blocks for
/// serving. Thread-safe: <see cref="Submit"/>, <see cref="RecentStateRoots"/> and <see cref="Head"/> from any
/// thread; blocks are produced one at a time. <see cref="BlockProduced"/> is raised on the producing thread.
/// </summary>
public sealed class DevnetProducer : IDisposable
{
    private readonly DevnetState _state;
    private readonly BlockBuilder _builder;
    private readonly DevnetWorkload _workload;
    private readonly SubmittedTransactions _submitted = new();
    private readonly Queue<(ulong Number, Hash256 Root)> _recentRoots = new();
    private readonly bool _verifyByImport;
    private readonly Lock _produceLock = new();
    private readonly Lock _rootsLock = new();
    private CancellationTokenSource? _stop;
    private Thread? _thread;
    private int _reorgs;

    /// <summary>
    /// A producer over <paramref name="store"/>: writes the devnet genesis (and the options that define the chain)
    /// when the store is empty, or resumes the chain the store holds: its head, the workload's generator state stored
    /// with that head, and the recent state roots. A store made with other options throws
    /// <see cref="DevnetOptionsMismatchException"/>.
    /// </summary>
    /// <param name="readSource">How block building reads state (default: the store); a recording source yields witnesses.</param>
    public DevnetProducer(DevnetState state, IKeyValueStore store, bool verifyByImport = false, Func<IKeyValueStore, INodeSource>? readSource = null)
    {
        _state = state;
        _verifyByImport = verifyByImport;
        var blocks = new BlockStore(store);
        if (blocks.HeadHash is null) GenesisWrite = DevnetGenesis.Write(state, store);
        else DevnetResumeRecord.CheckOptions(store, state.Options);
        var states = new EvmStateFactory(store, readSource);
        Chain = new Blockchain(state.Spec, blocks, states);
        _builder = new BlockBuilder(state.Spec, states);
        _workload = DevnetResumeRecord.ReadWorkload(store) is { } stored
            ? new DevnetWorkload(state, (GeneratorStateAt(stored, Chain.Head!), address => NonceAtHead(store, address)))
            : Chain.Head!.Number == 0
                ? new DevnetWorkload(state)
                : throw new DevnetOptionsMismatchException($"the datadir's chain is at block {Chain.Head!.Number} but holds no workload state to resume from");
        RememberRecentRoots(Chain.Head!);
    }

    /// <summary>The stored generator state, which the block batch wrote with the head: a mismatch means a damaged store.</summary>
    private static ulong GeneratorStateAt((ulong BlockNumber, ulong GeneratorState) stored, BlockHeader head) =>
        stored.BlockNumber == head.Number
            ? stored.GeneratorState
            : throw new InvalidOperationException($"the stored workload state follows block {stored.BlockNumber}, not the head {head.Number}");

    private ulong NonceAtHead(IKeyValueStore store, Address address) =>
        new TrieStateStore(store, Head.StateRoot).TryGetAccount(address, out var account) ? account.Nonce : 0;

    /// <summary>The roots of the head and the blocks before it, up to the state window, oldest first.</summary>
    private void RememberRecentRoots(BlockHeader head)
    {
        var newestFirst = new List<BlockHeader> { head };
        while (newestFirst.Count < _state.Options.StateWindow && newestFirst[^1].Number > 0 && Chain.Store.GetHeader(newestFirst[^1].ParentHash) is { } parent)
            newestFirst.Add(parent);
        for (int i = newestFirst.Count - 1; i >= 0; i--) RememberRoot(newestFirst[i]);
    }

    public Blockchain Chain { get; }
    public DevnetState State => _state;
    public BlockHeader Head => Chain.Head!;

    /// <summary>The genesis write this producer did (null when it resumed a store).</summary>
    /// <remarks>A resumed producer continues the chain an uninterrupted one would have made: same blocks, same hashes.</remarks>
    public GenesisWriteResult? GenesisWrite { get; }

    /// <summary>Raised after each block is stored, on the producing thread (with what built it: its requests, receipts).</summary>
    public event Action<BuiltBlock>? BlockProduced;

    /// <summary>Raised when producing a block fails (the loop goes on with the next slot).</summary>
    public event Action<Exception>? ProductionFailed;

    /// <summary>Queues an external transaction for the next block; false when the pool is full.</summary>
    public bool Submit(Transaction transaction) => _submitted.TryAdd(transaction);

    /// <summary>(number, state root) of the newest blocks, oldest first, at most the state window.</summary>
    public IReadOnlyList<(ulong Number, Hash256 Root)> RecentStateRoots
    {
        get { lock (_rootsLock) return [.. _recentRoots]; }
    }

    /// <summary>
    /// Builds and stores one block on the head now: submitted transactions first, then the workload's. Needs
    /// <see cref="VirtualMachine.RequiredStackSize"/> of stack on the calling thread (the loop's thread has it).
    /// </summary>
    public ProducedBlock ProduceBlock()
    {
        lock (_produceLock) return ProduceOn(Head, purpose: 0);
    }

    /// <summary>Side branches made so far (<see cref="ProduceBranch"/>, and the loop's every <see cref="DevnetOptions.ReorgEvery"/> blocks).</summary>
    public int Reorgs => Volatile.Read(ref _reorgs);

    /// <summary>
    /// What a consensus client does on a late block: abandons the newest <paramref name="abandon"/> blocks (0: none),
    /// builds <paramref name="count"/> blocks on the block below them and makes the last one the head. The abandoned
    /// blocks stay stored (a node that was given them still finds them). Their transactions go back to the pool: the
    /// new branch's first block takes every other one of them (so it differs from the block it replaces, and the others
    /// are, for that block, only on the abandoned branch) and the next block the rest, with the workload's after them
    /// either time; one no longer valid is left out. Returns the abandoned blocks and the new ones, each oldest first.
    /// </summary>
    public (IReadOnlyList<Block> Abandoned, IReadOnlyList<ProducedBlock> Branch) ProduceBranch(int abandon, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(abandon);
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        lock (_produceLock)
        {
            var abandoned = new List<Block>();
            var forkPoint = Head;
            while (abandoned.Count < abandon)
            {
                if (forkPoint.Number == 0) throw new InvalidOperationException($"the chain has fewer than {abandon} blocks to abandon");
                abandoned.Insert(0, Chain.Store.GetBlock(forkPoint.Hash)!);
                forkPoint = Chain.GetHeader(forkPoint.ParentHash)!;
            }
            if (abandon > 0) Interlocked.Increment(ref _reorgs);
            var returned = abandoned.SelectMany(b => b.Transactions).ToList();
            var branch = new List<ProducedBlock>(count);
            var parent = forkPoint;
            for (int i = 0; i < count; i++)
            {
                var first = i == 0 ? returned.Where((_, index) => index % 2 == 1).ToList() : null;
                if (i == 1) _submitted.Requeue(returned.Where((_, index) => index % 2 == 0));
                var produced = ProduceOn(parent, purpose: abandon > 0 ? (byte)3 : (byte)0, first);
                branch.Add(produced);
                parent = produced.Block.Header;
            }
            if (count == 1) _submitted.Requeue(returned.Where((_, index) => index % 2 == 0));
            return (abandoned, branch);
        }
    }

    /// <summary>
    /// Builds a block on <paramref name="parent"/> from <paramref name="first"/>, the pool and the workload, stores it
    /// as the head and raises <see cref="BlockProduced"/>. <paramref name="purpose"/> varies prevRandao and the beacon
    /// root, so a side branch's block differs from the one it replaces even with the same transactions.
    /// </summary>
    private ProducedBlock ProduceOn(BlockHeader parent, byte purpose, List<Transaction>? first = null)
    {
        long start = Stopwatch.GetTimestamp();
        var generated = _workload.NextBlock(_state.Options.TransactionsPerBlock, BaseFee.Calculate(parent, true));
        var candidates = first ?? [];
        candidates.AddRange(_submitted.Take(SubmittedTransactions.Capacity));
        candidates.AddRange(generated.Select(w => w.Transaction));
        long generatedAt = Stopwatch.GetTimestamp();
        var built = _builder.Build(parent, AttributesFor(parent, purpose), candidates, BlockHashesAlong(parent));
        _workload.Settle(built);
        long builtAt = Stopwatch.GetTimestamp();
        Store(built);
        var times = new ProductionTimes(Stopwatch.GetElapsedTime(start, generatedAt), Stopwatch.GetElapsedTime(generatedAt, builtAt), Stopwatch.GetElapsedTime(builtAt));
        RememberRoot(built.Block.Header);
        BlockProduced?.Invoke(built);
        return new ProducedBlock(built, generated.ToDictionary(w => w.Transaction.Hash), times);
    }

    /// <summary>BLOCKHASH for a child of <paramref name="parent"/>: the canonical index up to the parent (a side branch's parent may be below the head).</summary>
    private Func<ulong, Hash256?> BlockHashesAlong(BlockHeader parent) => n => n <= parent.Number ? Chain.Store.GetCanonicalHash(n) : null;

    /// <summary>Starts producing a block every block time on a dedicated thread. Throws if already running.</summary>
    public void Start()
    {
        if (_thread is not null) throw new InvalidOperationException("the producer is already running");
        _stop = new CancellationTokenSource();
        var token = _stop.Token;
        _thread = new Thread(() => Run(token), VirtualMachine.RequiredStackSize) { IsBackground = true, Name = "devnet producer" };
        _thread.Start();
    }

    /// <summary>Stops the loop after the block in progress, if any; returns when the thread has ended.</summary>
    public void Stop()
    {
        if (_thread is null) return;
        _stop!.Cancel();
        _thread.Join();
        _thread = null;
        _stop.Dispose();
        _stop = null;
    }

    public void Dispose() => Stop();

    private void Run(CancellationToken token)
    {
        var blockTime = _state.Options.BlockTime;
        var next = Stopwatch.GetTimestamp();
        while (!token.IsCancellationRequested)
        {
            // The loop's boundary: a failed block is reported and the next slot tried; an exception escaping a
            // thread would end the process.
            try
            {
                int every = _state.Options.ReorgEvery;
                if (every > 0 && Head.Number > 0 && Head.Number % (ulong)every == 0) ProduceBranch(abandon: 1, count: 2);
                else ProduceBlock();
            }
            catch (Exception e) { ProductionFailed?.Invoke(e); }
            // Slots are fixed in time: a slow block shortens the wait for the next, it does not shift every later slot.
            next += (long)(blockTime.TotalSeconds * Stopwatch.Frequency);
            var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), next);
            if (wait > TimeSpan.Zero) token.WaitHandle.WaitOne(wait);
            else next = Stopwatch.GetTimestamp();
        }
    }

    /// <summary>
    /// The consensus side's part, made up deterministically: time advances by the block time in whole seconds (at
    /// least one), prevRandao and the beacon root are hashes of the seed and number, and one withdrawal of 1 gwei
    /// pays a rotating account.
    /// </summary>
    private BlockAttributes AttributesFor(BlockHeader parent, byte purpose)
    {
        ulong number = parent.Number + 1;
        ulong step = Math.Max(1, (ulong)Math.Round(_state.Options.BlockTime.TotalSeconds));
        var recipient = _state.Accounts[(int)(number % (ulong)_state.DelegationAccountsStart)].Address;
        Withdrawal[] withdrawals = [new Withdrawal(number, number % 64, recipient, 1)];
        return new BlockAttributes(parent.Timestamp + step, _state.Accounts[0].Address, SeedHash(number, (byte)(1 + purpose)), SeedHash(number, (byte)(2 + purpose)), withdrawals)
        {
            GasLimit = _state.Options.GasLimit,
        };
    }

    private Hash256 SeedHash(ulong number, byte purpose)
    {
        Span<byte> preimage = stackalloc byte[17];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(preimage, _state.Options.Seed);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(preimage[8..], number);
        preimage[16] = purpose;
        return Keccak256.Hash(preimage);
    }

    private void Store(BuiltBlock built)
    {
        var blocks = Chain.Store;
        using var batch = blocks.Store.StartBatch();
        DevnetResumeRecord.WriteWorkload(batch, built.Block.Number, _workload.GeneratorState);
        if (_verifyByImport)
        {
            // Import commits the block in a batch of its own: the workload state follows it (a crash between the
            // two leaves a head the stored state does not follow, which the constructor reports).
            Chain.Import(built.Block);
            batch.Commit();
            return;
        }
        var td = blocks.GetTotalDifficulty(built.Block.Header.ParentHash) ?? UInt256.Zero;
        built.StateWrites.WriteTo(batch);
        BlockStore.WriteBlock(batch, built.Block, built.Receipts, td);
        blocks.WriteHead(batch, built.Block.Header);
        batch.Commit();
    }

    private void RememberRoot(BlockHeader header)
    {
        lock (_rootsLock)
        {
            _recentRoots.Enqueue((header.Number, header.StateRoot));
            while (_recentRoots.Count > _state.Options.StateWindow) _recentRoots.Dequeue();
        }
    }
}
