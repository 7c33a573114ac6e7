using System.Runtime.CompilerServices;
using BeamSync.Core.Crypto;

namespace BeamSync.Core.Types;

/// <summary>
/// A block header with every field through Osaka. The trailing fields are optional and appear strictly in
/// order (a later one implies every earlier one): base fee (London), withdrawals root (Shanghai), blob gas used,
/// excess blob gas and parent beacon block root (Cancun), requests hash (Prague). After the merge
/// <see cref="MixHash"/> carries prevRandao. Immutable; the hash is cached on first use (safe to share).
/// </summary>
public sealed partial class BlockHeader
{
    public Hash256 ParentHash { get; init; }
    public Hash256 OmmersHash { get; init; } = Hash256.EmptyListHash;
    public Address Coinbase { get; init; }
    public Hash256 StateRoot { get; init; }
    public Hash256 TransactionsRoot { get; init; } = Hash256.EmptyTrieRoot;
    public Hash256 ReceiptsRoot { get; init; } = Hash256.EmptyTrieRoot;
    public Bloom LogsBloom { get; init; } = new();
    public UInt256 Difficulty { get; init; }
    public ulong Number { get; init; }
    public ulong GasLimit { get; init; }
    public ulong GasUsed { get; init; }
    public ulong Timestamp { get; init; }
    public byte[] ExtraData { get; init; } = [];
    /// <summary>The PoW mix hash; prevRandao after the merge (EIP-4399).</summary>
    public Hash256 MixHash { get; init; }
    public Hash256 PrevRandao => MixHash;
    /// <summary>The 8-byte PoW nonce (zero after the merge).</summary>
    public ulong Nonce { get; init; }
    public UInt256? BaseFeePerGas { get; init; }
    public Hash256? WithdrawalsRoot { get; init; }
    public ulong? BlobGasUsed { get; init; }
    public ulong? ExcessBlobGas { get; init; }
    public Hash256? ParentBeaconBlockRoot { get; init; }
    public Hash256? RequestsHash { get; init; }

    private StrongBox<Hash256>? _hash;

    /// <summary>keccak256 of the RLP encoding.</summary>
    public Hash256 Hash
    {
        get
        {
            var box = _hash;
            if (box is null)
            {
                box = new StrongBox<Hash256>(Keccak256.Hash(Encode()));
                _hash = box;
            }
            return box.Value;
        }
    }
}
