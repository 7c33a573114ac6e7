namespace BeamSync.Core.Specs;

/// <summary>
/// One pre-funded account of a genesis allocation. Immutable; <see cref="Code"/> must not be mutated by callers.
/// </summary>
public sealed record GenesisAccount(UInt256 Balance, ulong Nonce, byte[] Code, IReadOnlyDictionary<UInt256, UInt256> Storage)
{
    public static readonly IReadOnlyDictionary<UInt256, UInt256> NoStorage = new Dictionary<UInt256, UInt256>();
}

/// <summary>
/// The genesis block's header fields and state allocation as a geth-style genesis file gives them. The trie and chain
/// layers turn this into the genesis state root, header and hash; nothing here is derived. Fields the file omits
/// take geth's defaults (zero, empty); fork-dependent header fields (base fee, blob gas, beacon root) are null when
/// absent so the chain layer can apply the fork's default. Immutable.
/// </summary>
public sealed record GenesisSpec
{
    public ulong Nonce { get; init; }
    public ulong Timestamp { get; init; }
    public byte[] ExtraData { get; init; } = [];
    public ulong GasLimit { get; init; }
    public UInt256 Difficulty { get; init; }
    public Hash256 MixHash { get; init; }
    public Address Coinbase { get; init; }
    public ulong Number { get; init; }
    public ulong GasUsed { get; init; }
    public Hash256 ParentHash { get; init; }
    public UInt256? BaseFeePerGas { get; init; }
    public ulong? ExcessBlobGas { get; init; }
    public ulong? BlobGasUsed { get; init; }
    public Hash256? ParentBeaconBlockRoot { get; init; }
    public IReadOnlyDictionary<Address, GenesisAccount> Alloc { get; init; } = new Dictionary<Address, GenesisAccount>();
}
