using BeamSync.Core;
using BeamSync.Core.Types;
using BeamSync.State;

namespace BeamSync.Evm;

/// <summary>
/// The outcome of one transaction. An invalid transaction (<see cref="IsValid"/> false, <see cref="Error"/> says why)
/// changed no state and cannot be included in a block; a valid one succeeded or failed (<see cref="Success"/>), used
/// <see cref="GasUsed"/> (after refunds) and emitted <see cref="Logs"/> (empty when it failed).
/// </summary>
public sealed record TransactionResult(bool IsValid, string? Error, bool Success, long GasUsed, IReadOnlyList<Log> Logs,
    Address? ContractAddress, ulong BlobGasUsed)
{
    public static TransactionResult Invalid(string error) => new(false, error, false, 0, [], null, 0);
}
