using BeamSync.Core;
using BeamSync.Network.P2p;
using BeamSync.Network.Peers;
using BeamSync.Network.Rlpx;
using BeamSync.Network.Serving;

namespace BeamSync.Network.Eth;

/// <summary>
/// The eth protocol on one session: Status exchange, serving requests from the stores, request/response
/// matching by request-id with timeouts, and announcements to the sink. Messages arrive one at a time from the
/// session's read loop; the request methods may be called from any thread.
/// </summary>
public sealed partial class EthHandler : RequestingHandler
{
    private readonly IEthChainInfo _chain;
    private readonly IChainStore _store;
    private readonly INodeStore? _nodes;
    private readonly ITransactionPool? _pool;
    private readonly IEthAnnouncementSink _sink;
    private readonly TaskCompletionSource<EthStatus> _remoteStatus = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private EthStatus? _localStatus;


    /// <summary>Completes with the remote's Status once both sides have exchanged theirs and it was accepted.</summary>
    public Task<EthStatus> StatusExchanged => _remoteStatus.Task;

    internal EthHandler(PeerSession session, SharedCapability capability, IEthChainInfo chain, IChainStore store,
        INodeStore? nodes, ITransactionPool? pool, IEthAnnouncementSink sink) : base(session, capability)
    {
        _chain = chain;
        _store = store;
        _nodes = nodes;
        _pool = pool;
        _sink = sink;
    }

    public override async Task StartAsync(CancellationToken ct)
    {
        if (!_chain.WaitForRemoteStatus)
        {
            _localStatus = _chain.GetStatus(Version, null);
            await SendAsync(EthMessageId.Status, _localStatus.Encode(), ct).ConfigureAwait(false);
        }
        _ = StatusDeadlineAsync(ct);
    }

    private async Task StatusDeadlineAsync(CancellationToken ct)
    {
        try
        {
            await _remoteStatus.Task.WaitAsync(Session.Options.HandshakeTimeout, ct).ConfigureAwait(false);
        }
        catch (TimeoutException) { await Session.DisconnectAsync(DisconnectReason.UselessPeer).ConfigureAwait(false); }
        catch (Exception) { /* session ended */ }
    }

    public override void OnDisconnected(DisconnectReason reason)
    {
        _remoteStatus.TrySetException(new RlpxException(reason, $"peer disconnected: {reason}"));
        base.OnDisconnected(reason);
    }

    protected override Task ReadyForRequests => StatusExchanged;

    public override async ValueTask HandleAsync(int code, RlpxMessage message, CancellationToken ct)
    {
        if (code == EthMessageId.Status) { await OnStatusAsync(message.Payload.ToArray(), ct).ConfigureAwait(false); return; }
        if (!_remoteStatus.Task.IsCompletedSuccessfully) RlpxException.BreachOfProtocol($"eth message {code} before Status");
        switch (code)
        {
            case EthMessageId.GetBlockHeaders: await QueueServingAsync(ServeHeadersAsync, message, ct).ConfigureAwait(false); break;
            case EthMessageId.GetBlockBodies: await QueueServingAsync(ServeBodiesAsync, message, ct).ConfigureAwait(false); break;
            case EthMessageId.GetReceipts: await QueueServingAsync(ServeReceiptsAsync, message, ct).ConfigureAwait(false); break;
            case EthMessageId.GetPooledTransactions: await QueueServingAsync(ServePooledTransactionsAsync, message, ct).ConfigureAwait(false); break;
            case EthMessageId.GetNodeData when Version == 66: await QueueServingAsync(ServeNodeDataAsync, message, ct).ConfigureAwait(false); break;
            case EthMessageId.BlockHeaders or EthMessageId.BlockBodies or EthMessageId.Receipts or EthMessageId.PooledTransactions:
            case EthMessageId.NodeData when Version == 66:
                DeliverResponse(code, message.Payload);
                break;
            case EthMessageId.NewBlockHashes: _sink.OnNewBlockHashes(Session, EthAnnouncements.DecodeNewBlockHashes(message.Payload)); break;
            case EthMessageId.NewBlock:
            {
                var (block, td) = EthAnnouncements.DecodeNewBlock(message.Payload);
                _sink.OnNewBlock(Session, block, td);
                break;
            }
            case EthMessageId.Transactions:
            {
                var reader = new RlpReader(message.Payload);
                _sink.OnTransactions(Session, WireLists.ReadItems(ref reader));
                break;
            }
            case EthMessageId.NewPooledTransactionHashes:
                _sink.OnPooledTransactionHashes(Session, DecodePooledHashes(message.Payload));
                break;
            case EthMessageId.BlockRangeUpdate when Version >= 69:
            {
                var (earliest, latest, hash) = EthAnnouncements.DecodeBlockRange(message.Payload);
                _sink.OnBlockRange(Session, earliest, latest, hash);
                break;
            }
            default:
                RlpxException.BreachOfProtocol($"eth/{Version} has no message {code}");
                break;
        }
    }

    private async Task OnStatusAsync(byte[] payload, CancellationToken ct)
    {
        if (_remoteStatus.Task.IsCompleted) RlpxException.BreachOfProtocol("second Status");
        var remote = EthStatus.Decode(payload, Version);
        if (_chain.WaitForRemoteStatus)
        {
            _localStatus = _chain.GetStatus(Version, remote);
            await SendAsync(EthMessageId.Status, _localStatus.Encode(), ct).ConfigureAwait(false);
        }
        if (!_chain.IsCompatible(_localStatus!, remote, out var why))
            RlpxException.Throw(DisconnectReason.UselessPeer, "incompatible Status: " + why);
        _remoteStatus.TrySetResult(remote);
    }

    private PooledTransactionAnnouncement DecodePooledHashes(ReadOnlySpan<byte> payload)
    {
        if (Version >= 68) return PooledTransactionAnnouncement.Decode(payload);
        var reader = new RlpReader(payload);
        var hashes = WireLists.ReadHashes(ref reader);
        return new PooledTransactionAnnouncement([], [], hashes);
    }
}
