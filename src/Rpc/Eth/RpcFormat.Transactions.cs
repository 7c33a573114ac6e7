using System.Text.Json.Nodes;
using BeamSync.Core;
using BeamSync.Core.Types;
using static BeamSync.Rpc.RpcJson;

namespace BeamSync.Rpc;

public static partial class RpcFormat
{
    /// <summary>A transaction; with its block when <paramref name="header"/> is given (null while pending).</summary>
    public static JsonObject Transaction(Transaction tx, BlockHeader? header, int index)
    {
        var json = new JsonObject();
        if (header is not null)
        {
            json["blockHash"] = Hash(header.Hash);
            json["blockNumber"] = Quantity(header.Number);
            json["blockTimestamp"] = Quantity(header.Timestamp);
        }
        json["from"] = Address(tx.Sender);
        json["gas"] = Quantity(tx.GasLimit);
        json["gasPrice"] = Quantity(EffectiveGasPrice(tx, header?.BaseFeePerGas));
        if (tx.Type >= TransactionType.DynamicFee)
        {
            json["maxFeePerGas"] = Quantity(tx.MaxFeePerGas);
            json["maxPriorityFeePerGas"] = Quantity(tx.MaxPriorityFeePerGas);
        }
        if (tx.Type == TransactionType.Blob) json["maxFeePerBlobGas"] = Quantity(tx.MaxFeePerBlobGas);
        json["hash"] = Hash(tx.Hash);
        json["input"] = Data(tx.Data);
        json["nonce"] = Quantity(tx.Nonce);
        json["to"] = OptionalAddress(tx.To);
        if (header is not null) json["transactionIndex"] = Quantity((ulong)index);
        json["value"] = Quantity(tx.Value);
        json["type"] = Quantity((ulong)tx.Type);
        if (tx.Type != TransactionType.Legacy) json["accessList"] = AccessList(tx.AccessList);
        if (ChainIdOf(tx) is { } chainId) json["chainId"] = Quantity(chainId);
        if (tx.Type == TransactionType.Blob)
        {
            var hashes = new JsonArray();
            foreach (var h in tx.BlobVersionedHashes) hashes.Add(Hash(h));
            json["blobVersionedHashes"] = hashes;
        }
        if (tx.Type == TransactionType.SetCode) json["authorizationList"] = Authorizations(tx.AuthorizationList);
        json["v"] = Quantity(tx.V);
        json["r"] = Quantity(tx.R);
        json["s"] = Quantity(tx.S);
        if (tx.Type != TransactionType.Legacy) json["yParity"] = Quantity(tx.V);
        return json;
    }

    /// <summary>What the sender paid per gas: the fee cap plus nothing for legacy, base fee plus the capped tip after London.</summary>
    public static UInt256 EffectiveGasPrice(Transaction tx, UInt256? baseFee)
    {
        if (tx.Type < TransactionType.DynamicFee || baseFee is not { } fee) return tx.FeeCap;
        var headroom = tx.FeeCap - fee;
        return fee + (tx.TipCap < headroom ? tx.TipCap : headroom);
    }

    /// <summary>The chain id a transaction is bound to: typed ones carry it, EIP-155 legacy ones encode it in v.</summary>
    private static UInt256? ChainIdOf(Transaction tx)
    {
        if (tx.Type != TransactionType.Legacy) return tx.ChainId;
        if (!tx.IsReplayProtected) return null;
        return (tx.V - new UInt256(35)) / new UInt256(2);
    }

    private static JsonArray AccessList(AccessListItem[] items)
    {
        var list = new JsonArray();
        foreach (var item in items)
        {
            var keys = new JsonArray();
            foreach (var key in item.StorageKeys) keys.Add(Hash(key));
            list.Add(new JsonObject { ["address"] = Address(item.Address), ["storageKeys"] = keys });
        }
        return list;
    }

    private static JsonArray Authorizations(Authorization[] authorizations)
    {
        var list = new JsonArray();
        foreach (var a in authorizations)
            list.Add(new JsonObject
            {
                ["chainId"] = Quantity(a.ChainId),
                ["address"] = Address(a.Address),
                ["nonce"] = Quantity(a.Nonce),
                ["yParity"] = Quantity((ulong)a.YParity),
                ["r"] = Quantity(a.R),
                ["s"] = Quantity(a.S),
            });
        return list;
    }
}
