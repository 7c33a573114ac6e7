using BeamSync.Core;
using BeamSync.Core.Types;

namespace BeamSync.State;

public sealed partial class WorldState
{
    private readonly HashSet<Address> _warmAccounts = new();
    private readonly HashSet<(Address, UInt256)> _warmSlots = new();
    private readonly Dictionary<(Address, UInt256), UInt256> _transient = new();
    private readonly List<Log> _logs = new();
    private long _refund;

    public long Refund => _refund;
    public IReadOnlyList<Log> Logs => _logs;

    /// <summary>Adds to the EIP-2929 warm set; true when the account was cold.</summary>
    public bool WarmAccount(Address address)
    {
        if (!_warmAccounts.Add(address)) return false;
        _journal.Add(new JournalEntry { Kind = JournalKind.WarmAccount, Address = address });
        return true;
    }

    public bool IsWarm(Address address) => _warmAccounts.Contains(address);

    /// <summary>Adds the slot to the warm set; true when it was cold.</summary>
    public bool WarmSlot(Address address, in UInt256 slot)
    {
        if (!_warmSlots.Add((address, slot))) return false;
        _journal.Add(new JournalEntry { Kind = JournalKind.WarmSlot, Address = address, Key = slot });
        return true;
    }

    public void AddRefund(long amount)
    {
        _journal.Add(new JournalEntry { Kind = JournalKind.Refund, OldRefund = _refund });
        _refund += amount;
    }

    public void AddLog(Log log)
    {
        _journal.Add(new JournalEntry { Kind = JournalKind.Log });
        _logs.Add(log);
    }

    /// <summary>
    /// Ends a transaction: deletes self-destructed accounts and, when <paramref name="deleteTouchedEmpty"/> (EIP-161,
    /// from Spurious Dragon), touched accounts that are empty; folds this transaction's storage writes into the block's
    /// pending writes; clears the journal, warm sets, transient storage, refund and logs. Returns the logs.
    /// </summary>
    public List<Log> FinalizeTransaction(bool deleteTouchedEmpty)
    {
        foreach (var address in _touched)
        {
            var obj = Find(address);
            if (obj is null) continue;
            if (obj.SelfDestructed || (deleteTouchedEmpty && obj.IsEmpty))
            {
                _objects[address] = null;
                _blockDirty.Add(address);
                continue;
            }
            foreach (var (slot, value) in obj.Current)
            {
                obj.Origin[slot] = value;
                obj.Pending[slot] = value;
            }
            obj.Current.Clear();
            obj.CreatedInTransaction = false;
        }
        // Self-destructed accounts are always touched (balance change), and storage writers are touched too.
        var logs = new List<Log>(_logs);
        _touched.Clear();
        _journal.Clear();
        _warmAccounts.Clear();
        _warmSlots.Clear();
        _transient.Clear();
        _logs.Clear();
        _refund = 0;
        return logs;
    }

    /// <summary>Writes the block's changes to the store and returns the new state root. Call between transactions only.</summary>
    public Hash256 Commit() => FlushChanges(persist: true);

    /// <summary>
    /// The state root after the transactions so far, as pre-Byzantium receipts carry it: applies the changes to the
    /// store's in-memory tries without persisting them (only the changed paths are re-hashed), so calling it after
    /// every transaction costs one root computation each and <see cref="Commit"/> later writes the block once.
    /// Call between transactions only.
    /// </summary>
    public Hash256 IntermediateRoot() => FlushChanges(persist: false);

    private Hash256 FlushChanges(bool persist)
    {
        var changes = new List<AccountChange>(_blockDirty.Count);
        foreach (var address in _blockDirty)
        {
            _objects.TryGetValue(address, out var obj);
            if (obj is null)
            {
                changes.Add(new AccountChange(address, true, 0, UInt256.Zero, Hash256.EmptyKeccak, null, true, []));
                continue;
            }
            var storage = new List<KeyValuePair<UInt256, UInt256>>(obj.Pending);
            changes.Add(new AccountChange(address, false, obj.Nonce, obj.Balance, obj.CodeHash, obj.Code, obj.StorageCleared, storage));
        }
        var root = persist ? store.Commit(changes) : store.Apply(changes);
        foreach (var address in _blockDirty)
        {
            _objects.TryGetValue(address, out var obj);
            if (obj is null) continue;
            obj.Pending.Clear();
            obj.StorageCleared = false;
            if (store.TryGetAccount(address, out var record)) obj.StorageRoot = record.StorageRoot;
        }
        _blockDirty.Clear();
        return root;
    }
}
