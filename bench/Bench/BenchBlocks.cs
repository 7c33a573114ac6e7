using BeamSync.Core;
using BeamSync.Core.Types;

namespace BeamSync.Bench;

/// <summary>
/// A deterministic mainnet-like block for the type benchmarks: 500 transactions of mixed types (legacy,
/// EIP-2930, EIP-1559, blob, EIP-7702) with ABI-shaped calldata (a selector, then 32-byte words that are mostly
/// zero-padded) sized so the block is about 1 MiB.
/// </summary>
internal static class BenchBlocks
{
    public const int TransactionCount = 500;
    public const int TargetBlockBytes = 1 << 20;

    public static byte[] Key(int i)
    {
        var key = new byte[32];
        key[0] = 0x11;
        BitConverter.TryWriteBytes(key.AsSpan(24), (long)i + 1);
        return key;
    }

    public static Block Create()
    {
        var random = new Random(1234);
        // Average calldata per transaction that lands the block near 1 MiB after ~150 bytes of other fields.
        int averageData = TargetBlockBytes / TransactionCount - 150;
        var txs = new Transaction[TransactionCount];
        for (int i = 0; i < txs.Length; i++)
        {
            var data = AbiLikeCalldata(random, random.Next(averageData / 4, averageData * 7 / 4));
            var to = RandomAddress(random);
            txs[i] = (i % 20) switch
            {
                < 4 => new Transaction { ChainId = 1, Nonce = (ulong)i, GasPrice = 30_000_000_000UL, GasLimit = 500_000, To = to, Value = (ulong)random.NextInt64(), Data = data },
                < 6 => new Transaction
                {
                    Type = TransactionType.AccessList, ChainId = 1, Nonce = (ulong)i, GasPrice = 30_000_000_000UL, GasLimit = 500_000, To = to, Data = data,
                    AccessList = [new AccessListItem(RandomAddress(random), [RandomHash(random), RandomHash(random)])],
                },
                18 => new Transaction
                {
                    Type = TransactionType.Blob, ChainId = 1, Nonce = (ulong)i, MaxPriorityFeePerGas = 1_000_000_000UL, MaxFeePerGas = 40_000_000_000UL,
                    GasLimit = 100_000, To = to, Data = data, MaxFeePerBlobGas = 1_000_000_000UL, BlobVersionedHashes = [VersionedHash(random), VersionedHash(random)],
                },
                19 => new Transaction
                {
                    Type = TransactionType.SetCode, ChainId = 1, Nonce = (ulong)i, MaxPriorityFeePerGas = 1_000_000_000UL, MaxFeePerGas = 40_000_000_000UL,
                    GasLimit = 200_000, To = to, Data = data,
                    AuthorizationList = [new Authorization(1, RandomAddress(random), (ulong)i, 1, RandomScalar(random), RandomScalar(random))],
                },
                _ => DynamicFee(i, to, data),
            };
            txs[i] = txs[i].Sign(Key(i));
        }
        var header = new BlockHeader
        {
            ParentHash = RandomHash(random), Coinbase = RandomAddress(random), StateRoot = RandomHash(random),
            Number = 21_000_000, GasLimit = 36_000_000, GasUsed = 30_000_000, Timestamp = 1_750_000_000,
            BaseFeePerGas = new UInt256(7_000_000_000), WithdrawalsRoot = RandomHash(random), BlobGasUsed = 131072, ExcessBlobGas = 0,
            ParentBeaconBlockRoot = RandomHash(random), RequestsHash = RandomHash(random),
        };
        var withdrawals = Enumerable.Range(0, 16).Select(i => new Withdrawal((ulong)i, (ulong)(i * 1000), RandomAddress(random), 18_000_000)).ToArray();
        return new Block(header, new BlockBody(txs, [], withdrawals));
    }

    public static Transaction DynamicFee(int i, Address to, byte[] data) => new()
    {
        Type = TransactionType.DynamicFee, ChainId = 1, Nonce = (ulong)i, MaxPriorityFeePerGas = 1_000_000_000UL,
        MaxFeePerGas = 40_000_000_000UL, GasLimit = 300_000, To = to, Value = 0UL, Data = data,
    };

    /// <summary>A 4-byte selector and 32-byte words, each a left-padded value of 1..20 significant bytes.</summary>
    public static byte[] AbiLikeCalldata(Random random, int length)
    {
        length = Math.Max(4, 4 + (length - 4) / 32 * 32);
        var data = new byte[length];
        random.NextBytes(data.AsSpan(0, 4));
        for (int word = 4; word < length; word += 32)
        {
            int significant = random.Next(1, 21);
            random.NextBytes(data.AsSpan(word + 32 - significant, significant));
        }
        return data;
    }

    private static Address RandomAddress(Random random)
    {
        Span<byte> b = stackalloc byte[20];
        random.NextBytes(b);
        return new Address(b);
    }

    private static Hash256 RandomHash(Random random)
    {
        Span<byte> b = stackalloc byte[32];
        random.NextBytes(b);
        return new Hash256(b);
    }

    private static Hash256 VersionedHash(Random random)
    {
        Span<byte> b = stackalloc byte[32];
        random.NextBytes(b);
        b[0] = 0x01;
        return new Hash256(b);
    }

    private static UInt256 RandomScalar(Random random)
    {
        Span<byte> b = stackalloc byte[32];
        random.NextBytes(b);
        b[0] &= 0x7f;
        return new UInt256(b);
    }
}
