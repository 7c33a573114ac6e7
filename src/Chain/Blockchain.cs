using BeamSync.Chain.Genesis;
using BeamSync.Chain.Processing;
using BeamSync.Chain.Specs;
using BeamSync.Chain.Store;
using BeamSync.Chain.Validation;
using BeamSync.Core;
using BeamSync.Core.Specs;
using BeamSync.Core.Types;
using BeamSync.Db;

namespace BeamSync.Chain;

/// <summary>
/// Imports blocks into a <see cref="BlockStore"/>: validates the header against its parent and the body against
/// the header, executes the block on its parent's state (any known branch), and writes block, receipts, total
/// difficulty, state nodes and, when the block wins fork choice, the new head in one atomic batch. A rejected block
/// writes nothing. Fork choice: the greatest total difficulty before the merge, the newest imported block after
/// it. Headers can be stored ahead of execution (<see cref="InsertHeaders"/>) and a beam node starts from an
/// <see cref="Anchor"/> whose state is absent locally; only an executed block's children execute. Not thread-safe:
/// one writer per store (<see cref="InsertHeaders"/> never touches the head, so it may run beside
/// <see cref="Import"/> when the store takes concurrent batches; <see cref="Anchor"/> may not).
/// </summary>
public sealed partial class Blockchain : IChainLookup
{
    private readonly ChainSpec _spec;
    private readonly BlockStore _store;
    private readonly IExecutionStateFactory _states;
    private readonly HeaderValidator _headers;
    private readonly BodyValidator _bodies;
    private readonly Building.LocallyBuiltBlocks _built = new();

    public Blockchain(ChainSpec spec, BlockStore store, IExecutionStateFactory states)
    {
        _spec = spec;
        _store = store;
        _states = states;
        _headers = new HeaderValidator(spec);
        _bodies = new BodyValidator(_headers, ForkOf);
    }

    public ChainSpec Spec => _spec;
    public BlockStore Store => _store;
    public BlockHeader? Head => _store.Head;

    public BlockHeader? GetHeader(Hash256 hash) => _store.GetHeader(hash);
    public BlockBody? GetBody(Hash256 hash) => _store.GetBody(hash);

    /// <summary>Writes the genesis state and header (from the spec's genesis) and makes it the head; returns the header.</summary>
    public BlockHeader InitializeGenesis()
    {
        var alloc = (_spec.Genesis ?? throw new InvalidOperationException($"chain spec {_spec.Name} has no genesis")).Alloc;
        using var batch = _store.Store.StartBatch();
        var root = _states.WriteGenesis(alloc, new BatchStateSink(batch));
        var header = GenesisBlock.Header(_spec, root);
        WriteGenesis(batch, header);
        return header;
    }

    /// <summary>Writes a given genesis header (a fixture's) over a pre-state; the caller checks its state root.</summary>
    public Hash256 InitializeGenesis(BlockHeader header, IReadOnlyDictionary<Address, GenesisAccount> preState)
    {
        using var batch = _store.Store.StartBatch();
        var root = _states.WriteGenesis(preState, new BatchStateSink(batch));
        WriteGenesis(batch, header);
        return root;
    }

    private void WriteGenesis(IWriteBatch batch, BlockHeader header)
    {
        var body = new BlockBody([], [], header.WithdrawalsRoot is null ? null : []);
        BlockStore.WriteBlock(batch, new Block(header, body), [], header.Difficulty);
        _store.WriteHead(batch, header);
        batch.Commit();
    }

    /// <summary>
    /// The fork of a header, from its number, timestamp and its parent's total difficulty: the header's own stored
    /// total difficulty less its difficulty when it is stored, else its parent's stored total difficulty. Throws
    /// <see cref="ChainDataMissingException"/> when neither is stored (never guesses zero: that could pick the wrong
    /// side of the merge).
    /// </summary>
    public Fork ForkOf(BlockHeader header)
    {
        if (header.Number == 0) return _spec.ForkOf(0, header.Timestamp, UInt256.Zero);
        var parentTd = _store.GetTotalDifficulty(header.Hash) is { } own
            ? own - header.Difficulty
            : TotalDifficultyOf(header.ParentHash, $"the fork of block {header.Number} {header.Hash}");
        return _spec.ForkOf(header.Number, header.Timestamp, parentTd);
    }

    /// <summary>True when the block's post-state is available (executed, the genesis or the anchor).</summary>
    public bool IsExecuted(Hash256 blockHash) => _store.IsExecuted(blockHash);

    /// <summary>
    /// Validates, executes and stores <paramref name="block"/> and marks it executed; true when it became the head,
    /// false when it was already executed (a header stored without execution does not count). The parent must be
    /// executed. Throws <see cref="InvalidBlockException"/> for a block that is wrong (<see cref="BlockError.UnknownParent"/>
    /// when the parent header is unknown, <see cref="BlockError.ParentStateUnavailable"/> when its state is not),
    /// <see cref="ChainDataMissingException"/> (<see cref="MissingAncestorException"/> from BLOCKHASH) when our store
    /// lacks data the block needs, and lets the state source's <c>MissingTrieNodeException</c> through. Nothing is
    /// written unless the block imports.
    /// </summary>
    public bool Import(Block block) => Import(block, mayTakeHead: true);

    /// <summary>
    /// <see cref="Import(Block)"/>, where <paramref name="mayTakeHead"/> false stores and executes the block without
    /// moving the head (the engine API: the head moves only on forkchoiceUpdated, see <see cref="SetForkChoice"/>).
    /// </summary>
    public bool Import(Block block, bool mayTakeHead)
    {
        var header = block.Header;
        if (_store.IsExecuted(block.Hash)) return false;
        var parent = _store.GetHeader(header.ParentHash);
        if (parent is null) { InvalidBlockException.Throw(BlockError.UnknownParent, $"parent {header.ParentHash} of block {header.Number} is unknown"); return false; }
        if (!_store.IsExecuted(parent.Hash))
            InvalidBlockException.Throw(BlockError.ParentStateUnavailable, $"parent {parent.Number} {parent.Hash} of block {header.Number} is not executed");
        var parentTd = TotalDifficultyOf(parent.Hash, $"parent of block {header.Number} {block.Hash}");
        var fork = _spec.ForkOf(header.Number, header.Timestamp, parentTd);
        var parentFork = ForkOf(parent);

        _headers.Validate(header, parent, fork, parentFork);
        _bodies.Validate(block, fork, this);

        using var batch = _store.Store.StartBatch();
        Receipt[] receipts;
        if (_built.TryTake(block.Hash, out var built))
        {
            // Same hash, same header: the build executed exactly this block on this parent's state (see LocallyBuiltBlocks).
            built.StateWrites.WriteTo(batch);
            receipts = built.Receipts;
        }
        else
        {
            var state = _states.Open(parent.StateRoot, header, fork, _spec, BlockHashLookup(parent));
            receipts = BlockProcessor.Process(block, fork, _spec, state, new BatchStateSink(batch)).Receipts;
        }

        var td = parentTd + header.Difficulty;
        BlockStore.WriteBlock(batch, block, receipts, td);
        var head = _store.Head;
        bool becomesHead = mayTakeHead && (head is null || fork >= Fork.Paris || td > TotalDifficultyOf(head.Hash, "the head, for fork choice"));
        if (becomesHead) _store.WriteHead(batch, header);
        batch.Commit();
        return becomesHead;
    }

    /// <summary>
    /// The consensus layer's fork choice: makes the executed block <paramref name="head"/> the head (rewriting the
    /// canonical index on a reorganization) and stores the safe and finalized pointers (zero: not named yet), in one
    /// batch. Throws <see cref="InvalidOperationException"/> when the head is not an executed block.
    /// </summary>
    public void SetForkChoice(Hash256 head, Hash256 safe, Hash256 finalized)
    {
        var header = _store.GetHeader(head);
        if (header is null || !_store.IsExecuted(head)) throw new InvalidOperationException($"fork choice head {head} is not an executed block");
        using var batch = _store.Store.StartBatch();
        if (_store.HeadHash != head) _store.WriteHead(batch, header);
        BlockStore.WriteSafeAndFinalized(batch, safe, finalized);
        batch.Commit();
    }

    /// <summary>
    /// Builds a child of <paramref name="parent"/> (an executed block) from <paramref name="candidates"/> on its state,
    /// with BLOCKHASH along the parent's branch; nothing is stored (the block imports through <see cref="Import(Block, bool)"/>).
    /// </summary>
    public Building.BuiltBlock Build(BlockHeader parent, Building.BlockAttributes attributes, IEnumerable<Transaction> candidates)
    {
        var built = new Building.BlockBuilder(_spec, _states).Build(parent, attributes, candidates, BlockHashLookup(parent));
        _built.Remember(built);
        return built;
    }

    /// <summary>The stored total difficulty of <paramref name="blockHash"/>, or <see cref="ChainDataMissingException"/> saying who needed it.</summary>
    private UInt256 TotalDifficultyOf(Hash256 blockHash, string neededBy) =>
        _store.GetTotalDifficulty(blockHash) ?? throw ChainDataMissingException.TotalDifficulty(blockHash, neededBy);
}
