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
/// it. Not thread-safe: one importer per store.
/// </summary>
public sealed class Blockchain : IChainLookup
{
    private readonly ChainSpec _spec;
    private readonly BlockStore _store;
    private readonly IExecutionStateFactory _states;
    private readonly HeaderValidator _headers;
    private readonly BodyValidator _bodies;

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

    /// <summary>The fork of a known header (its parent's total difficulty decides the merge).</summary>
    public Fork ForkOf(BlockHeader header)
    {
        var parentTd = header.Number == 0 ? UInt256.Zero : _store.GetTotalDifficulty(header.ParentHash) ?? UInt256.Zero;
        return _spec.ForkOf(header.Number, header.Timestamp, parentTd);
    }

    /// <summary>Validates, executes and stores <paramref name="block"/>; true when it became the head. Throws <see cref="InvalidBlockException"/>.</summary>
    public bool Import(Block block)
    {
        var header = block.Header;
        if (_store.GetHeader(block.Hash) is not null) return false;
        var parent = _store.GetHeader(header.ParentHash);
        if (parent is null) { InvalidBlockException.Throw(BlockError.UnknownParent, $"parent {header.ParentHash} of block {header.Number} is unknown"); return false; }
        var parentTd = _store.GetTotalDifficulty(parent.Hash) ?? UInt256.Zero;
        var fork = _spec.ForkOf(header.Number, header.Timestamp, parentTd);
        var parentFork = ForkOf(parent);

        _headers.Validate(header, parent, fork, parentFork);
        _bodies.Validate(block, fork, this);

        var state = _states.Open(parent.StateRoot, header, fork, _spec, BlockHashLookup(parent));
        using var batch = _store.Store.StartBatch();
        var processed = BlockProcessor.Process(block, fork, _spec, state, new BatchStateSink(batch));

        var td = parentTd + header.Difficulty;
        BlockStore.WriteBlock(batch, block, processed.Receipts, td);
        var head = _store.Head;
        var headTd = head is null ? UInt256.Zero : _store.GetTotalDifficulty(head.Hash) ?? UInt256.Zero;
        bool becomesHead = head is null || (fork >= Fork.Paris ? true : td > headTd);
        if (becomesHead) _store.WriteHead(batch, header);
        batch.Commit();
        return becomesHead;
    }

    /// <summary>BLOCKHASH: the 256 ancestors of the block being executed, walked from its parent along its own branch.</summary>
    private Func<ulong, Hash256?> BlockHashLookup(BlockHeader parent)
    {
        Dictionary<ulong, Hash256>? cache = null;
        return number =>
        {
            if (number > parent.Number || parent.Number - number >= 256) return null;
            if (cache is null)
            {
                cache = new Dictionary<ulong, Hash256>();
                BlockHeader? h = parent;
                for (int i = 0; i < 256 && h is not null; i++)
                {
                    cache[h.Number] = h.Hash;
                    if (h.Number == 0) break;
                    h = _store.GetHeader(h.ParentHash);
                }
            }
            return cache.TryGetValue(number, out var hash) ? hash : null;
        };
    }
}
