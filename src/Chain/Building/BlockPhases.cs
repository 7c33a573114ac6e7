using BeamSync.Chain.Processing;
using BeamSync.Chain.Specs;
using BeamSync.Core;
using BeamSync.Core.Specs;
using BeamSync.Core.Types;

namespace BeamSync.Chain.Building;

/// <summary>
/// The steps of a block that do not depend on whether the block is being checked (<see cref="BlockProcessor"/>) or
/// built (<see cref="BlockBuilder"/>): the system calls before the transactions, each transaction's receipt, rewards
/// and withdrawals after them, the logs bloom and the EIP-7685 requests hash. Both paths call these, so a built block
/// is executed exactly as its importer will execute it. Stateless; thread-safe (each call drives the given state).
/// </summary>
public static class BlockPhases
{
    private static readonly UInt256 GweiInWei = new(1_000_000_000);

    /// <summary>The DAO fork's balance move, then the EIP-4788 beacon root and EIP-2935 block hash system calls.</summary>
    public static void BeforeTransactions(BlockHeader header, Fork fork, ChainSpec spec, IExecutionState state)
    {
        if (spec.ProDaoForkBlock() == header.Number) DaoFork.Apply(state);
        // Unchecked system calls: a missing contract or a failing call changes nothing.
        if (fork >= Fork.Cancun)
            state.SystemCall(SystemContracts.SystemAddress, SystemContracts.BeaconRoots, header.ParentBeaconBlockRoot!.Value.Bytes.ToArray(), SystemContracts.SystemCallGas);
        if (fork >= Fork.Prague)
            state.SystemCall(SystemContracts.SystemAddress, SystemContracts.HistoryStorage, header.ParentHash.Bytes.ToArray(), SystemContracts.SystemCallGas);
    }

    /// <summary>The receipt of a transaction that ran, given the block's gas used up to and including it.</summary>
    public static Receipt ReceiptOf(Transaction tx, in TransactionOutcome outcome, ulong cumulativeGasUsed, Fork fork, IExecutionState state) =>
        fork >= Fork.Byzantium
            ? Receipt.Create(tx.Type, outcome.Success, cumulativeGasUsed, outcome.Logs)
            : new Receipt { Type = tx.Type, PostState = state.IntermediateRoot(), CumulativeGasUsed = cumulativeGasUsed, Bloom = Receipt.ComputeBloom(outcome.Logs), Logs = outcome.Logs };

    /// <summary>Proof-of-work rewards and EIP-4895 withdrawals, then the end-of-changes rules.</summary>
    public static void AfterTransactions(BlockHeader header, BlockBody body, Fork fork, IExecutionState state)
    {
        BlockRewards.Apply(header, body.Uncles, fork, (a, v) => state.AddBalance(a, v));
        if (body.Withdrawals is { } withdrawals)
            foreach (var w in withdrawals) state.AddBalance(w.Address, new UInt256(w.AmountGwei) * GweiInWei);
        state.FinishChanges();
    }

    public static Bloom LogsBloom(IReadOnlyList<Receipt> receipts)
    {
        var bloom = new Bloom();
        foreach (var r in receipts) bloom.Accumulate(r.Bloom);
        return bloom;
    }

    /// <summary>
    /// EIP-7685 (Prague): deposits from the receipts' logs, then the EIP-7002 and EIP-7251 queues dequeued by system
    /// calls; returns them as type ‖ data in type order (the engine API's form). Throws <see cref="InvalidBlockException"/>
    /// when a queue contract is missing or its call fails (such a block cannot exist).
    /// </summary>
    public static byte[][] Requests(ChainSpec spec, Receipt[] receipts, IExecutionState state)
    {
        var depositContract = spec.DepositContractAddress ?? SystemContracts.MainnetDepositContract;
        var deposits = ExecutionRequests.Deposits(receipts, depositContract);
        var withdrawals = CheckedSystemCall(state, SystemContracts.WithdrawalRequests);
        var consolidations = CheckedSystemCall(state, SystemContracts.ConsolidationRequests);
        return ExecutionRequests.Typed(deposits, withdrawals, consolidations);
    }

    /// <summary>The requests hash of <see cref="Requests"/>.</summary>
    public static Hash256 RequestsHash(ChainSpec spec, Receipt[] receipts, IExecutionState state) =>
        ExecutionRequests.Hash(Requests(spec, receipts, state));

    /// <summary>A system call whose contract must exist and must succeed (EIP-7002, EIP-7251); returns its output.</summary>
    private static byte[] CheckedSystemCall(IExecutionState state, Address target)
    {
        if (!state.HasCode(target)) InvalidBlockException.Throw(BlockError.SystemContractMissing, $"system contract {target} has no code");
        var result = state.SystemCall(SystemContracts.SystemAddress, target, [], SystemContracts.SystemCallGas);
        if (!result.Success) InvalidBlockException.Throw(BlockError.SystemCallFailed, $"system call to {target} failed");
        return result.Output;
    }
}
