using BeamSync.Core;

namespace BeamSync.Evm;

/// <summary>The outcome of a message call or creation: status, gas left to return to the caller, and output.</summary>
public readonly record struct ExecutionResult(EvmStatus Status, long GasLeft, byte[] Output, Address CreatedAddress = default)
{
    public bool IsSuccess => Status == EvmStatus.Success;
}

/// <summary>The kind of message call the CALL family makes.</summary>
public enum CallKind : byte { Call, CallCode, DelegateCall, StaticCall }
