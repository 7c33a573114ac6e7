using BeamSync.Core;
using BeamSync.Network.Peers;
using BeamSync.Network.Rlpx;

namespace BeamSync.Network.Eth;

public sealed partial class EthHandler
{
    /// <summary>Largest header count we ask for or serve in one message (geth's and Nethermind's limit).</summary>
    public const int MaxHeadersPerRequest = 1024;

    public async Task<List<byte[]>> GetBlockHeadersAsync(HeadersQuery query, CancellationToken ct = default)
    {
        var body = await RequestAsync(EthMessageId.GetBlockHeaders, EthMessageId.BlockHeaders, query.Encode(), ct).ConfigureAwait(false);
        var headers = ReadResponse(body, static (ref RlpReader r) => WireLists.ReadItems(ref r));
        if ((ulong)headers.Count > query.Limit) Useless("more headers than requested");
        return headers;
    }

    public async Task<List<byte[]>> GetBlockBodiesAsync(IReadOnlyList<Hash256> blockHashes, CancellationToken ct = default)
    {
        var body = await RequestAsync(EthMessageId.GetBlockBodies, EthMessageId.BlockBodies, WireLists.EncodeHashes(blockHashes), ct).ConfigureAwait(false);
        var bodies = ReadResponse(body, static (ref RlpReader r) => WireLists.ReadItems(ref r));
        if (bodies.Count > blockHashes.Count) Useless("more bodies than requested");
        return bodies;
    }

    /// <summary>Receipts per block; each receipt as sent (eth/69: [type, status, gas, logs]; before: consensus form).</summary>
    public async Task<List<List<byte[]>>> GetReceiptsAsync(IReadOnlyList<Hash256> blockHashes, CancellationToken ct = default)
    {
        var body = await RequestAsync(EthMessageId.GetReceipts, EthMessageId.Receipts, WireLists.EncodeHashes(blockHashes), ct).ConfigureAwait(false);
        var blocks = ReadResponse(body, static (ref RlpReader r) => ReceiptWire.DecodeBlocks(ref r));
        if (blocks.Count > blockHashes.Count) Useless("more receipt lists than requested");
        return blocks;
    }

    /// <summary>eth/66 only: trie nodes and code by hash; every returned value must hash to a requested hash.</summary>
    public async Task<List<byte[]>> GetNodeDataAsync(IReadOnlyList<Hash256> hashes, CancellationToken ct = default)
    {
        if (Version != 66) throw new InvalidOperationException("GetNodeData exists only in eth/66");
        var body = await RequestAsync(EthMessageId.GetNodeData, EthMessageId.NodeData, WireLists.EncodeHashes(hashes), ct).ConfigureAwait(false);
        var values = ReadResponse(body, static (ref RlpReader r) => WireLists.ReadByteStrings(ref r));
        var wanted = new HashSet<Hash256>(hashes);
        foreach (var v in values)
            if (!wanted.Contains(Core.Crypto.Keccak256.Hash(v))) Useless("NodeData value matches no requested hash");
        return values;
    }

    public async Task<List<byte[]>> GetPooledTransactionsAsync(IReadOnlyList<Hash256> hashes, CancellationToken ct = default)
    {
        var body = await RequestAsync(EthMessageId.GetPooledTransactions, EthMessageId.PooledTransactions, WireLists.EncodeHashes(hashes), ct).ConfigureAwait(false);
        var txs = ReadResponse(body, static (ref RlpReader r) => WireLists.ReadItems(ref r));
        if (txs.Count > hashes.Count) Useless("more transactions than requested");
        return txs;
    }

    public ValueTask SendNewBlockHashesAsync(IReadOnlyList<BlockAnnouncement> blocks, CancellationToken ct = default) =>
        SendAsync(EthMessageId.NewBlockHashes, EthAnnouncements.EncodeNewBlockHashes(blocks), ct);

    public ValueTask SendNewBlockAsync(byte[] encodedBlock, UInt256 totalDifficulty, CancellationToken ct = default) =>
        SendAsync(EthMessageId.NewBlock, EthAnnouncements.EncodeNewBlock(encodedBlock, totalDifficulty), ct);

    public ValueTask SendTransactionsAsync(IReadOnlyList<byte[]> encodedTransactions, CancellationToken ct = default) =>
        SendAsync(EthMessageId.Transactions, WireLists.EncodeItems(encodedTransactions), ct);

    /// <summary>eth/68+ form with types and sizes; to eth/66-67 peers only the hashes go out.</summary>
    public ValueTask SendPooledTransactionHashesAsync(PooledTransactionAnnouncement announcement, CancellationToken ct = default) =>
        SendAsync(EthMessageId.NewPooledTransactionHashes, Version >= 68 ? announcement.Encode() : WireLists.EncodeHashes(announcement.Hashes), ct);

    public ValueTask SendBlockRangeUpdateAsync(ulong earliest, ulong latest, Hash256 latestHash, CancellationToken ct = default)
    {
        if (Version < 69) throw new InvalidOperationException("BlockRangeUpdate needs eth/69");
        return SendAsync(EthMessageId.BlockRangeUpdate, EthAnnouncements.EncodeBlockRange(earliest, latest, latestHash), ct);
    }

    private delegate T BodyReader<T>(ref RlpReader reader);

    /// <summary>Sends [request-id, body] and awaits the matching response; returns the whole response payload.</summary>
    private async Task<byte[]> RequestAsync(int requestCode, int responseCode, byte[] body, CancellationToken ct)
    {
        await StatusExchanged.ConfigureAwait(false);
        var (id, response) = _requests.Register(responseCode, _session.Options.RequestTimeout, () => _session.Penalize(PeerScore.Timeout));
        await SendAsync(requestCode, WireLists.WithRequestId(id, body), ct).ConfigureAwait(false);
        return await response.WaitAsync(ct).ConfigureAwait(false);
    }

    private T ReadResponse<T>(byte[] payload, BodyReader<T> read)
    {
        try
        {
            var list = new RlpReader(payload).ReadList();
            list.ReadUInt64();
            return read(ref list);
        }
        catch (RlpException e)
        {
            _session.Penalize(PeerScore.Breach, DisconnectReason.BreachOfProtocol);
            throw new RlpxException(DisconnectReason.BreachOfProtocol, "malformed response: " + e.Message, e);
        }
    }

    private void Useless(string why)
    {
        _session.Penalize(PeerScore.Useless);
        throw new RlpxException(DisconnectReason.UselessPeer, why);
    }
}
