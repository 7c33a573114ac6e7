using BeamSync.Core;
using BeamSync.Core.Types;

namespace BeamSync.Evm;

public sealed partial class TransactionProcessor
{
    /// <summary>The checks that make a transaction invalid (not includable) rather than failed; null when it is valid.</summary>
    private string? Validate(Transaction tx, Address sender, out long intrinsic, out UInt256 effectiveGasPrice, out ulong blobGas)
    {
        intrinsic = 0; effectiveGasPrice = default; blobGas = 0;
        switch (tx.Type)
        {
            case TransactionType.Legacy: break;
            case TransactionType.AccessList when spec.IsBerlin: break;
            case TransactionType.DynamicFee when spec.IsLondon: break;
            case TransactionType.Blob when spec.IsCancun: break;
            case TransactionType.SetCode when spec.IsPrague:
                if (tx.To is null) return "set-code transaction cannot create";           // EIP-7702
                if (tx.AuthorizationList.Length == 0) return "set-code transaction without authorizations";
                break;
            default: return $"transaction type {tx.Type} not supported";
        }
        if (tx.GasLimit > long.MaxValue) return "gas limit overflow";
        if (spec.IsOsaka && tx.GasLimit > Transaction.MaxGasLimitOsaka) return "gas limit above the transaction cap";   // EIP-7825
        if (tx.GasLimit > block.GasLimit) return "gas limit exceeds block gas limit";
        ulong nonce = state.GetNonce(sender);
        if (tx.Nonce < nonce) return "nonce too low";
        if (tx.Nonce > nonce) return "nonce too high";
        if (nonce == ulong.MaxValue) return "nonce overflow";   // EIP-2681
        var codeHash = state.GetCodeHash(sender);
        // EIP-3607; EIP-7702 lets an account whose code is a delegation designator keep sending.
        if (!codeHash.IsZero && codeHash != Hash256.EmptyKeccak &&
            !(spec.IsPrague && Delegation.TryGetTarget(state.GetCode(sender), out _)))
            return "sender has code";

        if (spec.IsLondon)
        {
            if (tx.TipCap > tx.FeeCap) return "max priority fee exceeds max fee";
            if (tx.FeeCap < block.BaseFee) return "max fee below base fee";
            var tipCap = tx.FeeCap - block.BaseFee;
            effectiveGasPrice = block.BaseFee + (tx.TipCap < tipCap ? tx.TipCap : tipCap);
        }
        else effectiveGasPrice = tx.FeeCap;

        if (tx.To is null && tx.Data.Length > spec.MaxInitCodeSize) return "initcode too large";   // EIP-3860
        ulong intrinsicGas = IntrinsicGas.Calculate(tx, spec.Fork);
        if (intrinsicGas > tx.GasLimit) return "intrinsic gas exceeds gas limit";
        if (spec.IsPrague && IntrinsicGas.CalldataFloor(tx) > tx.GasLimit) return "gas limit below calldata floor";   // EIP-7623
        intrinsic = (long)intrinsicGas;

        UInt256 blobFeeCap = default;
        if (tx.Type == TransactionType.Blob)
        {
            if (tx.To is null) return "blob transaction cannot create";
            if (tx.BlobVersionedHashes.Length == 0) return "blob transaction without blobs";
            if ((ulong)tx.BlobVersionedHashes.Length > BlobGas.MaxBlobsPerBlock(spec, block)) return "too many blobs";
            if (spec.IsOsaka && tx.BlobVersionedHashes.Length > Transaction.MaxBlobsPerTransactionOsaka)
                return "too many blobs for one transaction";   // EIP-7594
            foreach (var h in tx.BlobVersionedHashes)
                if (h.Bytes[0] != BlobGas.VersionedHashVersionKzg) return "blob versioned hash has wrong version";
            if (tx.MaxFeePerBlobGas < block.BlobBaseFee) return "max fee per blob gas below blob base fee";
            blobGas = (ulong)tx.BlobVersionedHashes.Length * BlobGas.GasPerBlob;
            if (UInt256.MultiplyOverflow(new UInt256(blobGas), tx.MaxFeePerBlobGas, out blobFeeCap)) return "insufficient funds (overflow)";
        }

        // The balance must cover the worst case: every unit of gas at the fee cap, the value and the blob fee cap.
        if (UInt256.MultiplyOverflow(new UInt256(tx.GasLimit), tx.FeeCap, out var maxGasCost)
            || UInt256.AddOverflow(maxGasCost, tx.Value, out var total)
            || UInt256.AddOverflow(total, blobFeeCap, out total))
            return "insufficient funds (overflow)";
        if (state.GetBalance(sender) < total) return "insufficient funds";
        return null;
    }
}
