using BeamSync.Core;

namespace BeamSync.State;

public sealed partial class WorldState
{
    // The precompile at 0x03 (RIPEMD-160) stays touched when its frame reverts: a consensus quirk from the
    // Spurious Dragon era (mainnet block 2675119) that every client reproduces.
    private static readonly Address RipemdAddress = new([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3]);

    private readonly List<JournalEntry> _journal = new();

    /// <summary>A snapshot id to pass to <see cref="Revert"/>.</summary>
    public int Snapshot() => _journal.Count;

    /// <summary>Undoes every change made since <paramref name="snapshot"/>.</summary>
    public void Revert(int snapshot)
    {
        for (int i = _journal.Count - 1; i >= snapshot; i--)
        {
            ref readonly var e = ref System.Runtime.InteropServices.CollectionsMarshal.AsSpan(_journal)[i];
            switch (e.Kind)
            {
                case JournalKind.ObjectReplaced: _objects[e.Address] = e.Object; break;
                case JournalKind.Balance: e.Object!.Balance = e.OldValue; break;
                case JournalKind.Nonce: e.Object!.Nonce = e.OldNonce; break;
                case JournalKind.Code: e.Object!.Code = e.OldCode; e.Object.CodeHash = e.OldCodeHash; break;
                case JournalKind.Storage:
                    if (e.HadValue) e.Object!.Current[e.Key] = e.OldValue;
                    else e.Object!.Current.Remove(e.Key);
                    break;
                case JournalKind.Transient: _transient[(e.Address, e.Key)] = e.OldValue; break;
                case JournalKind.SelfDestruct: e.Object!.SelfDestructed = e.HadValue; e.Object.Balance = e.OldValue; break;
                case JournalKind.Touch: if (e.Address != RipemdAddress) _touched.Remove(e.Address); break;
                case JournalKind.WarmAccount: _warmAccounts.Remove(e.Address); break;
                case JournalKind.WarmSlot: _warmSlots.Remove((e.Address, e.Key)); break;
                case JournalKind.Refund: _refund = e.OldRefund; break;
                case JournalKind.Log: _logs.RemoveAt(_logs.Count - 1); break;
            }
        }
        _journal.RemoveRange(snapshot, _journal.Count - snapshot);
    }
}
