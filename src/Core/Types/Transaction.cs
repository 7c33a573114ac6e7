using System.Runtime.CompilerServices;

namespace BeamSync.Core.Types;

/// <summary>
/// A signed transaction of any type (legacy, EIP-2930, EIP-1559, EIP-4844, EIP-7702). Fields a type does not
/// carry keep their defaults (empty arrays, zero). For a legacy transaction <see cref="V"/> is the raw v and
/// <see cref="ChainId"/> is derived from it (zero when unprotected); for typed transactions <see cref="V"/> is
/// the y-parity. Immutable after construction; the hash and sender are cached on first use (concurrent first
/// calls compute the same value and publish it by reference, so the type is safe to share between threads).
/// </summary>
public sealed partial class Transaction
{
    public TransactionType Type { get; init; }
    public UInt256 ChainId { get; init; }
    public ulong Nonce { get; init; }
    /// <summary>Legacy and EIP-2930 gas price.</summary>
    public UInt256 GasPrice { get; init; }
    public UInt256 MaxPriorityFeePerGas { get; init; }
    public UInt256 MaxFeePerGas { get; init; }
    public ulong GasLimit { get; init; }
    /// <summary>The recipient; null for contract creation.</summary>
    public Address? To { get; init; }
    public UInt256 Value { get; init; }
    public byte[] Data { get; init; } = [];
    public AccessListItem[] AccessList { get; init; } = [];
    public UInt256 MaxFeePerBlobGas { get; init; }
    public Hash256[] BlobVersionedHashes { get; init; } = [];
    public Authorization[] AuthorizationList { get; init; } = [];
    public UInt256 V { get; init; }
    public UInt256 R { get; init; }
    public UInt256 S { get; init; }

    private StrongBox<Hash256>? _hash;
    private SenderResult? _sender;
    private int _signedFieldsLength;

    public bool IsContractCreation => To is null;

    /// <summary>Legacy: whether v carries an EIP-155 chain id (v &gt;= 35). Typed transactions always do.</summary>
    public bool IsReplayProtected => Type != TransactionType.Legacy || V >= Eip155MinV;

    private static readonly UInt256 Eip155MinV = new(35);

    /// <summary>The price cap per gas: gas price for legacy and EIP-2930, max fee per gas from EIP-1559 on.</summary>
    public UInt256 FeeCap => Type is TransactionType.Legacy or TransactionType.AccessList ? GasPrice : MaxFeePerGas;

    /// <summary>The priority tip cap: gas price for legacy and EIP-2930, max priority fee from EIP-1559 on.</summary>
    public UInt256 TipCap => Type is TransactionType.Legacy or TransactionType.AccessList ? GasPrice : MaxPriorityFeePerGas;

    /// <summary>keccak256 of the canonical encoding.</summary>
    public Hash256 Hash
    {
        get
        {
            var box = _hash;
            if (box is null)
            {
                box = new StrongBox<Hash256>(ComputeHash());
                _hash = box;
            }
            return box.Value;
        }
    }

    private sealed record SenderResult(bool Valid, Address Sender);
}
