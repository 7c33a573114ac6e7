using BeamSync.Core;
using BeamSync.Core.Specs;
using BeamSync.Core.Types;
using BeamSync.Chain.Specs;
using BeamSync.Chain.Store;
using BeamSync.Db;

namespace BeamSync.Chain;

public sealed partial class Blockchain
{
    /// <summary>
    /// Stores a contiguous run of headers ahead of execution: <paramref name="headers"/> oldest first, the first one's
    /// parent already stored, each validated against the one before by the rules of its fork, with its total
    /// difficulty. Nothing is executed and the head does not move. A bad link or an invalid header throws
    /// <see cref="InvalidBlockException"/> and writes nothing; a stored parent without a total difficulty throws
    /// <see cref="ChainDataMissingException"/>. Headers already stored are written again unchanged.
    /// </summary>
    public void InsertHeaders(IReadOnlyList<BlockHeader> headers)
    {
        if (headers.Count == 0) return;
        var first = headers[0];
        var parent = _store.GetHeader(first.ParentHash);
        if (parent is null) { InvalidBlockException.Throw(BlockError.UnknownParent, $"parent {first.ParentHash} of header {first.Number} is unknown"); return; }
        var parentTd = TotalDifficultyOf(parent.Hash, $"parent of header {first.Number} {first.Hash}");
        using var batch = _store.Store.StartBatch();
        WriteHeaderRun(batch, headers, parent, parentTd);
        batch.Commit();
    }

    /// <summary>
    /// A beam node's start (and every later pivot): stores <paramref name="headers"/> (oldest first, linked by parent
    /// hash; the last is the anchor), each with its total difficulty derived backwards from
    /// <paramref name="anchorTotalDifficulty"/>, marks the anchor executed (its post-state is reached through the
    /// fetching node source, not the local store) and makes it the head, in one atomic batch. The first header's
    /// parent need not be stored; every other header is validated against the one before it. Pass the anchor and its
    /// 255 ancestors so BLOCKHASH answers for the anchor's child. Throws <see cref="InvalidBlockException"/> (a bad
    /// link, an invalid header, or <see cref="BlockError.InvalidTotalDifficulty"/> when the total difficulty is below
    /// the run's difficulties) and writes nothing then; <see cref="ArgumentException"/> for an empty run.
    /// </summary>
    public void Anchor(IReadOnlyList<BlockHeader> headers, UInt256 anchorTotalDifficulty)
    {
        if (headers.Count == 0) throw new ArgumentException("an anchor needs at least its own header", nameof(headers));
        var beforeFirst = anchorTotalDifficulty;
        foreach (var header in headers)
        {
            if (beforeFirst < header.Difficulty)
                InvalidBlockException.Throw(BlockError.InvalidTotalDifficulty,
                    $"total difficulty {anchorTotalDifficulty} of anchor {headers[^1].Number} is below the difficulties of the {headers.Count} headers up to it");
            beforeFirst -= header.Difficulty;
        }
        var anchor = headers[^1];
        using var batch = _store.Store.StartBatch();
        WriteHeaderRun(batch, headers, null, beforeFirst);
        BlockStore.MarkExecuted(batch, anchor.Hash);
        var pending = new Dictionary<Hash256, BlockHeader>(headers.Count);
        foreach (var header in headers) pending[header.Hash] = header;
        _store.WriteHead(batch, anchor, pending);
        batch.Commit();
    }

    /// <summary>
    /// Validates <paramref name="headers"/> each against the one before (the first against <paramref name="parent"/>
    /// when given) and adds each with its total difficulty, counted on from <paramref name="parentTotalDifficulty"/>
    /// (through the first header's parent), to the batch.
    /// </summary>
    private void WriteHeaderRun(IWriteBatch batch, IReadOnlyList<BlockHeader> headers, BlockHeader? parent, UInt256 parentTotalDifficulty)
    {
        var td = parentTotalDifficulty;
        Fork parentFork = parent is null ? default : ForkOf(parent);
        foreach (var header in headers)
        {
            var fork = _spec.ForkOf(header.Number, header.Timestamp, td);
            if (parent is not null) _headers.Validate(header, parent, fork, parentFork);
            td += header.Difficulty;
            _store.WriteHeader(batch, header);
            _store.WriteTotalDifficulty(batch, header.Hash, td);
            parent = header;
            parentFork = fork;
        }
    }
}
