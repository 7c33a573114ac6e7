using System.Collections.Concurrent;
using BeamSync.Core.Types;

namespace BeamSync.Node.Devnet;

/// <summary>
/// The producer's pool of externally submitted transactions: first in, first tried. A transaction the next block
/// leaves out is dropped (the devnet's pool does not keep future nonces or replace by fee). Bounded: a submission
/// beyond <see cref="Capacity"/> is refused. Thread-safe: any thread submits, the producer's loop takes.
/// </summary>
public sealed class SubmittedTransactions
{
    /// <summary>Enough for several blocks' worth at the default 150 transactions a block.</summary>
    public const int Capacity = 10_000;

    private readonly ConcurrentQueue<Transaction> _queue = new();

    public int Count => _queue.Count;

    /// <summary>Queues <paramref name="transaction"/>; false when the pool is full.</summary>
    public bool TryAdd(Transaction transaction)
    {
        if (_queue.Count >= Capacity) return false;
        _queue.Enqueue(transaction);
        return true;
    }

    /// <summary>
    /// Queues transactions of abandoned blocks again (behind those waiting: their senders are the producer's, whose
    /// nonces no external submission shares); those beyond the capacity are dropped.
    /// </summary>
    public void Requeue(IEnumerable<Transaction> transactions)
    {
        foreach (var transaction in transactions)
            if (!TryAdd(transaction)) return;
    }

    /// <summary>Removes and returns up to <paramref name="max"/> transactions in arrival order.</summary>
    public List<Transaction> Take(int max)
    {
        var taken = new List<Transaction>(Math.Min(max, _queue.Count));
        while (taken.Count < max && _queue.TryDequeue(out var tx)) taken.Add(tx);
        return taken;
    }
}
