using BeamSync.Core;

namespace BeamSync.Evm;

public sealed partial class TransactionProcessor
{
    /// <summary>The checks that make a transaction invalid (not includable) rather than failed; null when it is valid.</summary>
    private string? Validate(Message tx, out long intrinsic, out UInt256 effectiveGasPrice, out ulong blobGas)
    {
        intrinsic = 0; effectiveGasPrice = default; blobGas = 0;
        switch (tx.Type)
        {
            case 0: break;
            case 1 when spec.IsBerlin: break;
            case 2 when spec.IsLondon: break;
            case 3 when spec.IsCancun: break;
            default: return $"transaction type {tx.Type} not supported";
        }
        if (tx.GasLimit > long.MaxValue) return "gas limit overflow";
        if (tx.GasLimit > block.GasLimit) return "gas limit exceeds block gas limit";
        ulong nonce = state.GetNonce(tx.Sender);
        if (tx.Nonce < nonce) return "nonce too low";
        if (tx.Nonce > nonce) return "nonce too high";
        if (nonce == ulong.MaxValue) return "nonce overflow";   // EIP-2681
        var codeHash = state.GetCodeHash(tx.Sender);
        if (!codeHash.IsZero && codeHash != Hash256.EmptyKeccak) return "sender has code";   // EIP-3607

        if (spec.IsLondon)
        {
            if (tx.MaxPriorityFeePerGas > tx.MaxFeePerGas) return "max priority fee exceeds max fee";
            if (tx.MaxFeePerGas < block.BaseFee) return "max fee below base fee";
            var tipCap = tx.MaxFeePerGas - block.BaseFee;
            effectiveGasPrice = block.BaseFee + (tx.MaxPriorityFeePerGas < tipCap ? tx.MaxPriorityFeePerGas : tipCap);
        }
        else effectiveGasPrice = tx.MaxFeePerGas;

        if (tx.To is null && tx.Data.Length > spec.MaxInitCodeSize) return "initcode too large";   // EIP-3860
        intrinsic = IntrinsicGas.Of(tx, spec);
        if ((ulong)intrinsic > tx.GasLimit) return "intrinsic gas exceeds gas limit";

        UInt256 blobFeeCap = default;
        if (tx.Type == 3)
        {
            if (tx.To is null) return "blob transaction cannot create";
            if (tx.BlobHashes.Length == 0) return "blob transaction without blobs";
            if (tx.BlobHashes.Length > BlobGas.MaxBlobsPerBlock(spec)) return "too many blobs";
            foreach (var h in tx.BlobHashes)
                if (h.Bytes[0] != BlobGas.VersionedHashVersionKzg) return "blob versioned hash has wrong version";
            if (tx.MaxFeePerBlobGas < block.BlobBaseFee) return "max fee per blob gas below blob base fee";
            blobGas = (ulong)tx.BlobHashes.Length * BlobGas.GasPerBlob;
            blobFeeCap = new UInt256(blobGas) * tx.MaxFeePerBlobGas;
        }

        // The balance must cover the worst case: every unit of gas at the fee cap, the value and the blob fee cap.
        if (UInt256.MultiplyOverflow(new UInt256(tx.GasLimit), tx.MaxFeePerGas, out var maxGasCost)
            || UInt256.AddOverflow(maxGasCost, tx.Value, out var total)
            || UInt256.AddOverflow(total, blobFeeCap, out total))
            return "insufficient funds (overflow)";
        if (state.GetBalance(tx.Sender) < total) return "insufficient funds";
        return null;
    }
}
