using BeamSync.Core;
using BeamSync.Core.Specs;
using BeamSync.Core.Types;
using BeamSync.Trie;

namespace BeamSync.Chain.Processing;

/// <summary>The outcome of one transaction as block processing needs it.</summary>
public readonly record struct TransactionOutcome(bool IsValid, string? Error, bool Success, ulong GasUsed, Log[] Logs, ulong BlobGasUsed)
{
    public static TransactionOutcome Invalid(string error) => new(false, error, false, 0, [], 0);
}

/// <summary>The outcome of a system call: whether the code ran to completion, and what it returned.</summary>
public readonly record struct SystemCallResult(bool Success, byte[] Output);

/// <summary>
/// The world state one block executes against, opened at its parent's state root. Block processing drives it:
/// system calls, transactions (the EVM layer applies one transaction: nonce, balance, fees, execution, refunds),
/// balance credits for rewards and withdrawals, then <see cref="Commit"/>. Nothing reaches the store until the
/// caller writes the nodes <see cref="Commit"/> hands to its sink, so a rejected block leaves no trace.
/// Not thread-safe: one block on one thread.
/// </summary>
public interface IExecutionState
{
    UInt256 GetBalance(Address address);
    void AddBalance(Address address, in UInt256 amount);
    void SubtractBalance(Address address, in UInt256 amount);

    /// <summary>Ends a group of changes made outside a transaction (rewards, withdrawals, a system call): applies the EIP-161 rule from Spurious Dragon.</summary>
    void FinishChanges();

    /// <summary>Applies one transaction (its sender already recovered).</summary>
    TransactionOutcome Execute(Transaction transaction, Address sender);

    /// <summary>Whether <paramref name="address"/> holds code (EIP-7002/7251: a block whose system contract is missing is invalid).</summary>
    bool HasCode(Address address);

    /// <summary>
    /// A system call (EIP-4788 style): a message from <paramref name="caller"/> with <paramref name="gas"/>, not charged
    /// to the block, followed by the end-of-transaction state rules.
    /// </summary>
    SystemCallResult SystemCall(Address caller, Address target, byte[] input, long gas);

    /// <summary>The state root after the changes so far (pre-Byzantium receipts carry it).</summary>
    Hash256 IntermediateRoot();

    /// <summary>Hashes the block's changes, hands every new trie node and code to <paramref name="sink"/>, returns the state root.</summary>
    Hash256 Commit(IStateSink sink);
}

/// <summary>Where a committed state's trie nodes and code go (one block's batch).</summary>
public interface IStateSink : INodeSink
{
    void PutCode(Hash256 codeHash, ReadOnlySpan<byte> code);
}

/// <summary>Opens execution states. Thread-safe: the fixture runner opens states on many threads.</summary>
public interface IExecutionStateFactory
{
    /// <summary>
    /// A state at <paramref name="stateRoot"/> for executing <paramref name="header"/> under <paramref name="fork"/>.
    /// <paramref name="blockHash"/> answers BLOCKHASH: null only outside the 256-block window, else the hash, or it
    /// throws when the ancestor is not stored (the exception propagates out of execution).
    /// </summary>
    IExecutionState Open(Hash256 stateRoot, BlockHeader header, Fork fork, ChainSpec spec, Func<ulong, Hash256?> blockHash);

    /// <summary>Writes a genesis allocation (or a fixture's pre-state) and returns its root.</summary>
    Hash256 WriteGenesis(IReadOnlyDictionary<Address, GenesisAccount> alloc, IStateSink sink);
}
