using BeamSync.Core;
using BeamSync.Core.Types;

namespace BeamSync.State;

/// <summary>
/// One account loaded into <see cref="WorldState"/>. Storage lives in three layers: <see cref="Current"/> holds
/// this transaction's writes, <see cref="Origin"/> the values at the start of the transaction (what SSTORE metering
/// calls "original"), <see cref="Pending"/> the block's writes not yet committed to the store. Not thread-safe.
/// </summary>
internal sealed class StateObject(Address address)
{
    public readonly Address Address = address;
    public ulong Nonce;
    public UInt256 Balance;
    public Hash256 CodeHash = Hash256.EmptyKeccak;
    public byte[]? Code;
    /// <summary>The storage root the store holds for this account (empty when created in this block).</summary>
    public Hash256 StorageRoot = Hash256.EmptyTrieRoot;
    /// <summary>True when the store's storage must not be read: the account was (re)created after its last commit.</summary>
    public bool StorageCleared;
    /// <summary>Created in the current transaction (EIP-6780 lets SELFDESTRUCT delete only such accounts).</summary>
    public bool CreatedInTransaction;
    public bool SelfDestructed;

    public readonly Dictionary<UInt256, UInt256> Origin = new();
    public readonly Dictionary<UInt256, UInt256> Current = new();
    public readonly Dictionary<UInt256, UInt256> Pending = new();

    public bool IsEmpty => Nonce == 0 && Balance.IsZero && CodeHash == Hash256.EmptyKeccak;

    public static StateObject From(Address address, in Account record) => new(address)
    {
        Nonce = record.Nonce,
        Balance = record.Balance,
        CodeHash = record.CodeHash,
        StorageRoot = record.StorageRoot,
    };
}
