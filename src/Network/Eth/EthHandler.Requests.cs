using BeamSync.Core;
using BeamSync.Network.Peers;
using BeamSync.Network.Rlpx;
using BeamSync.Network.Serving;

namespace BeamSync.Network.Eth;

public sealed partial class EthHandler
{
    /// <summary>Largest header count we ask for or serve in one message (geth's and Nethermind's limit).</summary>
    public const int MaxHeadersPerRequest = 1024;

    public async Task<List<byte[]>> GetBlockHeadersAsync(HeadersQuery query, CancellationToken ct = default)
    {
        var body = await RequestAsync(EthMessageId.GetBlockHeaders, EthMessageId.BlockHeaders, ct, query.Encode()).ConfigureAwait(false);
        var headers = ReadResponse(body, static (ref RlpReader r) => WireLists.ReadItems(ref r));
        if ((ulong)headers.Count > query.Limit) Useless("more headers than requested");
        return headers;
    }

    public async Task<List<byte[]>> GetBlockBodiesAsync(IReadOnlyList<Hash256> blockHashes, CancellationToken ct = default)
    {
        var body = await RequestAsync(EthMessageId.GetBlockBodies, EthMessageId.BlockBodies, ct, WireLists.EncodeHashes(blockHashes)).ConfigureAwait(false);
        var bodies = ReadResponse(body, static (ref RlpReader r) => WireLists.ReadItems(ref r));
        if (bodies.Count > blockHashes.Count) Useless("more bodies than requested");
        return bodies;
    }

    /// <summary>Receipts per block; each receipt as sent (eth/69: [type, status, gas, logs]; before: consensus form).</summary>
    public async Task<List<List<byte[]>>> GetReceiptsAsync(IReadOnlyList<Hash256> blockHashes, CancellationToken ct = default)
    {
        var body = await RequestAsync(EthMessageId.GetReceipts, EthMessageId.Receipts, ct, WireLists.EncodeHashes(blockHashes)).ConfigureAwait(false);
        var blocks = ReadResponse(body, static (ref RlpReader r) => ReceiptWire.DecodeBlocks(ref r));
        if (blocks.Count > blockHashes.Count) Useless("more receipt lists than requested");
        return blocks;
    }

    /// <summary>eth/66 only: trie nodes and code by hash; every returned value must hash to a requested hash.</summary>
    public async Task<List<byte[]>> GetNodeDataAsync(IReadOnlyList<Hash256> hashes, CancellationToken ct = default)
    {
        if (Version != 66) throw new InvalidOperationException("GetNodeData exists only in eth/66");
        var body = await RequestAsync(EthMessageId.GetNodeData, EthMessageId.NodeData, ct, WireLists.EncodeHashes(hashes)).ConfigureAwait(false);
        var values = ReadResponse(body, static (ref RlpReader r) => WireLists.ReadByteStrings(ref r));
        if (!ByHashServing.AllRequested(hashes, values)) Useless("NodeData value matches no requested hash");
        return values;
    }

    public async Task<List<byte[]>> GetPooledTransactionsAsync(IReadOnlyList<Hash256> hashes, CancellationToken ct = default)
    {
        var body = await RequestAsync(EthMessageId.GetPooledTransactions, EthMessageId.PooledTransactions, ct, WireLists.EncodeHashes(hashes)).ConfigureAwait(false);
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
}
