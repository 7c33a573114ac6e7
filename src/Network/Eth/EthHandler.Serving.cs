using BeamSync.Core;
using BeamSync.Network.Serving;

namespace BeamSync.Network.Eth;

public sealed partial class EthHandler
{
    /// <summary>The spec's recommended soft limit on BlockHeaders/BlockBodies/Receipts/NodeData responses.</summary>
    public const int SoftResponseBytes = ByHashServing.SoftResponseBytes;
    /// <summary>Most hashes served per request (bodies, receipts, nodes, transactions).</summary>
    public const int MaxItemsServed = ByHashServing.MaxItemsServed;

    private async Task ServeHeadersAsync(byte[] payload, CancellationToken ct)
    {
        var list = new RlpReader(payload).ReadList();
        ulong id = list.ReadUInt64();
        var query = HeadersQuery.Read(ref list);
        var headers = CollectHeaders(query);
        await SendAsync(EthMessageId.BlockHeaders, WireLists.WithRequestId(id, WireLists.EncodeItems(headers)), ct).ConfigureAwait(false);
    }

    /// <summary>Walks the canonical chain from the origin, skip+1 apart, until the limit, the chain's end or the byte budget.</summary>
    internal List<byte[]> CollectHeaders(HeadersQuery query)
    {
        var result = new List<byte[]>();
        byte[]? header = query.StartHash is { } h ? _store.GetHeader(h) : _store.GetCanonicalHeader(query.StartNumber!.Value);
        if (header is null) return result;
        ulong number = HeaderFields.Number(header);
        ulong limit = Math.Min(query.Limit, MaxHeadersPerRequest);
        ulong step = query.Skip >= ulong.MaxValue - 1 ? ulong.MaxValue : query.Skip + 1;
        int bytes = 0;
        while (header is not null && (ulong)result.Count < limit && bytes < SoftResponseBytes)
        {
            result.Add(header);
            bytes += header.Length;
            if (query.Reverse) { if (number < step) break; number -= step; }
            else { if (number > ulong.MaxValue - step) break; number += step; }
            header = _store.GetCanonicalHeader(number);
        }
        return result;
    }

    private async Task ServeBodiesAsync(byte[] payload, CancellationToken ct)
    {
        var list = new RlpReader(payload).ReadList();
        ulong id = list.ReadUInt64();
        var bodies = ByHashServing.Collect(WireLists.ReadHashes(ref list), _store.GetBody);
        await SendAsync(EthMessageId.BlockBodies, WireLists.WithRequestId(id, WireLists.EncodeItems(bodies)), ct).ConfigureAwait(false);
    }

    private async Task ServeReceiptsAsync(byte[] payload, CancellationToken ct)
    {
        var list = new RlpReader(payload).ReadList();
        ulong id = list.ReadUInt64();
        var hashes = WireLists.ReadHashes(ref list);
        var blocks = new List<byte[]>();
        int bytes = 0;
        for (int i = 0; i < hashes.Count && i < MaxItemsServed && bytes < SoftResponseBytes; i++)
        {
            var receipts = _store.GetReceipts(hashes[i]);
            if (receipts is null) break; // the spec: end the response at the first block we lack
            var encoded = Version >= 69 ? ReceiptWire.EncodeBlock69(receipts) : ReceiptWire.EncodeBlockLegacy(receipts);
            blocks.Add(encoded);
            bytes += encoded.Length;
        }
        await SendAsync(EthMessageId.Receipts, WireLists.WithRequestId(id, WireLists.EncodeItems(blocks)), ct).ConfigureAwait(false);
    }

    private async Task ServeNodeDataAsync(byte[] payload, CancellationToken ct)
    {
        var list = new RlpReader(payload).ReadList();
        ulong id = list.ReadUInt64();
        var values = ByHashServing.CollectNodes(_nodes, WireLists.ReadHashes(ref list));
        await SendAsync(EthMessageId.NodeData, WireLists.WithRequestId(id, WireLists.EncodeByteStrings(values)), ct).ConfigureAwait(false);
    }

    private async Task ServePooledTransactionsAsync(byte[] payload, CancellationToken ct)
    {
        var list = new RlpReader(payload).ReadList();
        ulong id = list.ReadUInt64();
        var hashes = WireLists.ReadHashes(ref list);
        var txs = _pool is null ? [] : ByHashServing.Collect(hashes, _pool.GetPooledTransaction);
        await SendAsync(EthMessageId.PooledTransactions, WireLists.WithRequestId(id, WireLists.EncodeItems(txs)), ct).ConfigureAwait(false);
    }
}
