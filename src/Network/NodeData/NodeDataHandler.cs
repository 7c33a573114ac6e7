using BeamSync.Core;
using BeamSync.Network.Eth;
using BeamSync.Network.P2p;
using BeamSync.Network.Peers;
using BeamSync.Network.Rlpx;
using BeamSync.Network.Serving;

namespace BeamSync.Network.NodeData;

/// <summary>
/// nodedata/1 on one session. The messages carry no request id, so responses match requests by order: requests
/// are sent and recorded under one lock, the peer answers in order (it serves one request at a time, as our serving
/// worker does), and each response completes the oldest outstanding request. A request that timed out or was
/// cancelled keeps its place, so its late answer is consumed and dropped rather than shifting every later match.
/// <see cref="GetNodeDataAsync"/> is thread-safe; message handling runs on the session's read loop.
/// </summary>
public sealed class NodeDataHandler(PeerSession session, SharedCapability capability, INodeStore? store) : IProtocolHandler
{
    /// <summary>Most hashes per request: Nethermind disconnects a peer asking for more than 4096.</summary>
    public const int MaxHashesPerRequest = 4096;

    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly Lock _lock = new();
    private readonly Queue<TaskCompletionSource<List<byte[]>>> _outstanding = new();
    private Exception? _closed;

    public SharedCapability Capability { get; } = capability;
    public PeerSession Session { get; } = session;

    /// <summary>Requests sent whose answer has not arrived (abandoned ones included).</summary>
    public int Outstanding { get { lock (_lock) return _outstanding.Count; } }

    public Task StartAsync(CancellationToken ct) => Task.CompletedTask;

    public async ValueTask HandleAsync(int code, RlpxMessage message, CancellationToken ct)
    {
        switch (code)
        {
            case NodeDataMessageId.GetNodeData:
            {
                var payload = message.Payload.ToArray();
                await Session.QueueServingAsync(c => ServeAsync(payload, c), ct).ConfigureAwait(false);
                break;
            }
            case NodeDataMessageId.NodeData:
                Deliver(message.Payload);
                break;
            default:
                RlpxException.BreachOfProtocol($"nodedata/1 has no message {code}");
                break;
        }
    }

    private async Task ServeAsync(byte[] payload, CancellationToken ct)
    {
        var reader = new RlpReader(payload);
        var values = ByHashServing.CollectNodes(store, WireLists.ReadHashes(ref reader));
        await Session.SendAsync(Capability, NodeDataMessageId.NodeData, WireLists.EncodeByteStrings(values), ct).ConfigureAwait(false);
    }

    private void Deliver(ReadOnlySpan<byte> payload)
    {
        var reader = new RlpReader(payload);
        var values = WireLists.ReadByteStrings(ref reader);
        TaskCompletionSource<List<byte[]>>? oldest;
        lock (_lock) _outstanding.TryDequeue(out oldest);
        // An answer to nothing we asked; an answer to an abandoned request is dropped without blame.
        if (oldest is null) Session.Penalize(PeerScore.Useless);
        else oldest.TrySetResult(values);
    }

    /// <summary>
    /// Asks the peer for the trie nodes or codes with these hashes. Returns what the peer sent (absent values are
    /// simply left out, so fewer values than hashes is normal); every value hashes to a requested hash, else the
    /// peer is penalized and the call fails with <see cref="RlpxException"/>. Fails with
    /// <see cref="TimeoutException"/> after the session's request timeout.
    /// </summary>
    public async Task<List<byte[]>> GetNodeDataAsync(IReadOnlyList<Hash256> hashes, CancellationToken ct = default)
    {
        if (hashes.Count > MaxHashesPerRequest) throw new ArgumentOutOfRangeException(nameof(hashes), $"at most {MaxHashesPerRequest} hashes per request");
        if (hashes.Count == 0) return [];
        var response = new TaskCompletionSource<List<byte[]>>(TaskCreationOptions.RunContinuationsAsynchronously);
        await _sendLock.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            lock (_lock)
            {
                if (_closed is not null) throw _closed;
                _outstanding.Enqueue(response);
            }
            // Not cancellable once recorded: a request recorded but never sent would shift every later match.
            await Session.SendAsync(Capability, NodeDataMessageId.GetNodeData, WireLists.EncodeHashes(hashes), CancellationToken.None).ConfigureAwait(false);
        }
        finally { _sendLock.Release(); }

        List<byte[]> values;
        try { values = await response.Task.WaitAsync(Session.Options.RequestTimeout, ct).ConfigureAwait(false); }
        catch (TimeoutException)
        {
            Session.Penalize(PeerScore.Timeout);
            throw new TimeoutException($"nodedata request for {hashes.Count} hashes timed out after {Session.Options.RequestTimeout.TotalSeconds:0.#} s");
        }
        if (!ByHashServing.AllRequested(hashes, values))
        {
            Session.Penalize(PeerScore.Useless);
            throw new RlpxException(DisconnectReason.UselessPeer, "NodeData value matches no requested hash");
        }
        return values;
    }

    public void OnDisconnected(DisconnectReason reason)
    {
        var error = new RlpxException(reason, $"peer disconnected: {reason}");
        lock (_lock)
        {
            _closed = error;
            while (_outstanding.TryDequeue(out var pending)) pending.TrySetException(error);
        }
    }
}
