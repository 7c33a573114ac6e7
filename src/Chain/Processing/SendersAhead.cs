using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;
using BeamSync.Core.Types;

namespace BeamSync.Chain.Processing;

/// <summary>
/// Recovers the senders of the blocks an importer is about to execute on other threads, ahead of it: a block's
/// transactions are recovered in parallel (secp256k1 recovery is most of a simple transfer's cost and needs no
/// state; so is an EIP-7702 authority's), and up to <c>depth</c> blocks wait recovered while the importer executes. A transaction memoizes its
/// sender, so execution finds it done; an invalid signature is left for execution to reject as it would anyway.
/// What the source throws (a bad chain file) is thrown to the consumer at the block where it happened.
/// </summary>
public static class SendersAhead
{
    /// <summary>The sender and, for a set-code transaction, every authority: each memoized where execution asks for it.</summary>
    private static void RecoverSignatures(Transaction transaction)
    {
        transaction.TryRecoverSender(out _);
        foreach (var authorization in transaction.AuthorizationList) authorization.TryRecoverAuthority(out _);
    }

    public static IEnumerable<Block> Recover(IEnumerable<Block> blocks, int depth = 4)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(depth, 1);
        using var ready = new BlockingCollection<Block>(depth);
        using var stop = new CancellationTokenSource();
        ExceptionDispatchInfo? failure = null;
        var producer = Task.Run(() =>
        {
            try
            {
                foreach (var block in blocks)
                {
                    Parallel.ForEach(block.Transactions, new ParallelOptions { CancellationToken = stop.Token }, RecoverSignatures);
                    ready.Add(block, stop.Token);
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested) { }
            catch (Exception e) { failure = ExceptionDispatchInfo.Capture(e); }
            finally { ready.CompleteAdding(); }
        });
        try
        {
            foreach (var block in ready.GetConsumingEnumerable()) yield return block;
            producer.Wait();
            failure?.Throw();
        }
        finally
        {
            // The consumer stopped early (a rejected block) or finished: let the producer end before disposing what it uses.
            stop.Cancel();
            try { producer.Wait(); }
            catch (AggregateException) { }
        }
    }
}
