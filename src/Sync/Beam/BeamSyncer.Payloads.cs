using System.Collections.Concurrent;
using BeamSync.Chain.Engine;
using BeamSync.Core;
using BeamSync.Core.Types;

namespace BeamSync.Sync.Beam;

/// <summary>
/// The syncer as the engine API's executor: a payload's block joins the blocks to execute (its header and body are
/// given, so only its ancestors' headers come from peers), the first one anchors the sync (on its parent's state
/// when that is local, else as the pivot with its 256 ancestors' headers), and the executor thread settles its
/// verdict. Fork choice runs between blocks, never during one.
/// </summary>
public sealed partial class BeamSyncer : IPayloadExecutor
{
    /// <summary>The most payloads waiting at once; more are answered unavailable (a flood keeps memory bounded).</summary>
    private const int MaxWaitingPayloads = 256;

    private readonly ConcurrentDictionary<Hash256, WaitingPayload> _payloads = new();
    private readonly Lock _executionLock = new();

    private sealed class WaitingPayload(Block block)
    {
        public Block Block { get; } = block;
        public long SubmittedTicks { get; } = SyncMetrics.Now;
        public TaskCompletionSource<PayloadVerdict> Verdict { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>
    /// Set by the first engine API call: from then on the consensus client alone picks the head (see <see cref="MayTakeHead"/>).
    /// </summary>
    private volatile bool _engineDriven;

    /// <summary>The head fork choice named last (zero before one): where blocks executed from peers may lead.</summary>
    private Hash256 _forkchoiceHead;
    private readonly Lock _forkchoiceLock = new();

    public Task<PayloadVerdict> Submit(Block block)
    {
        _engineDriven = true;
        if (_chain.IsExecuted(block.Hash)) return Task.FromResult(PayloadVerdict.Valid(block.Hash));
        if (_payloads.TryGetValue(block.Hash, out var waiting)) return waiting.Verdict.Task;
        if (_payloads.Count >= MaxWaitingPayloads) return Task.FromResult(PayloadVerdict.Unavailable);
        waiting = _payloads.GetOrAdd(block.Hash, _ => new WaitingPayload(block));
        _heads.Writer.TryWrite(block.Hash);
        return waiting.Verdict.Task;
    }

    public void SyncToward(Hash256 head)
    {
        ForkchoiceApplied(head);
        OnNewHead(head);
    }

    public void ForkchoiceApplied(Hash256 head)
    {
        _engineDriven = true;
        lock (_forkchoiceLock) _forkchoiceHead = head;
    }

    /// <summary>
    /// Whether a block executed from peers (not a payload) may become the head. Without a consensus client, always (the
    /// head follows what the node executes). Driven through the engine API, the head moves on forkchoiceUpdated only: such
    /// a block takes it only when it is the head fork choice named last or an ancestor of that head (the chain toward
    /// it, executed on the way), never a block of a branch fork choice did not name.
    /// </summary>
    private bool MayTakeHead(BlockHeader header)
    {
        if (!_engineDriven) return true;
        Hash256 target;
        lock (_forkchoiceLock) target = _forkchoiceHead;
        if (target.IsZero) return false;
        var current = _chain.GetHeader(target);
        while (current is not null && current.Number > header.Number) current = _chain.GetHeader(current.ParentHash);
        return current is not null && current.Hash == header.Hash;
    }

    public T Exclusive<T>(Func<T> action)
    {
        lock (_executionLock) return action();
    }

    private bool IsPayload(Hash256 blockHash) => _payloads.ContainsKey(blockHash);

    /// <summary>
    /// The block executed (or was found invalid): its verdict is settled, and payloads at or below it on other
    /// branches that were waiting when it began executing (<paramref name="executionStart"/>) are let go as unavailable
    /// (the chain the consensus client chose went on without them). One that came later, a sibling a reorganization may
    /// yet follow, stays: its head event has not been followed yet.
    /// </summary>
    private void SettlePayloads(BlockHeader header, PayloadVerdict verdict, long executionStart)
    {
        if (_payloads.TryRemove(header.Hash, out var settled)) settled.Verdict.TrySetResult(verdict);
        if (verdict.Outcome != PayloadOutcome.Valid) return;
        foreach (var (hash, waiting) in _payloads)
            if (waiting.Block.Number <= header.Number && waiting.SubmittedTicks < executionStart && _payloads.TryRemove(hash, out var stale))
                stale.Verdict.TrySetResult(PayloadVerdict.Unavailable);
    }

    /// <summary>
    /// Headers from <paramref name="head"/> down, newest first: those of waiting payloads as far as they link, then
    /// their ancestors from peers (unless <paramref name="stopAtStored"/> and the payloads reach a stored header).
    /// </summary>
    private async Task<List<BlockHeader>> HeadersDownFromAsync(Hash256 head, ulong count, bool stopAtStored, CancellationToken ct)
    {
        var headers = new List<BlockHeader>();
        var next = head;
        while ((ulong)headers.Count < count && _payloads.TryGetValue(next, out var payload))
        {
            headers.Add(payload.Block.Header);
            next = payload.Block.Header.ParentHash;
        }
        ulong rest = count - (ulong)headers.Count;
        if (rest > 0 && (headers.Count == 0 || !stopAtStored || _chain.GetHeader(next) is null))
            headers.AddRange(await GetHeadersAsync(Network.Eth.HeadersQuery.ByHash(next, rest, 0, reverse: true), next, ct).ConfigureAwait(false));
        return headers;
    }

    /// <summary>
    /// The first payload's parent is executed here (a full node's genesis or stored head): the sync starts on that
    /// state with no anchor to fetch.
    /// </summary>
    private bool TryStartOnLocalParent(Hash256 headHash)
    {
        if (!_payloads.TryGetValue(headHash, out var payload) || !_chain.IsExecuted(payload.Block.Header.ParentHash)) return false;
        var header = payload.Block.Header;
        _chain.InsertHeaders([header]);
        _pending.Clear();
        _nextToExecute = header.Number;
        _executedSincePivot = 0;
        _scheduler.CurrentRoot = _chain.GetHeader(header.ParentHash)!.StateRoot;
        _anchored = true;
        Metrics.Mode = _full ? "full" : "beam";
        NoteHead(header);
        AddPending(header);
        return true;
    }

    /// <summary>A header joins the blocks to execute; a payload's comes with its body.</summary>
    private void AddPending(BlockHeader header)
    {
        _pending.Add(header);
        OnHeaderKnown(header);
        UsePayloadBody(header.Hash);
    }

    private void UsePayloadBody(Hash256 blockHash)
    {
        if (!_payloads.TryGetValue(blockHash, out var payload) || _pending.Get(payload.Block.Number) is not { Body: null } pending
            || pending.Header.Hash != blockHash) return;
        _pending.SetBody(blockHash, payload.Block.Body);
        OnBlockAvailable(payload.Block);
    }
}
