using BeamSync.Chain.Processing;
using BeamSync.Core;
using BeamSync.Core.Types;
using BeamSync.Evm;
using BeamSync.State;

namespace BeamSync.Chain.Execution;

/// <summary>
/// One block's <see cref="IExecutionState"/>: a <see cref="WorldState"/> over a trie store whose writes stay pending
/// until <see cref="Commit"/>, one <see cref="TransactionProcessor"/> for the block's transactions (sharing its code
/// cache) and message calls from the system address for system calls. Runs the EVM on the calling thread, which needs
/// <see cref="VirtualMachine.RequiredStackSize"/> of stack. Not thread-safe: one block on one thread.
/// </summary>
internal sealed class EvmExecutionState : IExecutionState
{
    private readonly WorldState _world;
    private readonly PendingStateWrites _pending;
    private readonly EvmSpec _spec;
    private readonly BlockContext _block;
    private readonly TransactionProcessor _transactions;

    public EvmExecutionState(WorldState world, PendingStateWrites pending, EvmSpec spec, BlockContext block)
    {
        _world = world;
        _pending = pending;
        _spec = spec;
        _block = block;
        _transactions = new TransactionProcessor(world, spec, block);
    }

    public UInt256 GetBalance(Address address) => _world.GetBalance(address);
    public void AddBalance(Address address, in UInt256 amount) => _world.AddBalance(address, amount);
    public void SubtractBalance(Address address, in UInt256 amount) => _world.SubtractBalance(address, amount);
    public bool HasCode(Address address) => _world.GetCodeHash(address) is var h && !h.IsZero && h != Hash256.EmptyKeccak;

    public void FinishChanges() => _world.FinalizeTransaction(_spec.ClearsEmptyAccounts);

    public TransactionOutcome Execute(Transaction transaction, Address sender)
    {
        var result = _transactions.Execute(transaction, sender);
        if (!result.IsValid) return TransactionOutcome.Invalid(result.Error ?? "invalid transaction");
        var logs = new Log[result.Logs.Count];
        for (int i = 0; i < logs.Length; i++) logs[i] = result.Logs[i];
        return new TransactionOutcome(true, null, result.Success, (ulong)result.GasUsed, logs, result.BlobGasUsed);
    }

    public SystemCallResult SystemCall(Address caller, Address target, byte[] input, long gas)
    {
        // As a transaction would: the target starts warm; no gas is bought, no nonce moves, no fee is paid.
        var vm = new VirtualMachine(_world, _spec, _block, new TxContext(caller, UInt256.Zero, []));
        if (_spec.IsBerlin) _world.WarmAccount(target);
        var result = vm.Call(CallKind.Call, caller, target, target, UInt256.Zero, input, gas, false, 0);
        _world.FinalizeTransaction(_spec.ClearsEmptyAccounts);
        return new SystemCallResult(result.IsSuccess, result.Output);
    }

    public Hash256 IntermediateRoot() => _world.IntermediateRoot();

    public Hash256 Commit(IStateSink sink)
    {
        var root = _world.Commit();
        _pending.FlushTo(sink);
        return root;
    }
}
