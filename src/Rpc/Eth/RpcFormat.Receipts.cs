using System.Text.Json.Nodes;
using BeamSync.Core;
using BeamSync.Core.Types;
using BeamSync.Evm;
using static BeamSync.Rpc.RpcJson;

namespace BeamSync.Rpc;

public static partial class RpcFormat
{
    /// <summary>
    /// The receipt of transaction <paramref name="index"/> of a block: gas used is the step in cumulative gas from the
    /// previous receipt, log indexes count from <paramref name="firstLogIndex"/> across the block, and the blob fields
    /// appear for blob transactions at the block's <paramref name="blobGasPrice"/>.
    /// </summary>
    public static JsonObject Receipt(BlockHeader header, Transaction tx, int index, Receipt receipt, ulong previousCumulativeGas,
        int firstLogIndex, UInt256? blobGasPrice)
    {
        var sender = tx.Sender;
        var txHash = tx.Hash;
        var logs = new JsonArray();
        for (int i = 0; i < receipt.Logs.Length; i++) logs.Add(Log(receipt.Logs[i], header, txHash, index, firstLogIndex + i));
        var json = new JsonObject
        {
            ["blockHash"] = Hash(header.Hash),
            ["blockNumber"] = Quantity(header.Number),
            ["contractAddress"] = tx.To is null ? Address(VirtualMachine.CreateAddress(sender, tx.Nonce)) : null,
            ["cumulativeGasUsed"] = Quantity(receipt.CumulativeGasUsed),
            ["effectiveGasPrice"] = Quantity(EffectiveGasPrice(tx, header.BaseFeePerGas)),
            ["from"] = Address(sender),
            ["gasUsed"] = Quantity(receipt.CumulativeGasUsed - previousCumulativeGas),
            ["logs"] = logs,
            ["logsBloom"] = Data(receipt.Bloom.Bytes),
            ["to"] = OptionalAddress(tx.To),
            ["transactionHash"] = Hash(txHash),
            ["transactionIndex"] = Quantity((ulong)index),
            ["type"] = Quantity((ulong)tx.Type),
        };
        if (receipt.Success is { } success) json["status"] = Quantity(success ? 1UL : 0UL);
        else if (receipt.PostState is { } root) json["root"] = Hash(root);
        if (tx.Type == TransactionType.Blob)
        {
            json["blobGasUsed"] = Quantity((ulong)tx.BlobVersionedHashes.Length * BlobGas.GasPerBlob);
            if (blobGasPrice is { } price) json["blobGasPrice"] = Quantity(price);
        }
        return json;
    }

    public static JsonObject Log(Log log, BlockHeader header, Hash256 txHash, int txIndex, int logIndex)
    {
        var topics = new JsonArray();
        foreach (var topic in log.Topics) topics.Add(Hash(topic));
        return new JsonObject
        {
            ["address"] = Address(log.Address),
            ["topics"] = topics,
            ["data"] = Data(log.Data),
            ["blockNumber"] = Quantity(header.Number),
            ["transactionHash"] = Hash(txHash),
            ["transactionIndex"] = Quantity((ulong)txIndex),
            ["blockHash"] = Hash(header.Hash),
            ["blockTimestamp"] = Quantity(header.Timestamp),
            ["logIndex"] = Quantity((ulong)logIndex),
            ["removed"] = false,
        };
    }
}
