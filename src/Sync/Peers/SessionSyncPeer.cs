using BeamSync.Core;
using BeamSync.Network.Eth;
using BeamSync.Network.NodeData;
using BeamSync.Network.Peers;
using BeamSync.Network.Snap;
using BeamSync.Network.Wit;

namespace BeamSync.Sync.Peers;

/// <summary>
/// A live devp2p session as the sync layer sees it: headers and bodies over eth; state by hash over nodedata/1 (or
/// GetNodeData where eth/66 was negotiated), by key and code over snap, by path over snap/1 only, witnesses over wit/0. Which forms it offers
/// follows from what the session negotiated. Thread-safe as the handlers are.
/// </summary>
public sealed class SessionSyncPeer : ISyncPeer
{
    /// <summary>The client-id marker of a node that is still beam syncing (its state is partial).</summary>
    public const string BeamClientMarker = "/beam";

    private readonly PeerSession _session;
    private readonly EthHandler _eth;
    private readonly NodeDataHandler? _nodeData;
    private readonly SnapHandler? _snap;
    private readonly WitHandler? _wit;

    public SessionSyncPeer(PeerSession session)
    {
        _session = session;
        _eth = session.Protocol<EthHandler>() ?? throw new ArgumentException("the session has no eth", nameof(session));
        _nodeData = session.Protocol<NodeDataHandler>();
        _snap = session.Protocol<SnapHandler>();
        _wit = session.Protocol<WitHandler>();
        var client = session.RemoteHello?.ClientId ?? "";
        Id = $"{client.Split('/')[0]}-{session.RemoteIdHex[..8]}";
        IsBeamSyncing = client.Contains(BeamClientMarker, StringComparison.Ordinal);
        Forms = (_nodeData is not null || _eth.Version == 66 ? StateForms.ByHash : 0)
            | (_snap is not null ? StateForms.ByKey | StateForms.Code : 0)
            | (_snap is { ServesTrieNodes: true } ? StateForms.ByPath : 0)
            | (_wit is not null ? StateForms.Witness : 0);
    }

    public PeerSession Session => _session;
    public string Id { get; }
    public bool IsBeamSyncing { get; }
    public StateForms Forms { get; }

    public async Task<IReadOnlyList<byte[]>> GetBlockHeadersAsync(HeadersQuery query, CancellationToken ct) =>
        await _eth.GetBlockHeadersAsync(query, ct).ConfigureAwait(false);

    public async Task<IReadOnlyList<byte[]>> GetBlockBodiesAsync(IReadOnlyList<Hash256> blockHashes, CancellationToken ct) =>
        await _eth.GetBlockBodiesAsync(blockHashes, ct).ConfigureAwait(false);

    public async Task<IReadOnlyList<byte[]>> GetNodesByHashAsync(IReadOnlyList<Hash256> hashes, CancellationToken ct) =>
        _nodeData is not null
            ? await _nodeData.GetNodeDataAsync(hashes, ct).ConfigureAwait(false)
            : await _eth.GetNodeDataAsync(hashes, ct).ConfigureAwait(false);

    public async Task<IReadOnlyList<byte[]>> GetTrieNodesAsync(Hash256 root, IReadOnlyList<TrieNodePathSet> paths, int responseBytes, CancellationToken ct) =>
        await (_snap ?? throw new NotSupportedException("no snap")).GetTrieNodesAsync(root, paths, responseBytes, ct).ConfigureAwait(false);

    public Task<AccountRange> GetAccountRangeAsync(Hash256 root, Hash256 origin, Hash256 limit, int responseBytes, CancellationToken ct) =>
        (_snap ?? throw new NotSupportedException("no snap")).GetAccountRangeAsync(root, origin, limit, responseBytes, ct);

    public Task<StorageRanges> GetStorageRangesAsync(Hash256 root, IReadOnlyList<Hash256> accounts, Hash256 origin, Hash256 limit, int responseBytes, CancellationToken ct) =>
        (_snap ?? throw new NotSupportedException("no snap")).GetStorageRangesAsync(root, accounts, origin, limit, responseBytes, ct);

    public async Task<IReadOnlyList<byte[]>> GetByteCodesAsync(IReadOnlyList<Hash256> codeHashes, int responseBytes, CancellationToken ct) =>
        await (_snap ?? throw new NotSupportedException("no snap")).GetByteCodesAsync(codeHashes, responseBytes, ct).ConfigureAwait(false);

    public async Task<IReadOnlyList<Hash256>> GetWitnessHashesAsync(Hash256 blockHash, CancellationToken ct) =>
        await (_wit ?? throw new NotSupportedException("no wit")).GetBlockWitnessHashesAsync(blockHash, ct).ConfigureAwait(false);

    /// <summary>
    /// Wrong data and failed requests cost standing with the session; late and empty answers do not (a queue at the
    /// peer's uplink, or a beam peer's partial state, explain them): the scheduler routes around those by itself.
    /// </summary>
    public void Penalize(PeerFault fault)
    {
        if (fault == PeerFault.WrongData) _session.Penalize(PeerScore.Useless);
        else if (fault == PeerFault.Failed) _session.Penalize(PeerScore.Timeout / 2);
    }
}
