using BeamSync.Core;
using BeamSync.Network.Eth;
using BeamSync.Network.Serving;
using BeamSync.Network.Tests.Peers;

namespace BeamSync.Network.Tests.Eth;

public class EthLoopbackTests
{
    private static async Task<(LoopbackNode a, LoopbackNode b, EthHandler aToB, EthHandler bToA)> ConnectAsync(int[] versions)
    {
        var a = new LoopbackNode(40, versions);
        var b = new LoopbackNode(40, versions);
        var session = await a.Pool.ConnectAsync(b.Pool.LocalEnode);
        var aToB = session.Protocol<EthHandler>()!;
        await aToB.StatusExchanged.WaitAsync(TimeSpan.FromSeconds(10));
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (b.Pool.Peers.Count == 0 && DateTime.UtcNow < deadline) await Task.Delay(20);
        var bToA = b.Pool.Peers.Single().Protocol<EthHandler>()!;
        await bToA.StatusExchanged.WaitAsync(TimeSpan.FromSeconds(10));
        return (a, b, aToB, bToA);
    }

    [Theory]
    [InlineData(66)]
    [InlineData(67)]
    [InlineData(68)]
    [InlineData(69)]
    public async Task Two_nodes_exchange_every_eth_message_in_both_directions(int version)
    {
        var (a, b, aToB, bToA) = await ConnectAsync([version]);
        await using var _a = a; await using var _b = b;
        Assert.Equal(version, aToB.Version);

        foreach (var (asker, server) in new[] { (aToB, b), (bToA, a) })
        {
            var headers = await asker.GetBlockHeadersAsync(HeadersQuery.ByNumber(5, 4, skip: 2));
            Assert.Equal([5UL, 8, 11, 14], headers.Select(h => HeaderFields.Number(h)));
            var reversed = await asker.GetBlockHeadersAsync(HeadersQuery.ByHash(server.Chain.HeadHash, 3, reverse: true));
            Assert.Equal([40UL, 39, 38], reversed.Select(h => HeaderFields.Number(h)));
            for (int i = 1; i < reversed.Count; i++) Assert.Equal(HeaderFields.Hash(reversed[i]), HeaderFields.ParentHash(reversed[i - 1]));
            Assert.Empty(await asker.GetBlockHeadersAsync(HeadersQuery.ByNumber(1000, 5)));

            var hashes = headers.Select(h => HeaderFields.Hash(h)).ToList();
            var bodies = await asker.GetBlockBodiesAsync(hashes);
            Assert.Equal(4, bodies.Count);
            Assert.All(bodies, body => Assert.Equal(TestChain.EmptyBody, body));

            var receipts = await asker.GetReceiptsAsync(hashes);
            Assert.Equal(4, receipts.Count);
            Assert.Equal(2, receipts[0].Count);
            if (version >= 69) Assert.Equal(ReceiptWire.ToEth69(TestChain.TypedReceipt(21000 * 5 + 1)), receipts[0][1]);
            else Assert.Equal(Rlp.EncodeBytes(TestChain.TypedReceipt(21000 * 5 + 1)), receipts[0][1]);

            var tx = Rlp.EncodeBytes([0x02, 0xc3, 0x01, 0x02, 0x03]); // a typed transaction travels as an RLP string
            var txHash = server.Nodes.AddTransaction(tx);
            Assert.Equal([tx], await asker.GetPooledTransactionsAsync([txHash, Hash256.Zero]));

            if (version == 66)
            {
                var node = Rlp.EncodeList(Rlp.EncodeBytes("trie node"u8));
                var nodeHash = server.Nodes.AddNode(node);
                Assert.Equal([node], await asker.GetNodeDataAsync([nodeHash]));
            }
        }

        await aToB.SendNewBlockHashesAsync([new BlockAnnouncement(a.Chain.HeadHash, 40)]);
        Assert.Equal("hashes:1:40", await b.Sink.NextAsync());
        await bToA.SendNewBlockAsync(Rlp.EncodeList(b.Chain.GetCanonicalHeader(40)!, Rlp.EmptyList, Rlp.EmptyList), new UInt256(41));
        Assert.StartsWith("block:", await a.Sink.NextAsync());
        await aToB.SendTransactionsAsync([Rlp.EncodeBytes([0x02, 0xc1, 0x80])]);
        Assert.Equal("txs:1", await b.Sink.NextAsync());
        await bToA.SendPooledTransactionHashesAsync(new PooledTransactionAnnouncement([2], [100], [Hash256.EmptyListHash]));
        Assert.Equal(version >= 68 ? "pooled:1:1" : "pooled:1:0", await a.Sink.NextAsync());
        if (version >= 69)
        {
            await aToB.SendBlockRangeUpdateAsync(0, 40, a.Chain.HeadHash);
            Assert.Equal("range:0:40", await b.Sink.NextAsync());
        }
    }

    [Fact]
    public async Task Highest_shared_version_wins()
    {
        var a = new LoopbackNode(3, [66, 67, 68, 69]);
        var b = new LoopbackNode(3, [66, 68]);
        await using var _a = a; await using var _b = b;
        var session = await a.Pool.ConnectAsync(b.Pool.LocalEnode);
        Assert.Equal(68, session.Protocol<EthHandler>()!.Version);
        await session.Protocol<EthHandler>()!.StatusExchanged.WaitAsync(TimeSpan.FromSeconds(10));
    }
}
