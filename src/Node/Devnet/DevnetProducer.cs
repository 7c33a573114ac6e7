using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using BeamSync.Chain;
using BeamSync.Chain.Building;
using BeamSync.Chain.Engine;
using BeamSync.Chain.Execution;
using BeamSync.Chain.Pool;
using BeamSync.Chain.Processing;
using BeamSync.Chain.Store;
using BeamSync.Chain.Validation;
using BeamSync.Core;
using BeamSync.Core.Crypto;
using BeamSync.Core.Specs;
using BeamSync.Core.Types;
using BeamSync.Db;
using BeamSync.Evm;
using BeamSync.Rpc;
using BeamSync.Rpc.Engine;
using BeamSync.State;
using BeamSync.Trie;

namespace BeamSync.Node.Devnet;

/// <summary>
/// Where one block's production time went: generating and signing the workload, building (forkchoiceUpdated with
/// attributes and getPayload), importing (newPayload and the forkchoiceUpdated that makes it the head).
/// </summary>
public readonly record struct ProductionTimes(TimeSpan Workload, TimeSpan Build, TimeSpan Import)
{
    public TimeSpan Total => Workload + Build + Import;
    public override string ToString() => $"{Total.TotalMilliseconds:F0} ms (workload {Workload.TotalMilliseconds:F0}, build {Build.TotalMilliseconds:F0}, import {Import.TotalMilliseconds:F0})";
}

/// <summary>
/// A block the producer made through the engine API: the block, its receipts (as stored), its execution requests (as
/// getPayload gave them; null before Prague), the transactions offered to the pool for it that it left out, its
/// workload by transaction hash and how long producing it took.
/// </summary>
public sealed record ProducedBlock(
    Block Block, Receipt[] Receipts, byte[][]? Requests, IReadOnlyList<Transaction> LeftOut,
    IReadOnlyDictionary<Hash256, WorkloadTransaction> Workload, ProductionTimes Times);

/// <summary>
/// The devnet's block producer and its built-in consensus driver: owns a <see cref="Blockchain"/> over a store holding
/// a devnet genesis, the node's transaction <see cref="Pool"/>, the engine API over that chain and pool
/// (<see cref="EngineMethods"/>), and the workload over its generated state. Every <see cref="DevnetOptions.BlockTime"/>
/// (on its own thread once <see cref="Start"/> is called, or one at a time through <see cref="ProduceBlock"/>) it does
/// what a consensus client does on a real network: puts the workload's transactions into the pool, calls
/// engine_forkchoiceUpdated with payload attributes on the head, engine_getPayload, engine_newPayload and
/// engine_forkchoiceUpdated to the new block, each in the version the block's fork takes, naming safe and finalized
/// blocks by <see cref="DevnetFinality"/>. The calls go through an <see cref="IEngineCaller"/>: in process by default,
/// over HTTP with the JWT when the node serves an authenticated endpoint (<see cref="DriveThrough"/>). Keeps the state
/// roots of the last <see cref="DevnetOptions.StateWindow"/> blocks for serving. Thread-safe: <see cref="Submit"/>,
/// <see cref="RecentStateRoots"/> and <see cref="Head"/> from any thread; blocks are produced one at a time.
/// <see cref="BlockProduced"/> is raised on the producing thread.
/// </summary>
public sealed class DevnetProducer : IDisposable
{
    private readonly DevnetState _state;
    private readonly DevnetWorkload _workload;
    private readonly Queue<(ulong Number, Hash256 Root)> _recentRoots = new();
    private readonly Lock _produceLock = new();
    private readonly Lock _rootsLock = new();
    private IEngineCaller _engine;
    private CancellationTokenSource? _stop;
    private Thread? _thread;
    private int _reorgs;

    /// <summary>
    /// A producer over <paramref name="store"/>: writes the devnet genesis (and the options that define the chain)
    /// when the store is empty, or resumes the chain the store holds: its head, the workload's generator state stored
    /// for that head, and the recent state roots. A store made with other options throws
    /// <see cref="DevnetOptionsMismatchException"/>.
    /// </summary>
    /// <param name="pool">The node's transaction pool, which engine block building draws from (a new one when null).</param>
    /// <param name="readSource">How block building and import read state (default: the store); a recording source yields witnesses.</param>
    public DevnetProducer(DevnetState state, IKeyValueStore store, TransactionPool? pool = null, Func<IKeyValueStore, INodeSource>? readSource = null)
    {
        _state = state;
        var blocks = new BlockStore(store);
        if (blocks.HeadHash is null) GenesisWrite = DevnetGenesis.Write(state, store);
        else DevnetResumeRecord.CheckOptions(store, state.Options);
        Chain = new Blockchain(state.Spec, blocks, new EvmStateFactory(store, readSource));
        Pool = pool ?? new TransactionPool();
        EngineMethods = new EngineRpc(Chain, Pool).Register(new RpcMethods());
        _engine = new InProcessEngineCaller(EngineMethods);
        _workload = DevnetResumeRecord.ReadWorkload(store, Chain.Head!) is { } stored
            ? new DevnetWorkload(state, (stored, address => NonceAtHead(store, address)))
            : Chain.Head!.Number == 0
                ? new DevnetWorkload(state)
                : throw new DevnetOptionsMismatchException($"the datadir's chain is at block {Chain.Head!.Number} but holds no workload state to resume from");
        RememberRecentRoots(Chain.Head!);
    }

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

    /// <summary>The transaction pool blocks are built from: the workload's transactions and submitted ones.</summary>
    public TransactionPool Pool { get; }

    /// <summary>The engine API over this producer's chain and pool, for the node's authenticated endpoint to serve.</summary>
    public RpcMethods EngineMethods { get; }

    /// <summary>
    /// Makes the driver call the engine API through <paramref name="engine"/> from the next block on (the node's
    /// authenticated endpoint over HTTP, once it listens); the default calls <see cref="EngineMethods"/> in process.
    /// </summary>
    public void DriveThrough(IEngineCaller engine)
    {
        lock (_produceLock) _engine = engine;
    }

    /// <summary>The genesis write this producer did (null when it resumed a store).</summary>
    /// <remarks>A resumed producer continues the chain an uninterrupted one would have made: same blocks, same hashes.</remarks>
    public GenesisWriteResult? GenesisWrite { get; }

    /// <summary>Raised after each block became the head, on the producing thread.</summary>
    public event Action<ProducedBlock>? BlockProduced;

    /// <summary>Raised when producing a block fails (the loop goes on with the next slot).</summary>
    public event Action<Exception>? ProductionFailed;

    /// <summary>Adds an external transaction to the pool the next block is built from; false when the pool refuses it.</summary>
    public bool Submit(Transaction transaction) => Pool.Submit(transaction) is null;

    /// <summary>(number, state root) of the newest blocks, oldest first, at most the state window.</summary>
    public IReadOnlyList<(ulong Number, Hash256 Root)> RecentStateRoots
    {
        get { lock (_rootsLock) return [.. _recentRoots]; }
    }

    /// <summary>
    /// Makes one block on the head now through the engine API. Needs <see cref="VirtualMachine.RequiredStackSize"/> of
    /// stack on the calling thread when the engine API is called in process (the loop's thread has it).
    /// </summary>
    public ProducedBlock ProduceBlock()
    {
        lock (_produceLock) return ProduceOn(Head, purpose: 0);
    }

    /// <summary>Side branches made so far (<see cref="ProduceBranch"/>, and the loop's every <see cref="DevnetOptions.ReorgEvery"/> blocks).</summary>
    public int Reorgs => Volatile.Read(ref _reorgs);

    /// <summary>
    /// What a consensus client does on a late block: abandons the newest <paramref name="abandon"/> blocks (0: none),
    /// builds <paramref name="count"/> blocks on the block below them (forkchoiceUpdated with attributes names that
    /// block as the head, as a proposer re-orging a late block does) and makes the last one the head. The abandoned
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
                List<Transaction> first = i switch
                {
                    0 => [.. returned.Where((_, index) => index % 2 == 1)],
                    1 => [.. returned.Where((_, index) => index % 2 == 0)],
                    _ => [],
                };
                var produced = ProduceOn(parent, purpose: abandon > 0 ? (byte)3 : (byte)0, first);
                branch.Add(produced);
                parent = produced.Block.Header;
            }
            if (count == 1) SubmitAll(returned.Where((_, index) => index % 2 == 0));
            return (abandoned, branch);
        }
    }

    private void SubmitAll(IEnumerable<Transaction> transactions)
    {
        foreach (var transaction in transactions) Pool.Submit(transaction);
    }

    /// <summary>
    /// Puts <paramref name="first"/> and the workload's next transactions into the pool, then drives the engine API as
    /// a consensus client: forkchoiceUpdated on <paramref name="parent"/> with attributes, getPayload, newPayload (the
    /// node executes the block, as it would anyone's) and forkchoiceUpdated to the new block. What the pool was given
    /// and the block left out is taken back out of it (the workload reuses those nonces). <paramref name="purpose"/>
    /// varies prevRandao and the beacon root, so a side branch's block differs from the one it replaces even with the
    /// same transactions. The workload's generator state is stored for the block before the block goes in, so whatever
    /// block is the head after a crash has its record.
    /// </summary>
    private ProducedBlock ProduceOn(BlockHeader parent, byte purpose, List<Transaction>? first = null)
    {
        long start = Stopwatch.GetTimestamp();
        var generated = _workload.NextBlock(_state.Options.TransactionsPerBlock, BaseFee.Calculate(parent, true));
        var offered = first ?? [];
        offered.AddRange(generated.Select(w => w.Transaction));
        SubmitAll(offered);
        long generatedAt = Stopwatch.GetTimestamp();

        var attributes = AttributesFor(parent, purpose);
        var fork = _state.Spec.ForkAt(parent.Number + 1, attributes.Timestamp, postMerge: true);
        var (forkchoiceMethod, attributesShape) = EngineRpc.ForkchoiceCallFor(fork);
        var choice = Call(forkchoiceMethod, ForkchoiceState(parent), EngineJson.FormatAttributes(attributes, attributesShape));
        ExpectValid(choice?["payloadStatus"], $"{forkchoiceMethod} on block {parent.Number} {parent.Hash}");
        var payloadId = choice!["payloadId"]?.GetValue<string>() ?? throw new EngineCallException($"{forkchoiceMethod} with attributes gave no payload id");
        var answer = Call(EngineRpc.GetPayloadMethodFor(fork), JsonValue.Create(payloadId));
        var (block, requests) = BlockOf(answer, fork, attributes);
        long builtAt = Stopwatch.GetTimestamp();

        DevnetResumeRecord.WriteWorkload(Chain.Store.Store, block.Hash, _workload.GeneratorState);
        var newPayload = EngineRpc.NewPayloadCall(_state.Spec, block, requests);
        string newPayloadMethod = newPayload["method"]!.GetValue<string>();
        var newPayloadParams = newPayload["params"]!.AsArray();
        newPayload.Remove("params");
        ExpectValid(_engine.Call(newPayloadMethod, newPayloadParams), $"{newPayloadMethod} for block {block.Number} {block.Hash}");
        ExpectValid(Call(forkchoiceMethod, ForkchoiceState(block.Header))?["payloadStatus"], $"{forkchoiceMethod} to block {block.Number} {block.Hash}");
        var times = new ProductionTimes(Stopwatch.GetElapsedTime(start, generatedAt), Stopwatch.GetElapsedTime(generatedAt, builtAt), Stopwatch.GetElapsedTime(builtAt));

        var included = block.Transactions.Select(t => t.Hash).ToHashSet();
        var leftOut = offered.Where(t => !included.Contains(t.Hash)).ToList();
        Pool.Remove(leftOut);
        _workload.Settle(leftOut);
        RememberRoot(block.Header);
        var produced = new ProducedBlock(block, Chain.Store.GetReceipts(block.Hash) ?? [], requests, leftOut, generated.ToDictionary(w => w.Transaction.Hash), times);
        BlockProduced?.Invoke(produced);
        return produced;
    }

    private JsonNode? Call(string method, params JsonNode?[] parameters) => _engine.Call(method, new JsonArray(parameters));

    /// <summary>The forkchoice state with <paramref name="head"/> as the head and the safe and finalized blocks below it.</summary>
    private JsonObject ForkchoiceState(BlockHeader head)
    {
        var (safe, finalized) = DevnetFinality.Of(head, Chain.GetHeader);
        return EngineJson.FormatForkchoiceState(head.Hash, safe, finalized);
    }

    private static void ExpectValid(JsonNode? status, string call)
    {
        if (status?["status"]?.GetValue<string>() != PayloadStatus.Valid) throw new EngineCallException($"{call}: {status?.ToJsonString() ?? "no status"}");
    }

    /// <summary>The block a getPayload answer carries (V1 the payload alone, later an envelope), checked against its hash, and its requests.</summary>
    private static (Block Block, byte[][]? Requests) BlockOf(JsonNode? answer, Fork fork, BlockAttributes attributes)
    {
        var payload = answer is JsonObject envelope && envelope["executionPayload"] is { } inner ? inner : answer;
        byte[][]? requests = answer?["executionRequests"] is JsonArray list ? [.. list.Select(r => Hex.Parse(r!.GetValue<string>()))] : null;
        var parsed = EngineJson.ParsePayload(JsonSerializer.SerializeToElement(payload), EngineJson.PayloadShapeAt(fork), 0);
        var block = parsed.ToBlock(fork >= Fork.Cancun ? attributes.ParentBeaconBlockRoot : null, requests is null ? null : ExecutionRequests.Hash(requests));
        return (block, requests);
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
    /// pays a rotating account. The gas limit stays the genesis's (payload attributes name none).
    /// </summary>
    private BlockAttributes AttributesFor(BlockHeader parent, byte purpose)
    {
        ulong number = parent.Number + 1;
        ulong step = Math.Max(1, (ulong)Math.Round(_state.Options.BlockTime.TotalSeconds));
        var recipient = _state.Accounts[(int)(number % (ulong)_state.DelegationAccountsStart)].Address;
        Withdrawal[] withdrawals = [new Withdrawal(number, number % 64, recipient, 1)];
        return new BlockAttributes(parent.Timestamp + step, _state.Accounts[0].Address, SeedHash(number, (byte)(1 + purpose)), SeedHash(number, (byte)(2 + purpose)), withdrawals);
    }

    private Hash256 SeedHash(ulong number, byte purpose)
    {
        Span<byte> preimage = stackalloc byte[17];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(preimage, _state.Options.Seed);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(preimage[8..], number);
        preimage[16] = purpose;
        return Keccak256.Hash(preimage);
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
