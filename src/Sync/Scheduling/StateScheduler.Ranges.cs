using BeamSync.Core;
using BeamSync.Trie;

namespace BeamSync.Sync.Scheduling;

public sealed partial class StateScheduler
{
    /// <summary>
    /// Fills one range request starting with <paramref name="first"/> (a by-key want): a read of one key goes alone
    /// (its origin and limit are that key; many go out in parallel); whole storage tries of other accounts join a
    /// whole storage trie, up to <see cref="SchedulerOptions.MaxStorageTriesPerRequest"/>; absent subtries of the
    /// same trie whose key intervals continue one another (<see cref="KeyRequests.Adjacent"/>) join a subtrie, up to
    /// <see cref="SchedulerOptions.MaxSubtriesPerRange"/>, so one range covers them. Only wants under the same root
    /// and of the same or (for urgent requests) predictive priority join. Taken wants leave their queue.
    /// </summary>
    private List<Want> CollectRangeBatch(PeerState state, Want first, FetchPriority priority)
    {
        Dequeue(first);
        var batch = new List<Want> { first };
        bool storageTries = StorageTrieRequests.IsWholeTrie(first.Node);
        bool subtries = IsSubtrie(first.Node);
        if (!storageTries && !subtries) return batch;
        int max = storageTries ? _options.MaxStorageTriesPerRequest : _options.MaxSubtriesPerRange;
        var accounts = new HashSet<Hash256> { first.Node.Owner.AccountHash };
        // Subtries of the same trie after the first one's interval, to chain the adjacent ones in key order after the scan.
        var after = new List<(Hash256 Origin, Want Want)>();
        var firstLimit = KeyRequests.Interval(first.Node.Path).Limit;
        int lowest = priority == FetchPriority.Urgent ? (int)FetchPriority.Predictive : (int)priority;
        for (int p = (int)priority; p <= lowest && batch.Count < max; p++)
        {
            int scanned = 0;
            for (var entry = _queues[p].First; entry is not null && batch.Count < max && scanned++ < 4 * _options.MaxHashesPerRequest; entry = entry.Next)
            {
                var want = entry.Value;
                if (want.Root != first.Root || want.Tried.Contains(state.Peer) || !CanServe(state.Peer, want) || ChooseForm(state, want) != RequestForm.ByKey) continue;
                if (storageTries)
                {
                    if (StorageTrieRequests.IsWholeTrie(want.Node) && accounts.Add(want.Node.Owner.AccountHash)) batch.Add(want);
                }
                else if (IsSubtrie(want.Node) && want.Node.Owner == first.Node.Owner)
                {
                    var origin = KeyRequests.Interval(want.Node.Path).Origin;
                    if (origin.Bytes.SequenceCompareTo(firstLimit.Bytes) > 0) after.Add((origin, want));
                }
            }
        }
        if (subtries)
        {
            after.Sort((a, b) => a.Origin.Bytes.SequenceCompareTo(b.Origin.Bytes));
            foreach (var (_, next) in after)
            {
                if (batch.Count >= max || !KeyRequests.Adjacent(batch[^1].Node.Path, next.Node.Path)) break;
                batch.Add(next);
            }
        }
        for (int i = 1; i < batch.Count; i++) Dequeue(batch[i]);
        return batch;
    }

    /// <summary>An absent node met with no key below the top of its trie: asked as its key interval.</summary>
    private static bool IsSubtrie(MissingNode node) =>
        !node.IsCode && !KeyRequests.IsKeyed(node) && (node.Owner.IsAccountTrie || node.Path.Length > 0);
}
