using System.Text.Json.Nodes;
using BeamSync.Core;
using BeamSync.Core.Types;

namespace BeamSync.Rpc;

// eth_sendRawTransaction.
public sealed partial class EthRpc
{
    /// <summary>
    /// Decodes a signed transaction (a blob transaction in its network form with sidecar, or its canonical form),
    /// checks its signature and chain id, hands it to the pool and answers its hash.
    /// </summary>
    private JsonNode SendRawTransaction(RpcParams p)
    {
        var raw = RpcJson.ParseData(p.Required(0), 0);
        if (_pool is null) throw new RpcException(RpcErrorCodes.MethodNotFound, "eth_sendRawTransaction is not available: no transaction pool");
        Transaction tx;
        BlobTransactionWithSidecar? sidecar = null;
        try
        {
            if (raw.Length > 0 && raw[0] == (byte)TransactionType.Blob && IsNetworkForm(raw))
            {
                sidecar = BlobTransactionWithSidecar.Decode(raw);
                tx = sidecar.Transaction;
            }
            else tx = Transaction.DecodeCanonical(raw);
        }
        catch (Exception e) when (e is RlpException or TransactionException or FormatException)
        {
            throw RpcParams.Invalid(0, $"transaction could not be decoded: {e.Message}");
        }
        if (!tx.TryRecoverSender(out _)) throw new RpcException(RpcErrorCodes.ServerError, "invalid sender: the signature does not recover");
        if (tx.IsReplayProtected && tx.Type != TransactionType.Legacy && tx.ChainId != new UInt256(_chain.Spec.ChainId))
            throw new RpcException(RpcErrorCodes.ServerError, $"invalid chain id: have {tx.ChainId}, want {_chain.Spec.ChainId}");
        if (_pool.Submit(tx, sidecar) is { } refusal) throw new RpcException(RpcErrorCodes.ServerError, refusal);
        return RpcJson.Hash(tx.Hash);
    }

    /// <summary>A blob transaction's network form wraps [tx, (version,) blobs, commitments, proofs]: its payload's first item is a list.</summary>
    private static bool IsNetworkForm(byte[] raw)
    {
        var reader = new RlpReader(raw.AsSpan(1));
        var outer = reader.ReadList();
        return outer.HasMore && outer.PeekIsList();
    }
}
