namespace BeamSync.Chain;

/// <summary>Why a block was rejected. Each value names the one check that failed.</summary>
public enum BlockError
{
    MalformedRlp,
    UnknownParent,
    NumberNotParentPlusOne,
    TimestampNotAfterParent,
    ExtraDataTooLong,
    GasLimitOutOfBounds,
    GasLimitBelowMinimum,
    GasLimitTooHigh,
    GasUsedAboveGasLimit,
    InvalidDifficulty,
    InvalidBaseFee,
    MissingBaseFee,
    UnexpectedBaseFee,
    MissingWithdrawalsRoot,
    UnexpectedWithdrawalsRoot,
    MissingWithdrawals,
    UnexpectedWithdrawals,
    MissingBlobGasFields,
    UnexpectedBlobGasFields,
    InvalidExcessBlobGas,
    BlobGasUsedAboveLimit,
    BlobGasUsedNotMultipleOfBlobGas,
    MissingParentBeaconRoot,
    UnexpectedParentBeaconRoot,
    UnexpectedRequestsHash,
    MissingRequestsHash,
    RequestsHashMismatch,
    InvalidDepositLog,
    SystemContractMissing,
    SystemCallFailed,
    InvalidPostMergeDifficulty,
    InvalidPostMergeNonce,
    InvalidPostMergeOmmers,
    InvalidDaoExtraData,
    OmmersHashMismatch,
    TooManyUncles,
    InvalidUncle,
    DuplicateUncle,
    UncleIsAncestor,
    TransactionsRootMismatch,
    WithdrawalsRootMismatch,
    InvalidTransaction,
    BlockGasLimitExceeded,
    BlobGasUsedMismatch,
    GasUsedMismatch,
    ReceiptsRootMismatch,
    LogsBloomMismatch,
    StateRootMismatch,
    BlockRlpTooLarge,
    UnsupportedFork,
    /// <summary>The parent's header is stored but its post-state is not available (it was never executed).</summary>
    ParentStateUnavailable,
    /// <summary>A run of headers whose given total difficulty is below the sum of their difficulties.</summary>
    InvalidTotalDifficulty,
}

/// <summary>A block failed validation or execution; <see cref="Error"/> says which check and the message what differed.</summary>
public sealed class InvalidBlockException(BlockError error, string message) : Exception($"{error}: {message}")
{
    public BlockError Error { get; } = error;

    [System.Diagnostics.CodeAnalysis.DoesNotReturn]
    public static void Throw(BlockError error, string message) => throw new InvalidBlockException(error, message);
}
