using BeamSync.Core;

namespace BeamSync.Evm;

/// <summary>One access-list entry (EIP-2930): an address and the storage keys to pre-warm.</summary>
public sealed record AccessListEntry(Address Address, UInt256[] StorageKeys);

/// <summary>
/// A transaction as the EVM executes it, with the sender already recovered. Legacy and EIP-2930 transactions carry
/// their gas price in both fee fields. <see cref="To"/> is null for a creation. Immutable.
/// </summary>
public sealed record Message(
    byte Type,
    Address Sender,
    Address? To,
    ulong Nonce,
    UInt256 Value,
    byte[] Data,
    ulong GasLimit,
    UInt256 MaxFeePerGas,
    UInt256 MaxPriorityFeePerGas,
    AccessListEntry[] AccessList,
    UInt256 MaxFeePerBlobGas,
    Hash256[] BlobHashes);
