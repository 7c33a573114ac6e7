using BeamSync.Core;

namespace BeamSync.State;

public sealed partial class WorldState
{
    /// <summary>The current value of a storage slot.</summary>
    public UInt256 GetStorage(Address address, in UInt256 slot)
    {
        var obj = Find(address);
        if (obj is null) return UInt256.Zero;
        return obj.Current.TryGetValue(slot, out var value) ? value : GetOriginal(obj, slot);
    }

    /// <summary>The value at the start of the current transaction (EIP-1283/2200 "original value").</summary>
    public UInt256 GetOriginalStorage(Address address, in UInt256 slot)
    {
        var obj = Find(address);
        return obj is null ? UInt256.Zero : GetOriginal(obj, slot);
    }

    private UInt256 GetOriginal(StateObject obj, in UInt256 slot)
    {
        if (obj.Origin.TryGetValue(slot, out var value)) return value;
        value = obj.StorageCleared ? UInt256.Zero : store.GetStorage(obj.Address, slot);
        obj.Origin[slot] = value;
        return value;
    }

    public void SetStorage(Address address, in UInt256 slot, in UInt256 value)
    {
        var obj = GetOrCreate(address);
        Touch(address);
        bool had = obj.Current.TryGetValue(slot, out var old);
        _journal.Add(new JournalEntry { Kind = JournalKind.Storage, Object = obj, Key = slot, OldValue = old, HadValue = had });
        obj.Current[slot] = value;
        _blockDirty.Add(address);
    }

    public UInt256 GetTransientStorage(Address address, in UInt256 slot) =>
        _transient.TryGetValue((address, slot), out var value) ? value : UInt256.Zero;

    public void SetTransientStorage(Address address, in UInt256 slot, in UInt256 value)
    {
        _transient.TryGetValue((address, slot), out var old);
        _journal.Add(new JournalEntry { Kind = JournalKind.Transient, Address = address, Key = slot, OldValue = old });
        _transient[(address, slot)] = value;
    }
}
