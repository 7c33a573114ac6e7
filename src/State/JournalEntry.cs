using BeamSync.Core;

namespace BeamSync.State;

internal enum JournalKind : byte
{
    ObjectReplaced,
    Balance,
    Nonce,
    Code,
    Storage,
    Transient,
    SelfDestruct,
    Touch,
    WarmAccount,
    WarmSlot,
    Refund,
    Log,
}

/// <summary>One undoable change. A flat struct so the journal is one list without per-entry allocations.</summary>
internal struct JournalEntry
{
    public JournalKind Kind;
    public Address Address;
    public StateObject? Object;
    public UInt256 Key;
    public UInt256 OldValue;
    /// <summary>Storage: whether <see cref="StateObject.Current"/> held the key before.</summary>
    public bool HadValue;
    public ulong OldNonce;
    public long OldRefund;
    public byte[]? OldCode;
    public Hash256 OldCodeHash;
}
