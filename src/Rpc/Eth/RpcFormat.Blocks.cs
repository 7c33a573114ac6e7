using System.Text.Json.Nodes;
using BeamSync.Core;
using BeamSync.Core.Types;
using static BeamSync.Rpc.RpcJson;

namespace BeamSync.Rpc;

/// <summary>
/// The JSON objects eth_ methods answer with, in geth's shapes: blocks, transactions, receipts and logs. Fields a
/// fork introduced appear only on blocks and transactions that carry them. Thread-safe static functions.
/// </summary>
public static partial class RpcFormat
{
    public static JsonObject Block(BlockHeader header, BlockBody body, bool fullTransactions)
    {
        var hash = header.Hash;
        var json = new JsonObject
        {
            ["difficulty"] = Quantity(header.Difficulty),
            ["extraData"] = Data(header.ExtraData),
            ["gasLimit"] = Quantity(header.GasLimit),
            ["gasUsed"] = Quantity(header.GasUsed),
            ["hash"] = Hash(hash),
            ["logsBloom"] = Data(header.LogsBloom.Bytes),
            ["miner"] = Address(header.Coinbase),
            ["mixHash"] = Hash(header.MixHash),
            ["nonce"] = "0x" + header.Nonce.ToString("x16"),
            ["number"] = Quantity(header.Number),
            ["parentHash"] = Hash(header.ParentHash),
            ["receiptsRoot"] = Hash(header.ReceiptsRoot),
            ["sha3Uncles"] = Hash(header.OmmersHash),
            ["size"] = Quantity((ulong)new Block(header, body).EncodedLength),
            ["stateRoot"] = Hash(header.StateRoot),
            ["timestamp"] = Quantity(header.Timestamp),
            ["transactionsRoot"] = Hash(header.TransactionsRoot),
        };
        if (header.BaseFeePerGas is { } baseFee) json["baseFeePerGas"] = Quantity(baseFee);
        if (header.WithdrawalsRoot is { } withdrawalsRoot) json["withdrawalsRoot"] = Hash(withdrawalsRoot);
        if (header.BlobGasUsed is { } blobGasUsed) json["blobGasUsed"] = Quantity(blobGasUsed);
        if (header.ExcessBlobGas is { } excessBlobGas) json["excessBlobGas"] = Quantity(excessBlobGas);
        if (header.ParentBeaconBlockRoot is { } beaconRoot) json["parentBeaconBlockRoot"] = Hash(beaconRoot);
        if (header.RequestsHash is { } requestsHash) json["requestsHash"] = Hash(requestsHash);

        var transactions = new JsonArray();
        for (int i = 0; i < body.Transactions.Length; i++)
            transactions.Add(fullTransactions ? Transaction(body.Transactions[i], header, i) : Hash(body.Transactions[i].Hash));
        json["transactions"] = transactions;
        var uncles = new JsonArray();
        foreach (var uncle in body.Uncles) uncles.Add(Hash(uncle.Hash));
        json["uncles"] = uncles;
        if (body.Withdrawals is { } withdrawals)
        {
            var list = new JsonArray();
            foreach (var w in withdrawals)
                list.Add(new JsonObject
                {
                    ["index"] = Quantity(w.Index),
                    ["validatorIndex"] = Quantity(w.ValidatorIndex),
                    ["address"] = Address(w.Address),
                    ["amount"] = Quantity(w.AmountGwei),
                });
            json["withdrawals"] = list;
        }
        return json;
    }
}
