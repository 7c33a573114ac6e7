namespace BeamSync.Sync.Scheduling;

/// <summary>Tunables of the state scheduler. Immutable; the defaults show their derivation.</summary>
public sealed record SchedulerOptions
{
    /// <summary>Hashes per by-hash request: geth's GetNodeData served at most 384 (Trinity asked that many).</summary>
    public int MaxHashesPerRequest { get; init; } = 384;
    /// <summary>Trie nodes by path per request (every path of a key's chain counts).</summary>
    public int MaxPathsPerRequest { get; init; } = 512;
    /// <summary>Codes per GetByteCodes: a 512 KiB answer holds 21 contracts of the 24 KiB maximum; geth asks up to 64.</summary>
    public int MaxCodesPerRequest { get; init; } = 64;
    /// <summary>Soft answer size for urgent and predictive requests; small, so a queued answer delays the next little.</summary>
    public int ResponseBytes { get; init; } = 256 * 1024;
    /// <summary>
    /// Soft answer size for backfill: the backfill slots' answers together (4 x 64 KiB) are 128 ms at the devnet's
    /// 2 MB/s, the most an urgent answer should wait behind.
    /// </summary>
    public int BackfillResponseBytes { get; init; } = 64 * 1024;
    /// <summary>
    /// Soft answer size of a range asked ahead of need (a warmer's or a preview's subtrie, storage tries whole): these
    /// hold the batched slots beside the executing block's reads on the serving peer's uplink, and a guess is not worth
    /// more than 16 ms at the devnet's 2 MB/s; 32 KiB is a contract of some 400 slots whole. A bigger trie is cut and
    /// keeps what the answer proves.
    /// </summary>
    public int PredictiveRangeBytes { get; init; } = 32 * 1024;
    /// <summary>
    /// Soft answer size of a read by key: one account or slot (an account body is under 120 bytes), so the server
    /// stops right after the key; the proof comes on top, whatever the limit.
    /// </summary>
    public int KeyResponseBytes { get; init; } = 256;
    /// <summary>Urgent and predictive batched requests in flight per peer (backfill has slots of its own).</summary>
    public int MaxRequestsPerPeer { get; init; } = 8;
    /// <summary>Backfill requests in flight per peer while its answers are full-size (see <see cref="BackfillBytesInFlight"/>).</summary>
    /// <remarks>
    /// Four, not fewer: against a range-only peer most backfill answers are a few KB (the siblings of paths that reads
    /// by key brought), so backfill is bound by round trips, not bytes; the byte limit above bounds the worst case.
    /// </remarks>
    public int MaxBackfillRequestsPerPeer { get; init; } = 4;
    /// <summary>
    /// Backfill's share of a peer's uplink queue: the bytes its requests in flight may be expected to bring (the four
    /// full answers above). When the answers are smaller (small absent subtries, most of them once reads by key brought
    /// their paths), more requests go out, up to <see cref="MaxSmallBackfillRequestsPerPeer"/>, so that backfill is bound
    /// by bandwidth, not round trips; each asks at most its share of these bytes.
    /// </summary>
    public int BackfillBytesInFlight { get; init; } = 256 * 1024;
    /// <summary>The most backfill requests in flight per peer however small their answers.</summary>
    public int MaxSmallBackfillRequestsPerPeer { get; init; } = 32;
    /// <summary>The least a backfill request asks for when many share <see cref="BackfillBytesInFlight"/>: a proof alone is a few KB.</summary>
    public int MinBackfillResponseBytes { get; init; } = 16 * 1024;
    /// <summary>
    /// Reads of a single key in flight per peer: one key per request, so a block's misses need many at once; 64
    /// answers of about 2 KB (a proof) are 64 ms at the devnet's 2 MB/s, no more than one batched answer.
    /// </summary>
    public int MaxKeyRequestsPerPeer { get; init; } = 64;
    /// <summary>
    /// Reads of a single key in flight per peer (urgent ones included) beside which predictive ones still go out while
    /// an urgent read is out: 8 proofs of about 2 KB delay the urgent answer by some 8 ms at the devnet's 2 MB/s.
    /// </summary>
    public int MaxKeyReadsBesideUrgent { get; init; } = 8;
    /// <summary>
    /// Whole storage tries per GetStorageRanges: most contracts hold a few slots, so one request brings many; the
    /// byte limit cuts the answer (the cut trie keeps what its proof covers), and geth asks up to 512 accounts.
    /// </summary>
    public int MaxStorageTriesPerRequest { get; init; } = 128;
    /// <summary>Adjacent absent subtries of one trie one range request covers: the 16 children of a branch.</summary>
    public int MaxSubtriesPerRange { get; init; } = 16;
    /// <summary>Nibbles below a missing node asked along the reader's key in one by-path request: a whole account path in one round trip.</summary>
    public int KeyPathDepth { get; init; } = 8;
    /// <summary>Deadline of a request: this many smoothed round trips of its peer, within the bounds below.</summary>
    public double TimeoutRoundTrips { get; init; } = 3;
    public TimeSpan MinTimeout { get; init; } = TimeSpan.FromMilliseconds(400);
    public TimeSpan MaxTimeout { get; init; } = TimeSpan.FromSeconds(10);
    /// <summary>After every peer failed to give a node, wait this long before asking them all again.</summary>
    public TimeSpan RetryAfterAllFailed { get; init; } = TimeSpan.FromMilliseconds(250);
}
