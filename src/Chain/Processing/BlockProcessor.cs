using BeamSync.Chain.Specs;
using BeamSync.Chain.Validation;
using BeamSync.Core;
using BeamSync.Core.Specs;
using BeamSync.Core.Types;
using BeamSync.Evm;

namespace BeamSync.Chain.Processing;

/// <summary>The result of executing a block whose every check passed: its receipts and its post-state root.</summary>
public sealed record ProcessedBlock(Receipt[] Receipts, Hash256 StateRoot);

/// <summary>
/// Executes a validated block against its parent's state: the EIP-4788 beacon root and EIP-2935 block hash system
/// calls (Cancun, Prague), every
/// transaction through the EVM layer with block gas and blob gas accounting, proof-of-work rewards, EIP-4895
/// withdrawals, the EIP-7685 requests (Prague), and then compares gas used, blob gas used, receipts root, logs bloom and state root with the header.
/// Throws <see cref="InvalidBlockException"/> naming the first difference. Stateless; thread-safe.
/// </summary>
public static class BlockProcessor
{
    private static readonly UInt256 GweiInWei = new(1_000_000_000);

    public static ProcessedBlock Process(Block block, Fork fork, ChainSpec spec, IExecutionState state, IStateSink sink)
    {
        var header = block.Header;
        if (spec.ProDaoForkBlock() == header.Number) DaoFork.Apply(state);
        // EIP-4788 and EIP-2935: unchecked system calls (a missing contract or a failing call changes nothing).
        if (fork >= Fork.Cancun)
            state.SystemCall(SystemContracts.SystemAddress, SystemContracts.BeaconRoots, header.ParentBeaconBlockRoot!.Value.Bytes.ToArray(), SystemContracts.SystemCallGas);
        if (fork >= Fork.Prague)
            state.SystemCall(SystemContracts.SystemAddress, SystemContracts.HistoryStorage, header.ParentHash.Bytes.ToArray(), SystemContracts.SystemCallGas);

        var receipts = ExecuteTransactions(block, fork, spec, state);
        BlockRewards.Apply(header, block.Body.Uncles, fork, (a, v) => state.AddBalance(a, v));
        if (block.Body.Withdrawals is { } withdrawals)
            foreach (var w in withdrawals) state.AddBalance(w.Address, new UInt256(w.AmountGwei) * GweiInWei);
        state.FinishChanges();
        if (fork >= Fork.Prague) CheckRequests(block, spec, receipts, state);

        var receiptsRoot = OrderedTrie.ReceiptsRoot(receipts);
        if (receiptsRoot != header.ReceiptsRoot)
            InvalidBlockException.Throw(BlockError.ReceiptsRootMismatch, $"receipts root {receiptsRoot}, header {header.ReceiptsRoot}");
        var bloom = new Bloom();
        foreach (var r in receipts) bloom.Accumulate(r.Bloom);
        if (!bloom.Equals(header.LogsBloom)) InvalidBlockException.Throw(BlockError.LogsBloomMismatch, "logs bloom differs from the header");
        var stateRoot = state.Commit(sink);
        if (stateRoot != header.StateRoot) InvalidBlockException.Throw(BlockError.StateRootMismatch, $"state root {stateRoot}, header {header.StateRoot}");
        return new ProcessedBlock(receipts, stateRoot);
    }

    /// <summary>EIP-7685: deposits from the receipts' logs, then the EIP-7002 and EIP-7251 queues, against the header's requests hash.</summary>
    private static void CheckRequests(Block block, ChainSpec spec, Receipt[] receipts, IExecutionState state)
    {
        var depositContract = spec.DepositContractAddress ?? SystemContracts.MainnetDepositContract;
        var deposits = ExecutionRequests.Deposits(receipts, depositContract);
        var withdrawals = CheckedSystemCall(state, SystemContracts.WithdrawalRequests);
        var consolidations = CheckedSystemCall(state, SystemContracts.ConsolidationRequests);
        var hash = ExecutionRequests.Hash(deposits, withdrawals, consolidations);
        if (hash != block.Header.RequestsHash)
            InvalidBlockException.Throw(BlockError.RequestsHashMismatch, $"requests hash {hash}, header {block.Header.RequestsHash}");
    }

    /// <summary>A system call whose contract must exist and must succeed (EIP-7002, EIP-7251); returns its output.</summary>
    private static byte[] CheckedSystemCall(IExecutionState state, Address target)
    {
        if (!state.HasCode(target)) InvalidBlockException.Throw(BlockError.SystemContractMissing, $"system contract {target} has no code");
        var result = state.SystemCall(SystemContracts.SystemAddress, target, [], SystemContracts.SystemCallGas);
        if (!result.Success) InvalidBlockException.Throw(BlockError.SystemCallFailed, $"system call to {target} failed");
        return result.Output;
    }

    private static Receipt[] ExecuteTransactions(Block block, Fork fork, ChainSpec spec, IExecutionState state)
    {
        var header = block.Header;
        var transactions = block.Transactions;
        var receipts = new Receipt[transactions.Length];
        ulong gasUsed = 0, blobGasUsed = 0;
        ulong maxBlobGas = fork >= Fork.Cancun ? spec.BlobParametersOf(header.Timestamp, fork).MaxBlobGas() : 0;
        for (int i = 0; i < transactions.Length; i++)
        {
            var tx = transactions[i];
            if (tx.GasLimit > header.GasLimit - gasUsed)
                InvalidBlockException.Throw(BlockError.BlockGasLimitExceeded, $"transaction {i} gas limit {tx.GasLimit} above the {header.GasLimit - gasUsed} left in the block");
            Address sender;
            try
            {
                tx.Validate(fork, spec.ChainId);
                sender = tx.Sender;
            }
            catch (TransactionException e) { InvalidBlockException.Throw(BlockError.InvalidTransaction, $"transaction {i}: {e.Message}"); return []; }
            ulong txBlobGas = (ulong)tx.BlobVersionedHashes.Length * BlobGas.GasPerBlob;
            if (blobGasUsed + txBlobGas > maxBlobGas && txBlobGas > 0)
                InvalidBlockException.Throw(BlockError.BlobGasUsedAboveLimit, $"transaction {i} takes blob gas to {blobGasUsed + txBlobGas}, above {maxBlobGas}");

            var outcome = state.Execute(tx, sender);
            if (!outcome.IsValid) InvalidBlockException.Throw(BlockError.InvalidTransaction, $"transaction {i}: {outcome.Error}");
            gasUsed += outcome.GasUsed;
            blobGasUsed += outcome.BlobGasUsed;
            receipts[i] = fork >= Fork.Byzantium
                ? Receipt.Create(tx.Type, outcome.Success, gasUsed, outcome.Logs)
                : new Receipt { Type = tx.Type, PostState = state.IntermediateRoot(), CumulativeGasUsed = gasUsed, Bloom = Receipt.ComputeBloom(outcome.Logs), Logs = outcome.Logs };
        }
        if (gasUsed != header.GasUsed) InvalidBlockException.Throw(BlockError.GasUsedMismatch, $"gas used {gasUsed}, header {header.GasUsed}");
        if (fork >= Fork.Cancun && blobGasUsed != header.BlobGasUsed)
            InvalidBlockException.Throw(BlockError.BlobGasUsedMismatch, $"blob gas used {blobGasUsed}, header {header.BlobGasUsed}");
        return receipts;
    }
}
