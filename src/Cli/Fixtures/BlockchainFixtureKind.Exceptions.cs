using BeamSync.Chain;

namespace BeamSync.Cli.Fixtures;

/// <summary>
/// Maps a rejection to the execution-spec-tests exception names (<c>BlockException.X</c>, <c>TransactionException.X</c>)
/// a fixture's <c>expectException</c> uses, so a passing invalid-block case can also say whether it was rejected for
/// the fixture's reason. Only names that correspond cleanly are listed; anything else counts as a differing reason.
/// </summary>
public sealed partial class BlockchainFixtureKind
{
    /// <summary>True when <paramref name="expected"/> (names joined by '|') names one of the reasons of the rejection.</summary>
    internal static bool ReasonMatches(string expected, BlockError? error, string message)
    {
        var names = error is { } e ? NamesOf(e, message) : DecodeFailureNames;
        foreach (var part in expected.Split('|'))
        {
            var name = part[(part.IndexOf('.') + 1)..].Trim();
            foreach (var candidate in names)
                if (candidate.EndsWith('*') ? name.StartsWith(candidate[..^1], StringComparison.Ordinal) : name == candidate) return true;
        }
        return false;
    }

    private static readonly string[] DecodeFailureNames =
        ["RLP_*", "INCORRECT_BLOCK_FORMAT", "TYPE_3_TX_WITH_FULL_BLOBS", "TYPE_3_TX_CONTRACT_CREATION", "TYPE_NOT_SUPPORTED"];

    // A header field that exists on the wrong side of a fork boundary: the fixtures name these IMPORT_IMPOSSIBLE_*.
    private static readonly string[] ForkBoundaryNames = ["IMPORT_IMPOSSIBLE_*", "INCORRECT_BLOCK_FORMAT"];

    private static string[] NamesOf(BlockError error, string message) => error switch
    {
        BlockError.UnknownParent => ["UNKNOWN_PARENT", "UNKNOWN_PARENT_ZERO"],
        BlockError.NumberNotParentPlusOne => ["INVALID_BLOCK_NUMBER"],
        BlockError.TimestampNotAfterParent => ["INVALID_BLOCK_TIMESTAMP_OLDER_THAN_PARENT"],
        BlockError.ExtraDataTooLong => ["EXTRA_DATA_TOO_BIG"],
        BlockError.GasLimitOutOfBounds or BlockError.GasLimitBelowMinimum => ["INVALID_GASLIMIT"],
        BlockError.GasLimitTooHigh => ["GASLIMIT_TOO_BIG", "INVALID_GASLIMIT"],
        BlockError.GasUsedAboveGasLimit => ["GAS_USED_OVERFLOW"],
        BlockError.InvalidDifficulty => ["INVALID_DIFFICULTY"],
        BlockError.InvalidBaseFee => ["INVALID_BASEFEE_PER_GAS"],
        BlockError.MissingBaseFee or BlockError.UnexpectedBaseFee or BlockError.MissingWithdrawalsRoot or BlockError.UnexpectedWithdrawalsRoot
            or BlockError.MissingWithdrawals or BlockError.UnexpectedWithdrawals or BlockError.MissingBlobGasFields
            or BlockError.UnexpectedBlobGasFields or BlockError.MissingParentBeaconRoot or BlockError.UnexpectedParentBeaconRoot
            or BlockError.UnexpectedRequestsHash or BlockError.MissingRequestsHash => ForkBoundaryNames,
        BlockError.InvalidExcessBlobGas => ["INCORRECT_EXCESS_BLOB_GAS"],
        BlockError.BlobGasUsedAboveLimit => ["BLOB_GAS_USED_ABOVE_LIMIT", "TYPE_3_TX_MAX_BLOB_GAS_ALLOWANCE_EXCEEDED"],
        BlockError.BlobGasUsedNotMultipleOfBlobGas or BlockError.BlobGasUsedMismatch => ["INCORRECT_BLOB_GAS_USED"],
        BlockError.InvalidPostMergeDifficulty => ["IMPORT_IMPOSSIBLE_DIFFICULTY_OVER_PARIS", "IMPORT_IMPOSSIBLE_PARIS_WRONG_POW"],
        BlockError.InvalidPostMergeNonce => ["IMPORT_IMPOSSIBLE_PARIS_WRONG_POW"],
        BlockError.InvalidPostMergeOmmers => ["IMPORT_IMPOSSIBLE_UNCLES_OVER_PARIS"],
        BlockError.InvalidDaoExtraData => ["EXTRA_DATA_INVALID_DAO"],
        BlockError.InvalidUncle or BlockError.UncleIsAncestor or BlockError.DuplicateUncle or BlockError.TooManyUncles => ["UNCLE_*"],
        BlockError.TransactionsRootMismatch => ["INVALID_TRANSACTIONS_ROOT"],
        BlockError.WithdrawalsRootMismatch => ["INVALID_WITHDRAWALS_ROOT"],
        BlockError.BlockGasLimitExceeded => ["GAS_ALLOWANCE_EXCEEDED"],
        BlockError.GasUsedMismatch => ["INVALID_GAS_USED"],
        BlockError.ReceiptsRootMismatch => ["INVALID_RECEIPTS_ROOT"],
        BlockError.LogsBloomMismatch => ["INVALID_LOG_BLOOM"],
        BlockError.StateRootMismatch => ["INVALID_STATE_ROOT"],
        BlockError.BlockRlpTooLarge => ["RLP_BLOCK_LIMIT_EXCEEDED"],
        BlockError.RequestsHashMismatch or BlockError.InvalidDepositLog or BlockError.SystemCallFailed
            or BlockError.SystemContractMissing => ["INVALID_REQUESTS", "INVALID_DEPOSIT_EVENT_LAYOUT", "SYSTEM_CONTRACT_*"],
        BlockError.InvalidTransaction => TransactionNames(message),
        _ => [],
    };

    /// <summary>The transaction layer reports its reasons as text; these are the phrases it uses.</summary>
    private static string[] TransactionNames(string message)
    {
        (string Phrase, string[] Names)[] table =
        [
            ("insufficient funds", ["INSUFFICIENT_ACCOUNT_FUNDS"]),
            ("intrinsic gas", ["INTRINSIC_GAS_TOO_LOW"]),
            ("max fee below base fee", ["INSUFFICIENT_MAX_FEE_PER_GAS"]),
            ("priority fee exceeds", ["PRIORITY_GREATER_THAN_MAX_FEE_PER_GAS"]),
            ("nonce too low", ["NONCE_MISMATCH_TOO_LOW"]),
            ("nonce too high", ["NONCE_MISMATCH_TOO_HIGH"]),
            ("sender has code", ["SENDER_NOT_EOA"]),
            ("initcode too large", ["INITCODE_SIZE_EXCEEDED"]),
            ("init code of", ["INITCODE_SIZE_EXCEEDED"]),
            ("does not start with 0x01", ["TYPE_3_TX_INVALID_BLOB_VERSIONED_HASH"]),
            ("carries no blob hashes", ["TYPE_3_TX_ZERO_BLOBS"]),
            ("blob base fee", ["INSUFFICIENT_MAX_FEE_PER_BLOB_GAS"]),
            ("wrong version", ["TYPE_3_TX_INVALID_BLOB_VERSIONED_HASH"]),
            ("without blobs", ["TYPE_3_TX_ZERO_BLOBS"]),
            ("too many blobs", ["TYPE_3_TX_BLOB_COUNT_EXCEEDED", "TYPE_3_TX_MAX_BLOB_GAS_ALLOWANCE_EXCEEDED"]),
            ("cannot create", ["TYPE_3_TX_CONTRACT_CREATION"]),
            ("not supported", ["TYPE_NOT_SUPPORTED", "TYPE_3_TX_PRE_FORK"]),
            ("is not enabled in", ["TYPE_NOT_SUPPORTED", "TYPE_3_TX_PRE_FORK"]),
            ("exceeds block gas limit", ["GAS_ALLOWANCE_EXCEEDED"]),
        ];
        foreach (var (phrase, names) in table)
            if (message.Contains(phrase, StringComparison.OrdinalIgnoreCase)) return names;
        return [];
    }
}
