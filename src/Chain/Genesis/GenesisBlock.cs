using System.Security.Cryptography;
using BeamSync.Core;
using BeamSync.Core.Specs;
using BeamSync.Core.Types;
using BeamSync.Trie;

namespace BeamSync.Chain.Genesis;

/// <summary>
/// The genesis header of a chain spec's genesis, by geth's rules for the forks active at genesis: a base fee
/// (1 gwei unless given) from London, the empty withdrawals root from Shanghai, blob gas fields (zero unless given)
/// and a zero parent beacon root from Cancun, and the requests hash of no requests (sha256 of nothing) from Prague.
/// Stateless; thread-safe.
/// </summary>
public static class GenesisBlock
{
    /// <summary>geth's genesis gas limit when the file gives none.</summary>
    public const ulong DefaultGasLimit = 4_712_388;
    public const ulong InitialBaseFee = 1_000_000_000;

    public static BlockHeader Header(ChainSpec spec, Hash256 stateRoot)
    {
        var g = spec.Genesis ?? throw new ArgumentException($"chain spec {spec.Name} has no genesis", nameof(spec));
        var fork = spec.ForkAt(g.Number, g.Timestamp);
        return new BlockHeader
        {
            ParentHash = g.ParentHash,
            Coinbase = g.Coinbase,
            StateRoot = stateRoot,
            Difficulty = g.Difficulty,
            Number = g.Number,
            GasLimit = g.GasLimit == 0 ? DefaultGasLimit : g.GasLimit,
            GasUsed = g.GasUsed,
            Timestamp = g.Timestamp,
            ExtraData = g.ExtraData,
            MixHash = g.MixHash,
            Nonce = g.Nonce,
            BaseFeePerGas = fork >= Fork.London ? g.BaseFeePerGas ?? InitialBaseFee : null,
            WithdrawalsRoot = fork >= Fork.Shanghai ? Hash256.EmptyTrieRoot : null,
            BlobGasUsed = fork >= Fork.Cancun ? g.BlobGasUsed ?? 0 : null,
            ExcessBlobGas = fork >= Fork.Cancun ? g.ExcessBlobGas ?? 0 : null,
            ParentBeaconBlockRoot = fork >= Fork.Cancun ? g.ParentBeaconBlockRoot ?? Hash256.Zero : null,
            RequestsHash = fork >= Fork.Prague ? new Hash256(SHA256.HashData(ReadOnlySpan<byte>.Empty)) : null,
        };
    }

    /// <summary>
    /// The genesis header with its state trie hashed in memory and nothing stored: what a beam node, which builds no
    /// genesis state, and the <c>genesis</c> command need.
    /// </summary>
    public static BlockHeader HeaderOfAlloc(ChainSpec spec)
    {
        var g = spec.Genesis ?? throw new ArgumentException($"chain spec {spec.Name} has no genesis", nameof(spec));
        var alloc = g.Alloc.Select(a => new AccountAlloc(a.Key, a.Value.Nonce, a.Value.Balance, a.Value.Code, a.Value.Storage));
        return Header(spec, StateTrieBuilder.ComputeRoot(alloc));
    }
}
