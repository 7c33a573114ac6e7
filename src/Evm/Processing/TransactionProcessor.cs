using BeamSync.Core;
using BeamSync.Core.Types;
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
    // One VM for the block: its call frames (a 32 KB stack each) and frame table are allocated once, not per transaction.
    private VirtualMachine? _vm;

    /// <summary>Executes <paramref name="tx"/> from <paramref name="sender"/> (already recovered from its signature).</summary>
    public TransactionResult Execute(Transaction tx, Address sender)
    {
        var error = Validate(tx, sender, out long intrinsic, out var effectiveGasPrice, out ulong blobGas);
        if (error is not null) return TransactionResult.Invalid(error);

        state.SubtractBalance(sender, new UInt256(tx.GasLimit) * effectiveGasPrice + new UInt256(blobGas) * block.BlobBaseFee);
        state.SetNonce(sender, tx.Nonce + 1);

        var txContext = new TxContext(sender, effectiveGasPrice, tx.BlobVersionedHashes);
        var vm = _vm ??= new VirtualMachine(state, spec, block, txContext, _codeCache);
        vm.SetTransaction(txContext);
        Address? created = tx.To is null ? VirtualMachine.CreateAddress(sender, tx.Nonce) : null;
        WarmUp(tx, sender, created);

        long gas = (long)tx.GasLimit - intrinsic;
        var result = tx.To is { } to
            ? CallTarget(vm, tx, sender, to, gas)
            : vm.CreateAt(sender, created!.Value, tx.Value, tx.Data, gas, 0);

        long gasUsed = (long)tx.GasLimit - result.GasLeft;
        long refund = Math.Min(state.Refund, gasUsed / spec.MaxRefundQuotient);
        gasUsed -= refund;
        if (spec.IsPrague) gasUsed = Math.Max(gasUsed, (long)IntrinsicGas.CalldataFloor(tx));   // EIP-7623
        state.AddBalance(sender, new UInt256((ulong)((long)tx.GasLimit - gasUsed)) * effectiveGasPrice);
        var tip = spec.IsLondon ? effectiveGasPrice - block.BaseFee : effectiveGasPrice;
        state.AddBalance(block.Coinbase, new UInt256((ulong)gasUsed) * tip);

        var logs = state.FinalizeTransaction(spec.ClearsEmptyAccounts);
        return new TransactionResult(true, null, result.IsSuccess, gasUsed, result.IsSuccess ? logs : [],
            result.IsSuccess ? created : null, blobGas);
    }

    /// <summary>
    /// The top-level message call. From Prague the authorizations apply first (EIP-7702), then a delegated
    /// recipient runs its delegate's code, the delegate warmed at no charge.
    /// </summary>
    private ExecutionResult CallTarget(VirtualMachine vm, Transaction tx, Address sender, Address to, long gas)
    {
        var codeAddress = to;
        bool delegated = false;
        if (spec.IsPrague)
        {
            if (tx.AuthorizationList.Length > 0) ApplyAuthorizations(tx.AuthorizationList);
            if (Delegation.TryGetTarget(state.GetCode(to), out var target))
            {
                codeAddress = target;
                delegated = true;
                state.WarmAccount(target);
            }
        }
        return vm.Call(CallKind.Call, sender, to, codeAddress, tx.Value, tx.Data, gas, false, 0, delegated);
    }

    /// <summary>EIP-2929/2930/3651: sender, recipient, precompiles, the access list and (Shanghai) the coinbase start warm.</summary>
    private void WarmUp(Transaction tx, Address sender, Address? created)
    {
        if (!spec.IsBerlin) return;
        state.WarmAccount(sender);
        state.WarmAccount(tx.To ?? created!.Value);
        foreach (var precompile in spec.PrecompileAddresses) state.WarmAccount(precompile);
        foreach (var entry in tx.AccessList)
        {
            state.WarmAccount(entry.Address);
            foreach (var key in entry.StorageKeys) state.WarmSlot(entry.Address, UInt256.FromHash(key));
        }
        if (spec.IsShanghai) state.WarmAccount(block.Coinbase);
    }
}
