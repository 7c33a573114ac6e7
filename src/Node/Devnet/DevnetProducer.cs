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
using BeamSync.Evm;

namespace BeamSync.Node.Devnet;

/// <summary>A block the producer made, its workload (by transaction hash) and how long building it took.</summary>
public sealed record ProducedBlock(BuiltBlock Built, IReadOnlyDictionary<Hash256, WorkloadTransaction> Workload, TimeSpan BuildTime)
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

    /// <summary>
    /// A producer over <paramref name="store"/>: writes the devnet genesis when the store is empty, else continues
    /// from the store's head (whose chain must be this devnet's: the workload's nonces start from genesis, so a
    /// resumed producer is meant for a store it made in the same process only).
    /// </summary>
    public DevnetProducer(DevnetState state, IKeyValueStore store, bool verifyByImport = false)
    {
        _state = state;
        _verifyByImport = verifyByImport;
        var blocks = new BlockStore(store);
        if (blocks.HeadHash is null) GenesisWrite = DevnetGenesis.Write(state, store);
        var states = new EvmStateFactory(store);
        Chain = new Blockchain(state.Spec, blocks, states);
        _builder = new BlockBuilder(state.Spec, states);
        _workload = new DevnetWorkload(state);
        RememberRoot(Chain.Head!);
    }

    public Blockchain Chain { get; }
    public DevnetState State => _state;
    public BlockHeader Head => Chain.Head!;

    /// <summary>The genesis write this producer did (null when it resumed a store).</summary>
    public GenesisWriteResult? GenesisWrite { get; }

    /// <summary>Raised after each block is stored, on the producing thread.</summary>
    public event Action<Block>? BlockProduced;

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
        lock (_produceLock)
        {
            var clock = Stopwatch.StartNew();
            var parent = Head;
            var generated = _workload.NextBlock(_state.Options.TransactionsPerBlock, BaseFee.Calculate(parent, true));
            var candidates = _submitted.Take(SubmittedTransactions.Capacity);
            candidates.AddRange(generated.Select(w => w.Transaction));
            var built = _builder.Build(parent, AttributesFor(parent), candidates, n => Chain.Store.GetCanonicalHash(n));
            _workload.Settle(built);
            Store(built);
            var elapsed = clock.Elapsed;
            RememberRoot(built.Block.Header);
            BlockProduced?.Invoke(built.Block);
            return new ProducedBlock(built, generated.ToDictionary(w => w.Transaction.Hash), elapsed);
        }
    }

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
            try { ProduceBlock(); }
            catch (Exception e) when (e is InvalidBlockException or InvalidOperationException or DbException) { ProductionFailed?.Invoke(e); }
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
    private BlockAttributes AttributesFor(BlockHeader parent)
    {
        ulong number = parent.Number + 1;
        ulong step = Math.Max(1, (ulong)Math.Round(_state.Options.BlockTime.TotalSeconds));
        var recipient = _state.Accounts[(int)(number % (ulong)_state.DelegationAccountsStart)].Address;
        Withdrawal[] withdrawals = [new Withdrawal(number, number % 64, recipient, 1)];
        return new BlockAttributes(parent.Timestamp + step, _state.Accounts[0].Address, SeedHash(number, 1), SeedHash(number, 2), withdrawals)
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
        if (_verifyByImport)
        {
            Chain.Import(built.Block);
            return;
        }
        var blocks = Chain.Store;
        var td = blocks.GetTotalDifficulty(built.Block.Header.ParentHash) ?? UInt256.Zero;
        using var batch = blocks.Store.StartBatch();
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
