using BeamSync.Core.Crypto;
using BeamSync.Core.Specs;

namespace BeamSync.Core.Types;

// Stateless validity under a fork: everything that can be judged from the transaction alone (no account state,
// no block context such as the base fee or blob gas price).
public sealed partial class Transaction
{
    /// <summary>EIP-3860: 2 * MAX_CODE_SIZE (24576).</summary>
    public const int MaxInitCodeSize = 2 * 24_576;

    /// <summary>EIP-7825 (Osaka): the per-transaction gas limit cap, 2^24.</summary>
    public const ulong MaxGasLimitOsaka = 1UL << 24;

    /// <summary>EIP-7594 (Osaka): blobs one transaction may carry.</summary>
    public const int MaxBlobsPerTransactionOsaka = 6;

    /// <summary>EIP-4844: the version byte of a KZG versioned hash.</summary>
    public const byte BlobCommitmentVersionKzg = 0x01;

    public static bool IsTypeAllowed(TransactionType type, Fork fork) => type switch
    {
        TransactionType.Legacy => true,
        TransactionType.AccessList => fork >= Fork.Berlin,
        TransactionType.DynamicFee => fork >= Fork.London,
        TransactionType.Blob => fork >= Fork.Cancun,
        TransactionType.SetCode => fork >= Fork.Prague,
        _ => false,
    };

    /// <summary>
    /// Throws <see cref="TransactionException"/> unless the transaction is valid under <paramref name="fork"/> on
    /// chain <paramref name="chainId"/>: type enabled, bounds, fees, signature form and recovery, fork-specific
    /// shape (init code size, blobs, authorizations) and intrinsic gas within the gas limit.
    /// <paramref name="maxBlobsPerBlock"/> (the chain's blob schedule at the block) rejects a blob transaction
    /// that no block could hold; leave it unbounded when the schedule is not known.
    /// </summary>
    public void Validate(Fork fork, ulong chainId, ulong maxBlobsPerBlock = ulong.MaxValue)
    {
        if (!IsTypeAllowed(Type, fork))
            TransactionException.Throw(TransactionError.TypeNotSupported, $"transaction type {(int)Type} is not enabled in {fork}");
        if (fork >= Fork.Osaka && GasLimit > MaxGasLimitOsaka)
            TransactionException.Throw(TransactionError.GasLimitAboveCap, $"gas limit {GasLimit} above the EIP-7825 cap {MaxGasLimitOsaka}");
        if (Nonce == ulong.MaxValue)
            TransactionException.Throw(TransactionError.NonceMaxValue, "nonce 2^64-1 is reserved (EIP-2681)");
        // Signature first, as the reference clients order it: a transaction that names no valid sender is
        // reported as such even when it is also underpriced or out of gas.
        ValidateSignature(fork, chainId);
        if (!TryRecoverSender(out _))
            TransactionException.Throw(TransactionError.SignatureRecoveryFailed, "no public key recovers from the signature");
        ValidateFees();
        ValidateShape(fork, maxBlobsPerBlock);

        ulong intrinsic = IntrinsicGas.Calculate(this, fork);
        if (GasLimit < intrinsic)
            TransactionException.Throw(TransactionError.IntrinsicGasTooLow, $"gas limit {GasLimit} below intrinsic gas {intrinsic}");
        if (fork >= Fork.Prague)
        {
            ulong floor = IntrinsicGas.CalldataFloor(this);
            if (GasLimit < floor)
                TransactionException.Throw(TransactionError.CalldataFloorTooLow, $"gas limit {GasLimit} below the EIP-7623 calldata floor {floor}");
        }
    }

    private void ValidateFees()
    {
        if (Type >= TransactionType.DynamicFee && MaxPriorityFeePerGas > MaxFeePerGas)
            TransactionException.Throw(TransactionError.PriorityFeeGreaterThanMaxFee, "max priority fee per gas above max fee per gas");
        if (ProductOverflows(GasLimit, FeeCap))
            TransactionException.Throw(TransactionError.GasLimitPriceProductOverflow, "gas limit * fee cap does not fit 256 bits");
    }

    private void ValidateSignature(Fork fork, ulong chainId)
    {
        // The chain binding (v or chain id) is judged before the scalars, so a zeroed signature with a foreign v
        // is a chain id error, as the reference tests expect.
        if (Type != TransactionType.Legacy)
        {
            if (ChainId != new UInt256(chainId)) TransactionException.Throw(TransactionError.InvalidChainId, $"chain id {ChainId} is not {chainId}");
            if (V > UInt256.One) TransactionException.Throw(TransactionError.InvalidSignature, "y_parity must be 0 or 1");
        }
        else if (!(V.IsUInt64 && V.U0 is 27 or 28))
        {
            // From Spurious Dragon any other v must be EIP-155's chain_id * 2 + 35/36 for our chain; before, it is just wrong.
            // v of 0 or 1 (a bare y-parity) counts as unprotected, hence a bad v rather than a foreign chain.
            if (fork < Fork.SpuriousDragon || (V.IsUInt64 && V.U0 <= 1)) TransactionException.Throw(TransactionError.InvalidSignature, $"v {V} is not 27 or 28");
            if (!IsReplayProtected || !V.IsUInt64 || ChainId != new UInt256(chainId))
                TransactionException.Throw(TransactionError.InvalidChainId, $"v {V} does not encode chain id {chainId}");
        }

        if (!SignatureRules.ScalarsInRange(R, S))
            TransactionException.Throw(TransactionError.InvalidSignature, "signature r or s outside [1, n-1]");
        if (fork >= Fork.Homestead && S > Secp256k1Curve.HalfN)
            TransactionException.Throw(TransactionError.InvalidSignature, "signature s above n/2 (EIP-2)");
    }

    private void ValidateShape(Fork fork, ulong maxBlobsPerBlock)
    {
        if (IsContractCreation && fork >= Fork.Shanghai && Data.Length > MaxInitCodeSize)
            TransactionException.Throw(TransactionError.InitCodeSizeExceeded, $"init code of {Data.Length} bytes exceeds {MaxInitCodeSize}");

        if (Type == TransactionType.Blob)
        {
            if (IsContractCreation) TransactionException.Throw(TransactionError.BlobTransactionCreate, "blob transaction cannot create a contract");
            if (BlobVersionedHashes.Length == 0) TransactionException.Throw(TransactionError.BlobTransactionWithoutBlobs, "blob transaction carries no blob hashes");
            foreach (var h in BlobVersionedHashes)
                if (h.Bytes[0] != BlobCommitmentVersionKzg)
                    TransactionException.Throw(TransactionError.BlobVersionedHashInvalid, $"blob versioned hash {h} does not start with 0x01");
            if (fork >= Fork.Osaka && BlobVersionedHashes.Length > MaxBlobsPerTransactionOsaka)
                TransactionException.Throw(TransactionError.TooManyBlobs, $"{BlobVersionedHashes.Length} blobs exceed {MaxBlobsPerTransactionOsaka} per transaction");
            if ((ulong)BlobVersionedHashes.Length > maxBlobsPerBlock)
                TransactionException.Throw(TransactionError.TooManyBlobs, $"{BlobVersionedHashes.Length} blobs exceed {maxBlobsPerBlock} per block");
        }
        else if (Type == TransactionType.SetCode)
        {
            if (IsContractCreation) TransactionException.Throw(TransactionError.SetCodeTransactionCreate, "set-code transaction cannot create a contract");
            if (AuthorizationList.Length == 0) TransactionException.Throw(TransactionError.EmptyAuthorizationList, "set-code transaction has no authorizations");
        }
    }

    /// <summary>Whether a (64-bit) * b (256-bit) needs more than 256 bits: schoolbook over the four limbs.</summary>
    private static bool ProductOverflows(ulong a, in UInt256 b)
    {
        ulong carry = 0;
        ReadOnlySpan<ulong> limbs = [b.U0, b.U1, b.U2, b.U3];
        foreach (ulong limb in limbs)
        {
            ulong high = Math.BigMul(a, limb, out ulong low);
            ulong sum = low + carry;
            carry = high + (sum < low ? 1UL : 0UL);
        }
        return carry != 0;
    }
}
