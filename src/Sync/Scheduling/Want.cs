using BeamSync.Core;
using BeamSync.Sync.Peers;
using BeamSync.Trie;

namespace BeamSync.Sync.Scheduling;

/// <summary>
/// One node or code the scheduler is after: who waits for it, how urgently, and which peers already failed to give it.
/// Owned by the scheduler's loop; nothing else reads or writes it.
/// </summary>
internal sealed class Want(MissingNode node, FetchPriority priority, string kind, Hash256 root)
{
    public MissingNode Node { get; set; } = node;
    /// <summary>False for a node known only by hash (a witness entry): by-path forms cannot ask for it.</summary>
    public bool PathKnown { get; set; } = true;
    public Hash256 Hash => Node.Hash;
    public FetchPriority Priority { get; set; } = priority;
    /// <summary>The counter this node is reported under (a <see cref="FetchKinds"/> value), fixed by its first asker.</summary>
    public string Kind { get; } = kind;
    /// <summary>The state root a by-path request for it is made under.</summary>
    public Hash256 Root { get; set; } = root;
    public List<TaskCompletionSource<byte[]>> Waiters { get; } = [];
    /// <summary>Peers that answered without it (or failed) since it was last handed out.</summary>
    public HashSet<ISyncPeer> Tried { get; } = [];
    /// <summary>Requests carrying it right now.</summary>
    public int InFlight { get; set; }
    /// <summary>In a queue (a stale entry in a lower queue after a promotion is skipped).</summary>
    public LinkedListNode<Want>? QueueEntry { get; set; }
    public long FirstAskedTicks { get; } = Environment.TickCount64;
    public bool Done { get; set; }
    public bool Parked { get; set; }
    /// <summary>
    /// A read of its own key through a node another want already asks for another key (<see cref="StateScheduler"/>'s
    /// other keys): completes once an answer for its key brought the node, not when any answer does.
    /// </summary>
    public bool OtherKey { get; init; }
    /// <summary>A by-path answer came back without it (the root left the window, or the path did not resolve there): ask by hash from now on where a peer can.</summary>
    public bool PathFailed { get; set; }
}

/// <summary>
/// A request on the wire: record of what was asked of whom and when (geth's snap syncer keeps the same), reverted or
/// completed only by the scheduler's loop.
/// </summary>
internal sealed class StateRequest(long id, ISyncPeer peer, RequestForm form, FetchPriority priority, List<Want> items, Hash256 root)
{
    public long Id { get; } = id;
    public ISyncPeer Peer { get; } = peer;
    public RequestForm Form { get; } = form;
    /// <summary>The most urgent priority among its items: it decides the deadline and the peer's capacity class.</summary>
    public FetchPriority Priority { get; } = priority;
    public List<Want> Items { get; } = items;
    public Hash256 Root { get; } = root;
    public long SentTicks { get; } = Environment.TickCount64;
    public long DeadlineTicks { get; set; }
    /// <summary>Its deadline passed and its items went to other peers; a late answer is still used.</summary>
    public bool Expired { get; set; }
    /// <summary>Urgent and neither answered nor late yet: while any is, nothing less urgent is sent.</summary>
    public bool HoldsUrgent { get; set; }
    /// <summary>A read of one key (in the key slots of its peer, not the batched ones).</summary>
    public bool SingleKey { get; init; }
}

internal enum RequestForm { ByHash, ByPath, Code, ByKey }

/// <summary>What the scheduler knows of one peer: load, measured round trip, faults. Owned by the loop.</summary>
internal sealed class PeerState(ISyncPeer peer)
{
    public ISyncPeer Peer { get; } = peer;
    public int InFlight { get; set; }
    /// <summary>Reads of a single key in flight (see <see cref="SchedulerOptions.MaxKeyRequestsPerPeer"/>).</summary>
    public int KeyInFlight { get; set; }
    public int BackfillInFlight { get; set; }
    /// <summary>Smoothed time from request to verified answer, in milliseconds.</summary>
    public double RoundTripMs { get; set; } = 250;
    public int Faults { get; set; }
    public long NodesDelivered { get; set; }
    public bool Removed { get; set; }

    /// <summary>Smoothed milliseconds per new node, per request form (NaN until the form was used with this peer).</summary>
    private readonly double[] _msPerNode = [double.NaN, double.NaN, double.NaN, double.NaN];

    public void Measure(double ms) => RoundTripMs = RoundTripMs * 0.75 + ms * 0.25;

    /// <summary>Smoothed bytes of this peer's backfill answers (the nodes they proved); a full default answer until measured.</summary>
    public double BackfillAnswerBytes { get; private set; } = 64 * 1024;

    public void MeasureBackfillAnswer(long bytes) => BackfillAnswerBytes = BackfillAnswerBytes * 0.75 + Math.Max(1024, bytes) * 0.25;

    /// <summary>
    /// What a node costs in <paramref name="form"/> with this peer: the measured time per new node its answers
    /// brought (a by-key or by-path answer brings the nodes below the wanted one too); zero before any measurement,
    /// so every form a peer speaks is tried once before the cheaper one takes over.
    /// </summary>
    public double CostPerNode(RequestForm form) => double.IsNaN(_msPerNode[(int)form]) ? 0 : _msPerNode[(int)form];

    public void MeasureForm(RequestForm form, double ms, int newNodes)
    {
        double perNode = ms / Math.Max(1, newNodes);
        ref double current = ref _msPerNode[(int)form];
        current = double.IsNaN(current) ? perNode : current * 0.75 + perNode * 0.25;
    }
}
