using System.Diagnostics.CodeAnalysis;

namespace BeamSync.Core.Types;

/// <summary>Why a well-formed (RLP-valid) transaction is not acceptable.</summary>
public enum TransactionError
{
    TypeNotSupported,
    NonceOverflow,              // nonce does not fit 64 bits
    NonceMaxValue,              // EIP-2681: nonce must be below 2^64 - 1
    GasLimitOverflow,           // gas limit does not fit 64 bits
    GasLimitAboveCap,           // EIP-7825 (Osaka): gas limit above 2^24
    GasLimitPriceProductOverflow,
    PriorityFeeGreaterThanMaxFee,
    InvalidChainId,
    InvalidSignature,           // v / y-parity, r or s out of range
    SignatureRecoveryFailed,
    IntrinsicGasTooLow,
    CalldataFloorTooLow,        // EIP-7623 (Prague)
    InitCodeSizeExceeded,       // EIP-3860 (Shanghai)
    BlobTransactionCreate,
    BlobTransactionWithoutBlobs,
    BlobVersionedHashInvalid,
    TooManyBlobs,
    SetCodeTransactionCreate,
    EmptyAuthorizationList,
    AuthorizationYParityTooLarge,
    InvalidBlobSidecar,
}

/// <summary>A transaction that decodes but breaks a rule (range, fork, signature, gas). Carries the reason.</summary>
public sealed class TransactionException(TransactionError error, string message) : Exception(message)
{
    public TransactionError Error { get; } = error;

    [DoesNotReturn]
    public static void Throw(TransactionError error, string message) => throw new TransactionException(error, message);
}
