namespace BeamSync.Evm;

/// <summary>How a call frame ended. Everything past <see cref="Revert"/> is an exceptional halt that consumes all gas.</summary>
public enum EvmStatus : byte
{
    Success,
    Revert,
    OutOfGas,
    InvalidOpcode,
    StackUnderflow,
    StackOverflow,
    BadJumpDestination,
    StaticModeViolation,
    ReturnDataOutOfBounds,
    CallDepthExceeded,
    InsufficientBalance,
    NonceOverflow,
    ContractCollision,
    CodeSizeExceeded,
    InvalidCodePrefix,
    PrecompileFailure,
}
