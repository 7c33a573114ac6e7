using BeamSync.Core.Types;
using BeamSync.Tests.Shared;

namespace BeamSync.Core.Tests.Types;

public class BlockRlpTests
{
    [Theory]
    [InlineData("chains/geth-ethtest/chain.rlp")]
    [InlineData("rpc-compat/chain.rlp")]
    public void ChainFileRoundTripsAndLinksByHash(string fixture)
    {
        var encodedBlocks = ChainFile.ReadItems(TestFixtures.PathOf(fixture));
        Assert.NotEmpty(encodedBlocks);
        Block? previous = null;
        var typesSeen = new HashSet<TransactionType>();
        foreach (var encoded in encodedBlocks)
        {
            var block = Block.Decode(encoded);
            Assert.Equal(encoded, block.Encode());
            Assert.Equal(encoded.Length, block.EncodedLength);
            if (previous is not null)
            {
                Assert.Equal(previous.Number + 1, block.Number);
                Assert.Equal(previous.Hash, block.Header.ParentHash);
            }
            foreach (var tx in block.Transactions)
            {
                typesSeen.Add(tx.Type);
                Assert.True(tx.TryRecoverSender(out _), $"block {block.Number} tx {tx.Hash}: sender does not recover");
            }
            previous = block;
        }
        Assert.Contains(TransactionType.Legacy, typesSeen);
    }

    [Fact]
    public void RpcCompatChainCarriesEveryTransactionTypeAndWithdrawals()
    {
        var blocks = ChainFile.ReadItems(TestFixtures.PathOf("rpc-compat/chain.rlp")).Select(b => Block.Decode(b)).ToList();
        var types = blocks.SelectMany(b => b.Transactions).Select(t => t.Type).ToHashSet();
        Assert.Superset(new HashSet<TransactionType> { TransactionType.Legacy, TransactionType.AccessList, TransactionType.DynamicFee, TransactionType.Blob, TransactionType.SetCode }, types);
        Assert.Contains(blocks, b => b.Body.Withdrawals is { Length: > 0 });
        var authorizations = blocks.SelectMany(b => b.Transactions).SelectMany(t => t.AuthorizationList).ToList();
        Assert.NotEmpty(authorizations);
        Assert.All(authorizations, a => Assert.True(a.TryRecoverAuthority(out _)));
    }

    [Fact]
    public void BodyRoundTripsWithAndWithoutWithdrawals()
    {
        var withdrawals = new[] { new Withdrawal(1, 2, Samples.To, 3), new Withdrawal(ulong.MaxValue, 0, Address.Zero, 0) };
        foreach (var body in new[] { new BlockBody(Samples.AllTypes(), [Samples.Header(0)]), new BlockBody(Samples.AllTypes(), [], withdrawals), BlockBody.Empty })
        {
            var encoded = body.Encode();
            var decoded = BlockBody.Decode(encoded);
            Assert.Equal(encoded, decoded.Encode());
            Assert.Equal(body.Withdrawals?.Length, decoded.Withdrawals?.Length);
            Assert.Equal(body.Transactions.Select(t => t.Hash), decoded.Transactions.Select(t => t.Hash));
        }
    }

    [Fact]
    public void AccountRoundTripsAndKnowsEmptiness()
    {
        var account = new Account(7, UInt256.Parse("0x1000000000000000000000000"), Hash256.EmptyTrieRoot, Hash256.EmptyKeccak);
        Assert.Equal(account, Account.Decode(account.Encode()));
        Assert.True(Account.Empty.IsEmpty);
        Assert.False(account.IsEmpty);
        // An empty account as the state trie stores it: [0x80, 0x80, emptyRoot, emptyKeccak], 70 bytes.
        Assert.Equal(70, Account.Empty.Encode().Length);
    }

    [Fact]
    public void WithdrawalRoundTrips()
    {
        var w = new Withdrawal(10, 20, Samples.To, 30_000_000_000);
        Assert.Equal(w, Withdrawal.Decode(w.Encode()));
    }
}
