using BeamSync.Core;
using BeamSync.Core.Types;
using BeamSync.Trie;

namespace BeamSync.Chain.Engine;

/// <summary>What became of a payload's block.</summary>
public enum PayloadOutcome
{
    /// <summary>Executed and verified.</summary>
    Valid,
    /// <summary>Executed and found wrong (never retried).</summary>
    Invalid,
    /// <summary>Cannot be executed here yet: its parent's state or chain data is not available.</summary>
    Unavailable,
}

/// <summary>A payload's verdict: for an invalid block, the newest valid ancestor the spec's latestValidHash names and why.</summary>
public sealed record PayloadVerdict(PayloadOutcome Outcome, Hash256? LatestValidHash = null, string? Error = null)
{
    public static PayloadVerdict Valid(Hash256 block) => new(PayloadOutcome.Valid, block);
    public static PayloadVerdict Invalid(Hash256? latestValid, string error) => new(PayloadOutcome.Invalid, latestValid, error);
    public static readonly PayloadVerdict Unavailable = new(PayloadOutcome.Unavailable);
}

/// <summary>
/// The one executor of blocks on a store, as the engine API sees it: payloads go to it, fork choice runs between its
/// blocks, and heads it does not hold start a sync. A node with a syncer hands everything to the syncer's executor, so
/// the engine API and the sync never execute blocks at the same time. Implementations are thread-safe.
/// </summary>
public interface IPayloadExecutor
{
    /// <summary>
    /// Starts executing <paramref name="block"/> (its hash already checked against its header); the task completes with
    /// its verdict, maybe long after (a beam node fetches the parent's state on demand). The same block twice gets the same task.
    /// </summary>
    Task<PayloadVerdict> Submit(Block block);

    /// <summary>A forkchoice head that is not executed here: fetch what leads to it and execute it.</summary>
    void SyncToward(Hash256 head);

    /// <summary>Runs <paramref name="action"/> while no block executes (fork choice and block building read and move the head).</summary>
    T Exclusive<T>(Func<T> action);

    /// <summary>
    /// Fork choice made the executed block <paramref name="head"/> the head (called inside <see cref="Exclusive"/>): an
    /// executor that also executes blocks from peers lets only the chosen chain take the head.
    /// </summary>
    void ForkchoiceApplied(Hash256 head) { }
}

/// <summary>A node without a syncer: executes each payload on the calling thread, and only on a parent executed here.</summary>
public sealed class ChainPayloadExecutor(Blockchain chain) : IPayloadExecutor
{
    private readonly Lock _lock = new();

    public Task<PayloadVerdict> Submit(Block block)
    {
        lock (_lock) return Task.FromResult(Execute(block));
    }

    private PayloadVerdict Execute(Block block)
    {
        var parentHash = block.Header.ParentHash;
        if (chain.GetHeader(parentHash) is null || !chain.IsExecuted(parentHash)) return PayloadVerdict.Unavailable;
        try
        {
            chain.Import(block, mayTakeHead: false);
            return PayloadVerdict.Valid(block.Hash);
        }
        catch (InvalidBlockException e) { return PayloadVerdict.Invalid(parentHash, e.Message); }
        // The block may well be valid: our store lacks what it needs, which a sync brings.
        catch (Exception e) when (e is ChainDataMissingException or MissingTrieNodeException) { return PayloadVerdict.Unavailable; }
    }

    public void SyncToward(Hash256 head) { }

    public T Exclusive<T>(Func<T> action)
    {
        lock (_lock) return action();
    }
}
