using BeamSync.Core;
using BeamSync.Core.Types;

namespace BeamSync.Cli.Fixtures;

// The fixtures name the reason a transaction is invalid (ethereum/tests and execution-spec-tests share the
// TransactionException.* names). A rejection only passes when our error is one the name allows, so a
// transaction rejected for the wrong reason (say, a signature bug masking an intrinsic gas case) fails.
public sealed partial class TransactionFixtureKind
{
    /// <summary>Whether <paramref name="error"/> is an acceptable rejection for the fixture's exception text (alternatives separated by '|').</summary>
    internal static bool Explains(string expected, Exception error)
    {
        foreach (var alternative in expected.Split('|', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var name = alternative.StartsWith("TransactionException.", StringComparison.Ordinal) ? alternative["TransactionException.".Length..] : alternative;
            if (Allows(name, error)) return true;
        }
        return false;
    }

    private static bool Allows(string name, Exception error)
    {
        var tx = (error as TransactionException)?.Error;
        bool malformed = error is RlpException;
        return name switch
        {
            // Decoding failures: the fixtures tell apart which field was malformed; any strict RLP error covers them.
            _ when name.StartsWith("RLP_", StringComparison.Ordinal) => malformed || tx == TransactionError.TypeNotSupported,
            "ADDRESS_TOO_SHORT" or "ADDRESS_TOO_LONG" or "GASPRICE_OVERFLOW" or "VALUE_OVERFLOW" or "PRIORITY_OVERFLOW" => malformed,
            "TYPE_NOT_SUPPORTED" => tx == TransactionError.TypeNotSupported || malformed,
            "NONCE_OVERFLOW" => tx == TransactionError.NonceOverflow || malformed,
            "GASLIMIT_OVERFLOW" => tx == TransactionError.GasLimitOverflow || malformed,
            "NONCE_TOO_BIG" or "NONCE_IS_MAX" => tx == TransactionError.NonceMaxValue,
            "GASLIMIT_PRICE_PRODUCT_OVERFLOW" => tx == TransactionError.GasLimitPriceProductOverflow,
            "PRIORITY_GREATER_THAN_MAX_FEE_PER_GAS" or "PRIORITY_GREATER_THAN_MAX_FEE_PER_GAS_2" => tx == TransactionError.PriorityFeeGreaterThanMaxFee,
            "INTRINSIC_GAS_TOO_LOW" => tx == TransactionError.IntrinsicGasTooLow,
            "INTRINSIC_GAS_BELOW_FLOOR_GAS_COST" => tx == TransactionError.CalldataFloorTooLow,
            "INVALID_CHAINID" => tx == TransactionError.InvalidChainId,
            // v, r or s beyond 32 bytes is an RLP integer error before it is a signature error.
            "INVALID_SIGNATURE_VRS" => tx == TransactionError.InvalidSignature || malformed,
            // r or s not below n: the reference clients find out when recovery fails, we when range-checking.
            "EC_RECOVERY_FAIL" => tx is TransactionError.SignatureRecoveryFailed or TransactionError.InvalidSignature,
            "INITCODE_SIZE_EXCEEDED" => tx == TransactionError.InitCodeSizeExceeded,
            "TYPE_3_TX_CONTRACT_CREATION" => tx == TransactionError.BlobTransactionCreate || malformed,
            "TYPE_3_TX_ZERO_BLOBS" => tx == TransactionError.BlobTransactionWithoutBlobs,
            "TYPE_3_TX_INVALID_BLOB_VERSIONED_HASH" => tx == TransactionError.BlobVersionedHashInvalid,
            "TYPE_3_TX_BLOB_COUNT_EXCEEDED" or "TYPE_3_TX_MAX_BLOB_GAS_ALLOWANCE_EXCEEDED" => tx == TransactionError.TooManyBlobs,
            "TYPE_4_EMPTY_AUTHORIZATION_LIST" => tx == TransactionError.EmptyAuthorizationList,
            "TYPE_4_TX_CONTRACT_CREATION" => tx == TransactionError.SetCodeTransactionCreate || malformed,
            "GAS_LIMIT_EXCEEDS_MAXIMUM" or "TRANSACTION_GAS_LIMIT_EXCEEDS_MAXIMUM" => tx == TransactionError.GasLimitAboveCap,
            _ => false,
        };
    }
}
