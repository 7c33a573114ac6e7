using BeamSync.Core.Types;

namespace BeamSync.Core.Tests.Types;

/// <summary>Signed sample transactions of every type, and other sample values, for round-trip and fuzz tests.</summary>
internal static class Samples
{
    public static readonly byte[] Key = Convert.FromHexString("4646464646464646464646464646464646464646464646464646464646464646");
    public static readonly Address To = Address.Parse("0x3535353535353535353535353535353535353535");

    public static Transaction Legacy(ulong chainId = 0, byte[]? data = null, bool create = false) => new Transaction
    {
        Type = TransactionType.Legacy,
        ChainId = chainId,
        Nonce = 9,
        GasPrice = 20_000_000_000UL,
        GasLimit = 21_000 + 16 * (ulong)(data?.Length ?? 0) + 53_000,
        To = create ? null : To,
        Value = 1_000_000_000_000_000_000UL,
        Data = data ?? [],
    }.Sign(Key);

    public static AccessListItem[] SampleAccessList() =>
    [
        new(Address.Parse("0xde0b295669a9fd93d5f28d9ec85e40f4cb697bae"), [Hash256.Zero, Hash256.EmptyKeccak]),
        new(To, []),
    ];

    public static Transaction AccessList() => new Transaction
    {
        Type = TransactionType.AccessList, ChainId = 1, Nonce = 1, GasPrice = 7UL, GasLimit = 100_000, To = To,
        Value = 5UL, Data = [0, 1, 2, 0], AccessList = SampleAccessList(),
    }.Sign(Key);

    public static Transaction DynamicFee(byte[]? data = null, Address? to = null) => new Transaction
    {
        Type = TransactionType.DynamicFee, ChainId = 1, Nonce = 2, MaxPriorityFeePerGas = 2UL, MaxFeePerGas = 100UL,
        GasLimit = 1_000_000, To = to ?? To, Value = 0UL, Data = data ?? [0xde, 0xad], AccessList = SampleAccessList(),
    }.Sign(Key);

    public static Hash256 VersionedHash(byte seed)
    {
        var bytes = new byte[32];
        bytes[0] = 0x01;
        bytes[31] = seed;
        return new Hash256(bytes);
    }

    public static Transaction Blob(Hash256[]? hashes = null) => new Transaction
    {
        Type = TransactionType.Blob, ChainId = 1, Nonce = 3, MaxPriorityFeePerGas = 1UL, MaxFeePerGas = 50UL,
        GasLimit = 60_000, To = To, Value = 0UL, Data = [], MaxFeePerBlobGas = 10UL,
        BlobVersionedHashes = hashes ?? [VersionedHash(1), VersionedHash(2)],
    }.Sign(Key);

    public static Authorization SignedAuthorization(byte[] key, ulong chainId, Address target, ulong nonce)
    {
        var unsigned = new Authorization(chainId, target, nonce, 0, default, default);
        var (sig, recId) = Crypto.Secp256k1Curve.Sign(unsigned.SigningHash().Bytes, key);
        return new Authorization(chainId, target, nonce, recId, new UInt256(sig.AsSpan(0, 32)), new UInt256(sig.AsSpan(32)));
    }

    public static Transaction SetCode() => new Transaction
    {
        Type = TransactionType.SetCode, ChainId = 1, Nonce = 4, MaxPriorityFeePerGas = 1UL, MaxFeePerGas = 50UL,
        GasLimit = 100_000, To = To, Value = 0UL, Data = [1],
        AuthorizationList = [SignedAuthorization(Key, 1, To, 5), SignedAuthorization(Key, 0, To, 6)],
    }.Sign(Key);

    public static Transaction[] AllTypes() =>
        [Legacy(), Legacy(chainId: 1), AccessList(), DynamicFee(), Blob(), SetCode(), Legacy(chainId: 1, data: new byte[100], create: true)];

    public static Log SampleLog(byte seed) => new(To, [Hash256.EmptyKeccak, VersionedHash(seed)], [seed, 0, seed]);

    public static BlockHeader Header(int optionalFields)
    {
        return new BlockHeader
        {
            ParentHash = Hash256.EmptyKeccak,
            Coinbase = To,
            StateRoot = Hash256.EmptyTrieRoot,
            Difficulty = optionalFields >= 2 ? UInt256.Zero : new UInt256(131072),
            Number = 1234567,
            GasLimit = 30_000_000,
            GasUsed = 21_000,
            Timestamp = 1_700_000_000,
            ExtraData = [1, 2, 3],
            MixHash = VersionedHash(9),
            Nonce = optionalFields >= 2 ? 0UL : 0x0102030405060708UL,
            BaseFeePerGas = optionalFields >= 1 ? new UInt256(7) : null,
            WithdrawalsRoot = optionalFields >= 2 ? Hash256.EmptyTrieRoot : null,
            BlobGasUsed = optionalFields >= 3 ? 131072UL : null,
            ExcessBlobGas = optionalFields >= 4 ? 0UL : null,
            ParentBeaconBlockRoot = optionalFields >= 5 ? VersionedHash(3) : null,
            RequestsHash = optionalFields >= 6 ? VersionedHash(4) : null,
        };
    }
}
