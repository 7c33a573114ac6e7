using System.Text.Json.Nodes;
using BeamSync.Chain.Specs;
using BeamSync.Core;
using BeamSync.Core.Specs;
using BeamSync.Core.Types;
using BeamSync.Evm;

namespace BeamSync.Rpc;

// Blocks, transactions and receipts.
public sealed partial class EthRpc
{
    private JsonNode? GetBlockByNumber(RpcParams p)
    {
        var id = p.BlockId(0);
        bool full = p.OptionalBool(1);
        return FindHeader(id) is { } header ? BlockJson(header, full) : null;
    }

    private JsonNode? GetBlockByHash(RpcParams p)
    {
        var hash = p.Hash(0);
        bool full = p.OptionalBool(1);
        return _chain.GetHeader(hash) is { } header ? BlockJson(header, full) : null;
    }

    private JsonNode? BlockJson(BlockHeader header, bool full) =>
        BodyOf(header) is { } body ? RpcFormat.Block(header, body, full) : null;

    private JsonNode? GetTransactionByHash(RpcParams p)
    {
        var hash = p.Hash(0);
        if (LocateTransaction(hash) is not var (header, body, index)) return null;
        return RpcFormat.Transaction(body.Transactions[index], header, index);
    }

    private JsonNode? GetTransactionReceipt(RpcParams p)
    {
        var hash = p.Hash(0);
        if (LocateTransaction(hash) is not var (header, body, index)) return null;
        var receipts = ReceiptsOf(header, body);
        int firstLog = 0;
        for (int i = 0; i < index; i++) firstLog += receipts[i].Logs.Length;
        ulong previousGas = index == 0 ? 0 : receipts[index - 1].CumulativeGasUsed;
        return RpcFormat.Receipt(header, body.Transactions[index], index, receipts[index], previousGas, firstLog, BlobGasPrice(header));
    }

    private JsonNode? GetBlockReceipts(RpcParams p)
    {
        if (FindHeader(p.BlockId(0)) is not { } header || BodyOf(header) is not { } body) return null;
        var receipts = ReceiptsOf(header, body);
        var blobGasPrice = BlobGasPrice(header);
        var result = new JsonArray();
        int firstLog = 0;
        for (int i = 0; i < receipts.Length; i++)
        {
            result.Add(RpcFormat.Receipt(header, body.Transactions[i], i, receipts[i], i == 0 ? 0 : receipts[i - 1].CumulativeGasUsed, firstLog, blobGasPrice));
            firstLog += receipts[i].Logs.Length;
        }
        return result;
    }

    /// <summary>The receipts of a block whose body is local; missing ones are the history error below the oldest local block.</summary>
    private Receipt[] ReceiptsOf(BlockHeader header, BlockBody body)
    {
        var receipts = _chain.GetReceipts(header.Hash);
        if (receipts is not null && receipts.Length == body.Transactions.Length) return receipts;
        RequireLocalHistory(header.Number);
        throw new RpcException(RpcErrorCodes.Internal, $"receipts of block {header.Number} are missing");
    }

    private JsonNode? GetTransactionCountByHash(RpcParams p) =>
        _chain.GetHeader(p.Hash(0)) is { } header && BodyOf(header) is { } body ? RpcJson.Quantity((ulong)body.Transactions.Length) : null;

    private JsonNode? GetTransactionCountByNumber(RpcParams p) =>
        FindHeader(p.BlockId(0)) is { } header && BodyOf(header) is { } body ? RpcJson.Quantity((ulong)body.Transactions.Length) : null;

    private JsonNode? GetTransactionByBlockHashAndIndex(RpcParams p) => TransactionAt(_chain.GetHeader(p.Hash(0)), p.Quantity(1));

    private JsonNode? GetTransactionByBlockNumberAndIndex(RpcParams p) => TransactionAt(FindHeader(p.BlockId(0)), p.Quantity(1));

    private JsonNode? TransactionAt(BlockHeader? header, ulong index) =>
        header is not null && BodyOf(header) is { } body && index < (ulong)body.Transactions.Length
            ? RpcFormat.Transaction(body.Transactions[index], header, (int)index)
            : null;

    /// <summary>
    /// The block and index of a transaction, or null when it is in no local canonical block. While history before the
    /// oldest local block is missing, "not found" cannot be told apart from "not local yet": that is the history error.
    /// </summary>
    private (BlockHeader Header, BlockBody Body, int Index)? LocateTransaction(Hash256 hash)
    {
        if (_transactions.Find(hash) is { } location
            && _chain.GetHeader(location.BlockHash) is { } header && _chain.GetBody(location.BlockHash) is { } body)
            return (header, body, location.Index);
        if (_sync.OldestLocalBlock > 0)
            throw new RpcException(RpcErrorCodes.HistoryNotLocal,
                $"transaction {hash} is not in the local blocks; history before block {_sync.OldestLocalBlock} is not local yet (beam sync is backfilling it)");
        return null;
    }

    /// <summary>The blob base fee of a Cancun-or-later block, null before.</summary>
    private UInt256? BlobGasPrice(BlockHeader header)
    {
        var fork = _chain.ForkOf(header);
        if (fork < Fork.Cancun || header.ExcessBlobGas is not { } excess) return null;
        return BlobGas.BaseFee(excess, _chain.Spec.BlobParametersOf(header.Timestamp, fork));
    }
}
