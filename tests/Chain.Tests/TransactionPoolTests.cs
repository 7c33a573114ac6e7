using BeamSync.Chain.Pool;
using BeamSync.Core;
using BeamSync.Core.Types;

namespace BeamSync.Chain.Tests;

public sealed class TransactionPoolTests
{
    private static readonly byte[] KeyA = Enumerable.Repeat((byte)0x11, 32).ToArray();
    private static readonly byte[] KeyB = Enumerable.Repeat((byte)0x22, 32).ToArray();

    private static Transaction Tx(byte[] key, ulong nonce, ulong tip) => new Transaction
    {
        Type = TransactionType.DynamicFee, ChainId = 1, Nonce = nonce, MaxPriorityFeePerGas = new UInt256(tip),
        MaxFeePerGas = new UInt256(1_000), GasLimit = 21_000, To = new Address(new byte[20]),
    }.Sign(key);

    [Fact]
    public void Candidates_keep_each_senders_nonce_order_and_interleave_senders_by_tip()
    {
        var pool = new TransactionPool();
        var a0 = Tx(KeyA, 0, 5); var a1 = Tx(KeyA, 1, 50); var b0 = Tx(KeyB, 0, 10); var b1 = Tx(KeyB, 1, 1);
        foreach (var tx in new[] { a1, b1, a0, b0 }) Assert.Null(pool.Submit(tx));
        // B's next pays 10 over A's 5; then A's 5 beats B's 1, and A's nonce 1 (50) comes after its nonce 0.
        Assert.Equal([b0, a0, a1, b1], pool.Candidates(new UInt256(100)));
    }

    [Fact]
    public void A_full_pool_refuses_and_an_included_transaction_leaves()
    {
        var pool = new TransactionPool(capacity: 2);
        var a0 = Tx(KeyA, 0, 1);
        Assert.Null(pool.Submit(a0));
        Assert.NotNull(pool.Submit(a0));
        Assert.NotNull(pool.Submit(Tx(KeyA, 0, 2)));
        Assert.Null(pool.Submit(Tx(KeyB, 0, 1)));
        Assert.Contains("full", pool.Submit(Tx(KeyA, 1, 1)));
        pool.RemoveIncluded(new Block(new BlockHeader(), new BlockBody([a0], [])));
        Assert.Equal(1, pool.Count);
    }
}
