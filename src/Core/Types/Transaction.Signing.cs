using BeamSync.Core.Crypto;

namespace BeamSync.Core.Types;

// Signing and sender recovery.
public sealed partial class Transaction
{
    /// <summary>
    /// The recovery id (0 or 1) encoded in v: legacy v = 27/28, or chain_id * 2 + 35/36 under EIP-155; typed
    /// y_parity = 0/1. -1 when v encodes neither.
    /// </summary>
    public int RecoveryId
    {
        get
        {
            if (!V.IsUInt64) return -1;
            ulong v = V.U0;
            if (Type != TransactionType.Legacy) return v <= 1 ? (int)v : -1;
            if (v is 27 or 28) return (int)(v - 27);
            return v >= 35 ? (int)((v - 35) & 1) : -1;
        }
    }

    /// <summary>
    /// Recovers the sender from the signature (no fork rules: see <see cref="Validate"/>). False when v does not
    /// encode a recovery id, r or s is outside [1, n-1], or no public key recovers. Cached.
    /// </summary>
    public bool TryRecoverSender(out Address sender)
    {
        var result = _sender ??= RecoverSender();
        sender = result.Sender;
        return result.Valid;
    }

    /// <summary>The sender; throws <see cref="TransactionException"/> when the signature does not recover.</summary>
    public Address Sender
    {
        get
        {
            if (!TryRecoverSender(out var sender))
                TransactionException.Throw(TransactionError.SignatureRecoveryFailed, "sender could not be recovered from the signature");
            return sender;
        }
    }

    private SenderResult RecoverSender()
    {
        int recoveryId = RecoveryId;
        if (recoveryId < 0 || !SignatureRules.ScalarsInRange(R, S)) return new SenderResult(false, default);
        bool ok = SignatureRules.TryRecover(SigningHash(), recoveryId, R, S, out var sender);
        return new SenderResult(ok, sender);
    }

    /// <summary>
    /// Returns a copy signed with <paramref name="privateKey"/>. A legacy transaction with a nonzero
    /// <see cref="ChainId"/> is signed under EIP-155, otherwise with v = 27/28.
    /// </summary>
    public Transaction Sign(ReadOnlySpan<byte> privateKey)
    {
        UInt256 baseV = Type != TransactionType.Legacy ? UInt256.Zero
            : ChainId.IsZero ? new UInt256(27)
            : new UInt256(checked(ChainId.U0 * 2 + 35));
        if (Type == TransactionType.Legacy && !ChainId.IsUInt64) ThrowHelper.ThrowArgument("legacy chain id must fit 64 bits");
        var unsigned = WithSignature(baseV, default, default);
        var (signature, recoveryId) = Secp256k1Curve.Sign(unsigned.SigningHash().Bytes, privateKey);
        return WithSignature(new UInt256(baseV.U0 + recoveryId), new UInt256(signature.AsSpan(0, 32)), new UInt256(signature.AsSpan(32, 32)));
    }

    private Transaction WithSignature(UInt256 v, UInt256 r, UInt256 s) => new()
    {
        Type = Type,
        ChainId = ChainId,
        Nonce = Nonce,
        GasPrice = GasPrice,
        MaxPriorityFeePerGas = MaxPriorityFeePerGas,
        MaxFeePerGas = MaxFeePerGas,
        GasLimit = GasLimit,
        To = To,
        Value = Value,
        Data = Data,
        AccessList = AccessList,
        MaxFeePerBlobGas = MaxFeePerBlobGas,
        BlobVersionedHashes = BlobVersionedHashes,
        AuthorizationList = AuthorizationList,
        V = v,
        R = r,
        S = s,
    };
}
