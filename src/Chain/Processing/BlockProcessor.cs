using BeamSync.Chain.Building;
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
    public static ProcessedBlock Process(Block block, Fork fork, ChainSpec spec, IExecutionState state, IStateSink sink)
    {
        var header = block.Header;
        BlockPhases.BeforeTransactions(header, fork, spec, state);

        var receipts = ExecuteTransactions(block, fork, spec, state);
        BlockPhases.AfterTransactions(header, block.Body, fork, state);
        if (fork >= Fork.Prague && BlockPhases.RequestsHash(spec, receipts, state) is var requestsHash && requestsHash != header.RequestsHash)
            InvalidBlockException.Throw(BlockError.RequestsHashMismatch, $"requests hash {requestsHash}, header {header.RequestsHash}");

        var receiptsRoot = OrderedTrie.ReceiptsRoot(receipts);
        if (receiptsRoot != header.ReceiptsRoot)
            InvalidBlockException.Throw(BlockError.ReceiptsRootMismatch, $"receipts root {receiptsRoot}, header {header.ReceiptsRoot}");
        var bloom = BlockPhases.LogsBloom(receipts);
        if (!bloom.Equals(header.LogsBloom)) InvalidBlockException.Throw(BlockError.LogsBloomMismatch, "logs bloom differs from the header");
        var stateRoot = state.Commit(sink);
        if (stateRoot != header.StateRoot) InvalidBlockException.Throw(BlockError.StateRootMismatch, $"state root {stateRoot}, header {header.StateRoot}");
        return new ProcessedBlock(receipts, stateRoot);
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
            receipts[i] = BlockPhases.ReceiptOf(tx, outcome, gasUsed, fork, state);
        }
        if (gasUsed != header.GasUsed) InvalidBlockException.Throw(BlockError.GasUsedMismatch, $"gas used {gasUsed}, header {header.GasUsed}");
        if (fork >= Fork.Cancun && blobGasUsed != header.BlobGasUsed)
            InvalidBlockException.Throw(BlockError.BlobGasUsedMismatch, $"blob gas used {blobGasUsed}, header {header.BlobGasUsed}");
        return receipts;
    }
}
