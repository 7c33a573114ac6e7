using BeamSync.Core;
using BeamSync.Core.Types;
using BeamSync.Evm.Precompiles.Kzg;

namespace BeamSync.Chain.Pool;

/// <summary>
/// Signed transactions waiting for a block: at most <see cref="Capacity"/> of them, one per sender and nonce, with
/// blob sidecars kept beside. A blob transaction comes only in its network form, its sidecar checked on the way in: the
/// commitments hash to the versioned hashes and the KZG proofs (one per blob, or EIP-7594's 128 cell proofs per blob)
/// verify. <see cref="Candidates"/> gives them in the order a builder tries them: each sender's in
/// nonce order, senders interleaved by the tip their next transaction pays above the base fee, equal tips in arrival
/// order (so a block built from the same submissions is the same block). A transaction
/// leaves when a block that includes it is imported (<see cref="RemoveIncluded"/>); one the state no longer
/// allows is left out by the builder. No eviction by price yet: a full pool refuses. Thread-safe.
/// </summary>
public sealed class TransactionPool(int capacity = TransactionPool.DefaultCapacity)
{
    public const int DefaultCapacity = 4096;

    private readonly object _lock = new();
    private readonly Dictionary<Hash256, (Transaction Transaction, BlobTransactionWithSidecar? Sidecar, long Arrival)> _byHash = [];
    private long _arrivals;
    private readonly Dictionary<Address, SortedList<ulong, Transaction>> _bySender = [];
    private readonly Dictionary<Hash256, BlobTransactionWithSidecar> _byVersionedHash = [];

    public int Capacity => capacity;

    public int Count
    {
        get { lock (_lock) return _byHash.Count; }
    }

    /// <summary>Adds a transaction whose sender recovers (a blob transaction with its valid sidecar); null when added, else why not.</summary>
    public string? Submit(Transaction transaction, BlobTransactionWithSidecar? sidecar = null)
    {
        if (!transaction.TryRecoverSender(out var sender)) return "invalid sender";
        if (WhyBlobsAreInvalid(transaction, sidecar) is { } blobError) return blobError;
        lock (_lock)
        {
            if (_byHash.ContainsKey(transaction.Hash)) return "already known";
            if (_byHash.Count >= capacity) return $"transaction pool is full ({capacity} transactions)";
            if (!_bySender.TryGetValue(sender, out var queue)) _bySender[sender] = queue = [];
            if (queue.ContainsKey(transaction.Nonce)) return $"a transaction from {sender} with nonce {transaction.Nonce} is already pooled";
            queue.Add(transaction.Nonce, transaction);
            _byHash[transaction.Hash] = (transaction, sidecar, _arrivals++);
            if (sidecar is not null)
                foreach (var versionedHash in transaction.BlobVersionedHashes) _byVersionedHash.TryAdd(versionedHash, sidecar);
            return null;
        }
    }

    /// <summary>Null for a transaction without blobs or a blob transaction whose sidecar holds and proves its blobs.</summary>
    private static string? WhyBlobsAreInvalid(Transaction transaction, BlobTransactionWithSidecar? sidecar)
    {
        if (transaction.Type != TransactionType.Blob) return sidecar is null ? null : "a sidecar came with a transaction that is not a blob transaction";
        if (sidecar is null) return "a blob transaction needs its network form with blobs, commitments and proofs";
        if (sidecar.Transaction.Hash != transaction.Hash) return "the sidecar belongs to another transaction";
        try { sidecar.ValidateSidecar(); }
        catch (TransactionException e) { return $"invalid blob sidecar: {e.Message}"; }
        bool proven = sidecar.WrapperVersion == BlobTransactionWithSidecar.WrapperVersionCellProofs
            ? BlobKzg.VerifyBlobCellProofs(sidecar.Blobs, sidecar.Commitments, sidecar.Proofs)
            : VerifyBlobProofs(sidecar);
        return proven ? null : "invalid blob sidecar: a KZG proof does not verify";
    }

    private static bool VerifyBlobProofs(BlobTransactionWithSidecar sidecar)
    {
        for (int i = 0; i < sidecar.Blobs.Length; i++)
            if (!BlobKzg.VerifyBlobProof(sidecar.Blobs[i], sidecar.Commitments[i], sidecar.Proofs[i])) return false;
        return true;
    }

    /// <summary>The sidecar of a pooled blob transaction carrying <paramref name="versionedHash"/>, or null.</summary>
    public BlobTransactionWithSidecar? SidecarOf(Hash256 versionedHash)
    {
        lock (_lock) return _byVersionedHash.GetValueOrDefault(versionedHash);
    }

    /// <summary>The sidecar of the pooled blob transaction <paramref name="transactionHash"/>, or null.</summary>
    public BlobTransactionWithSidecar? SidecarOfTransaction(Hash256 transactionHash)
    {
        lock (_lock) return _byHash.TryGetValue(transactionHash, out var entry) ? entry.Sidecar : null;
    }

    /// <summary>A snapshot in builder order for a block with <paramref name="baseFee"/>.</summary>
    public IReadOnlyList<Transaction> Candidates(UInt256 baseFee)
    {
        lock (_lock)
        {
            var ordered = new List<Transaction>(_byHash.Count);
            // Highest tip first, then earliest arrival.
            var next = new PriorityQueue<(IList<Transaction> Queue, int Index), (UInt256 Tip, long Arrival)>(
                Comparer<(UInt256 Tip, long Arrival)>.Create((a, b) => a.Tip != b.Tip ? b.Tip.CompareTo(a.Tip) : a.Arrival.CompareTo(b.Arrival)));
            foreach (var queue in _bySender.Values) next.Enqueue((queue.Values, 0), Priority(queue.Values[0], baseFee));
            while (next.TryDequeue(out var entry, out _))
            {
                ordered.Add(entry.Queue[entry.Index]);
                if (entry.Index + 1 < entry.Queue.Count) next.Enqueue((entry.Queue, entry.Index + 1), Priority(entry.Queue[entry.Index + 1], baseFee));
            }
            return ordered;
        }
    }

    private (UInt256 Tip, long Arrival) Priority(Transaction transaction, UInt256 baseFee) => (Tip(transaction, baseFee), _byHash[transaction.Hash].Arrival);

    /// <summary>Drops the pooled transactions <paramref name="block"/> includes.</summary>
    public void RemoveIncluded(Block block) => Remove(block.Transactions);

    /// <summary>Drops <paramref name="transactions"/> where pooled (a submitter withdrawing what a block left out).</summary>
    public void Remove(IEnumerable<Transaction> transactions)
    {
        lock (_lock)
            foreach (var transaction in transactions)
            {
                if (!_byHash.Remove(transaction.Hash, out var removed)) continue;
                if (removed.Sidecar is not null)
                    foreach (var versionedHash in transaction.BlobVersionedHashes)
                        if (_byVersionedHash.TryGetValue(versionedHash, out var indexed) && indexed == removed.Sidecar) _byVersionedHash.Remove(versionedHash);
                var sender = transaction.Sender;
                if (_bySender.TryGetValue(sender, out var queue) && queue.Remove(transaction.Nonce) && queue.Count == 0) _bySender.Remove(sender);
            }
    }

    /// <summary>What the transaction pays per gas above the base fee (zero when its fee cap is below it).</summary>
    private static UInt256 Tip(Transaction transaction, UInt256 baseFee)
    {
        if (transaction.FeeCap < baseFee) return UInt256.Zero;
        var room = transaction.FeeCap - baseFee;
        return transaction.TipCap < room ? transaction.TipCap : room;
    }
}
