using BeamSync.Core;

namespace BeamSync.Chain.Genesis;

/// <summary>One account of a genesis allocation or a fixture's pre-state. Immutable by convention.</summary>
public sealed record GenesisAccount(Address Address, ulong Nonce, UInt256 Balance, byte[] Code, IReadOnlyList<KeyValuePair<UInt256, UInt256>> Storage);
