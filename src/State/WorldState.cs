using BeamSync.Core.Crypto;
using BeamSync.Core;

namespace BeamSync.State;

/// <summary>
/// The mutable world state one block executes against: accounts, storage and code read through an
/// <see cref="IStateStore"/>, with a journal so each call frame can <see cref="Snapshot"/> and
/// <see cref="Revert"/>, the EIP-2929 warm sets, EIP-1153 transient storage, the refund counter and the logs of the
/// current transaction. <see cref="FinalizeTransaction"/> ends a transaction (self-destructs, EIP-161 deletion of
/// touched empty accounts); <see cref="Commit"/> writes the block's changes to the store and returns the state root.
/// Not thread-safe: one block executes on one thread.
/// </summary>
public sealed partial class WorldState(IStateStore store)
{
    // Null marks an account known to be absent (never existed, or deleted in this block).
    private readonly Dictionary<Address, StateObject?> _objects = new();
    // Accounts changed in this block and not yet committed, including deletions.
    private readonly HashSet<Address> _blockDirty = new();
    private readonly HashSet<Address> _touched = new();

    public IStateStore Store => store;

    private StateObject? Find(Address address)
    {
        if (_objects.TryGetValue(address, out var obj)) return obj;
        obj = store.TryGetAccount(address, out var record) ? StateObject.From(address, record) : null;
        _objects[address] = obj;
        return obj;
    }

    /// <summary>The account, created empty (and journaled) when absent.</summary>
    private StateObject GetOrCreate(Address address)
    {
        var obj = Find(address);
        if (obj is not null) return obj;
        obj = new StateObject(address) { StorageCleared = true };
        Replace(address, obj);
        return obj;
    }

    private void Replace(Address address, StateObject? replacement)
    {
        _objects.TryGetValue(address, out var previous);
        _journal.Add(new JournalEntry { Kind = JournalKind.ObjectReplaced, Address = address, Object = previous });
        _objects[address] = replacement;
        _blockDirty.Add(address);
    }

    public bool Exists(Address address) => Find(address) is not null;

    /// <summary>EIP-161 "empty": no code, zero nonce and zero balance. An absent account is not empty (it is dead).</summary>
    public bool IsEmpty(Address address) => Find(address)?.IsEmpty ?? false;

    /// <summary>EIP-161 "dead": absent or empty.</summary>
    public bool IsDead(Address address) => Find(address)?.IsEmpty ?? true;

    public UInt256 GetBalance(Address address) => Find(address)?.Balance ?? UInt256.Zero;
    public ulong GetNonce(Address address) => Find(address)?.Nonce ?? 0;
    public Hash256 GetCodeHash(Address address) => Find(address)?.CodeHash ?? Hash256.Zero;

    public byte[] GetCode(Address address)
    {
        var obj = Find(address);
        if (obj is null) return [];
        return obj.Code ??= obj.CodeHash == Hash256.EmptyKeccak ? [] : store.GetCode(obj.CodeHash);
    }

    /// <summary>EIP-684/EIP-7610: a CREATE to this address collides (nonce, code or storage present).</summary>
    public bool HasCollision(Address address)
    {
        var obj = Find(address);
        if (obj is null) return false;
        if (obj.Nonce != 0 || obj.CodeHash != Hash256.EmptyKeccak) return true;
        if (!obj.StorageCleared && obj.StorageRoot != Hash256.EmptyTrieRoot) return true;
        foreach (var v in obj.Pending.Values) if (!v.IsZero) return true;
        foreach (var v in obj.Current.Values) if (!v.IsZero) return true;
        return false;
    }

    public void AddBalance(Address address, in UInt256 amount)
    {
        var obj = GetOrCreate(address);
        Touch(address);
        if (amount.IsZero) return;
        _journal.Add(new JournalEntry { Kind = JournalKind.Balance, Object = obj, OldValue = obj.Balance });
        obj.Balance = obj.Balance + amount;
        _blockDirty.Add(address);
    }

    /// <summary>Subtracts; the caller has checked the balance suffices.</summary>
    public void SubtractBalance(Address address, in UInt256 amount)
    {
        var obj = GetOrCreate(address);
        Touch(address);
        if (amount.IsZero) return;
        _journal.Add(new JournalEntry { Kind = JournalKind.Balance, Object = obj, OldValue = obj.Balance });
        obj.Balance = obj.Balance - amount;
        _blockDirty.Add(address);
    }

    public void SetNonce(Address address, ulong nonce)
    {
        var obj = GetOrCreate(address);
        Touch(address);
        _journal.Add(new JournalEntry { Kind = JournalKind.Nonce, Object = obj, OldNonce = obj.Nonce });
        obj.Nonce = nonce;
        _blockDirty.Add(address);
    }

    public void SetCode(Address address, byte[] code)
    {
        var obj = GetOrCreate(address);
        Touch(address);
        _journal.Add(new JournalEntry { Kind = JournalKind.Code, Object = obj, OldCode = obj.Code, OldCodeHash = obj.CodeHash });
        obj.Code = code;
        obj.CodeHash = code.Length == 0 ? Hash256.EmptyKeccak : Keccak256.Hash(code);
        _blockDirty.Add(address);
    }

    /// <summary>
    /// Creates a fresh account at <paramref name="address"/> for CREATE/CREATE2 or a creation transaction, keeping
    /// any balance already sent there; storage starts empty. Marks it created in this transaction (EIP-6780).
    /// </summary>
    public void CreateAccount(Address address)
    {
        var previous = Find(address);
        var obj = new StateObject(address) { StorageCleared = true, CreatedInTransaction = true };
        if (previous is not null) obj.Balance = previous.Balance;
        Replace(address, obj);
        Touch(address);
    }

    /// <summary>Marks the account self-destructed and zeroes its balance; deletion happens at the end of the transaction.</summary>
    public void MarkSelfDestructed(Address address)
    {
        var obj = Find(address);
        if (obj is null) return;
        _journal.Add(new JournalEntry { Kind = JournalKind.SelfDestruct, Object = obj, HadValue = obj.SelfDestructed, OldValue = obj.Balance });
        obj.SelfDestructed = true;
        obj.Balance = UInt256.Zero;
        _blockDirty.Add(address);
        Touch(address);
    }

    public bool HasSelfDestructed(Address address) => Find(address)?.SelfDestructed ?? false;

    public bool IsCreatedInTransaction(Address address) => Find(address)?.CreatedInTransaction ?? false;

    /// <summary>EIP-161 touch: the account is considered for empty-account deletion at the end of the transaction.</summary>
    public void Touch(Address address)
    {
        if (_touched.Add(address))
            _journal.Add(new JournalEntry { Kind = JournalKind.Touch, Address = address });
    }
}
