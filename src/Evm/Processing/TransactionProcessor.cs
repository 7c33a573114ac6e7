using BeamSync.Core;
using BeamSync.State;

namespace BeamSync.Evm;

/// <summary>
/// Validates and executes transactions against a <see cref="WorldState"/> under one fork and block: nonce, balance
/// and fee-market checks, gas purchase, access-list warming, the call or creation, refunds, the fee to the coinbase
/// and the end-of-transaction state rules. Not thread-safe; one instance per block.
/// </summary>
public sealed partial class TransactionProcessor(WorldState state, EvmSpec spec, BlockContext block)
{
    private readonly Dictionary<Hash256, AnalyzedCode> _codeCache = new();

    public TransactionResult Execute(Message tx)
    {
        var error = Validate(tx, out long intrinsic, out var effectiveGasPrice, out ulong blobGas);
        if (error is not null) return TransactionResult.Invalid(error);

        var sender = tx.Sender;
        state.SubtractBalance(sender, new UInt256(tx.GasLimit) * effectiveGasPrice + new UInt256(blobGas) * block.BlobBaseFee);
        state.SetNonce(sender, tx.Nonce + 1);

        var vm = new VirtualMachine(state, spec, block, new TxContext(sender, effectiveGasPrice, tx.BlobHashes), _codeCache);
        Address? created = tx.To is null ? VirtualMachine.CreateAddress(sender, tx.Nonce) : null;
        WarmUp(tx, created);

        long gas = (long)tx.GasLimit - intrinsic;
        var result = tx.To is { } to
            ? vm.Call(CallKind.Call, sender, to, to, tx.Value, tx.Data, gas, false, 0)
            : vm.CreateAt(sender, created!.Value, tx.Value, tx.Data, gas, 0);

        long gasUsed = (long)tx.GasLimit - result.GasLeft;
        long refund = Math.Min(state.Refund, gasUsed / spec.MaxRefundQuotient);
        gasUsed -= refund;
        state.AddBalance(sender, new UInt256((ulong)((long)tx.GasLimit - gasUsed)) * effectiveGasPrice);
        var tip = spec.IsLondon ? effectiveGasPrice - block.BaseFee : effectiveGasPrice;
        state.AddBalance(block.Coinbase, new UInt256((ulong)gasUsed) * tip);

        var logs = state.FinalizeTransaction(spec.ClearsEmptyAccounts);
        return new TransactionResult(true, null, result.IsSuccess, gasUsed, result.IsSuccess ? logs : [],
            result.IsSuccess ? created : null, blobGas);
    }

    /// <summary>EIP-2929/2930/3651: sender, recipient, precompiles, the access list and (Shanghai) the coinbase start warm.</summary>
    private void WarmUp(Message tx, Address? created)
    {
        if (!spec.IsBerlin) return;
        state.WarmAccount(tx.Sender);
        state.WarmAccount(tx.To ?? created!.Value);
        Span<byte> precompile = stackalloc byte[Address.Size];
        precompile.Clear();
        for (int i = 1; i <= spec.PrecompileCount; i++)
        {
            precompile[^1] = (byte)i;
            state.WarmAccount(new Address(precompile));
        }
        foreach (var entry in tx.AccessList)
        {
            state.WarmAccount(entry.Address);
            foreach (var key in entry.StorageKeys) state.WarmSlot(entry.Address, key);
        }
        if (spec.IsShanghai) state.WarmAccount(block.Coinbase);
    }
}
