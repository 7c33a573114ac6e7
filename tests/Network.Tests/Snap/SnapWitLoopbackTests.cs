using BeamSync.Core;
using BeamSync.Core.Crypto;
using BeamSync.Network.Peers;
using BeamSync.Network.Snap;
using BeamSync.Network.Tests.Peers;
using BeamSync.Network.Wit;

namespace BeamSync.Network.Tests.Snap;

public class SnapWitLoopbackTests
{
    private static Hash256 H(int i) { var b = new byte[32]; b[0] = (byte)i; b[31] = 1; return new Hash256(b); }
    private static readonly Hash256 Root = Keccak256.Hash("state root"u8);

    private static InMemorySnapServer Server()
    {
        var s = new InMemorySnapServer();
        s.Roots.Add(Root);
        for (int i = 1; i <= 20; i++) s.Accounts[H(i * 10)] = Rlp.EncodeList(Rlp.Encode((ulong)i), Rlp.Encode(0UL), Rlp.EmptyString, Rlp.EmptyString);
        s.Storage[H(10)] = new SortedDictionary<Hash256, byte[]> { [H(1)] = [0x01], [H(2)] = [0x02], [H(3)] = [0x03] };
        var code = "contract code"u8.ToArray();
        s.Codes[Keccak256.Hash(code)] = code;
        s.NodesByPath[""] = Rlp.EncodeList(Rlp.EncodeBytes("root node"u8));
        s.NodesByPath["1a/"] = Rlp.EncodeList(Rlp.EncodeBytes("storage root node"u8));
        return s;
    }

    private static IEnumerable<IProtocolFactory> Extras(LoopbackNode n)
    {
        var block = n.Chain.HeadHash;
        n.Nodes.SetWitness(block, [H(7), H(8)]);
        return [new SnapProtocol(Server(), SnapVersions.Snap1), new WitProtocol(n.Nodes)];
    }

    [Fact]
    public async Task Two_nodes_exchange_every_snap_and_wit_message_in_both_directions()
    {
        await using var a = new LoopbackNode(5, [68], Extras);
        await using var b = new LoopbackNode(5, [68], Extras);
        var session = await a.Pool.ConnectAsync(b.Pool.LocalEnode);
        Assert.Equal(["eth/68", "snap/1", "wit/0"], session.Shared.Select(s => $"{s.Name}/{s.Version}"));
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (b.Pool.Peers.Count == 0 && DateTime.UtcNow < deadline) await Task.Delay(20);
        var other = b.Pool.Peers.Single();

        foreach (var (s, server) in new[] { (session, b), (other, a) })
        {
            await s.Protocol<Network.Eth.EthHandler>()!.StatusExchanged;
            var snap = s.Protocol<SnapHandler>()!;
            var range = await snap.GetAccountRangeAsync(Root, H(25), H(60));
            Assert.Equal([H(30), H(40), H(50), H(60)], range.Accounts.Select(x => x.Hash));
            var small = await snap.GetAccountRangeAsync(Root, Hash256.Zero, SnapHandler.MaxHash, responseBytes: 1);
            Assert.Single(small.Accounts); // at least one account, even past the budget
            Assert.Empty((await snap.GetAccountRangeAsync(Keccak256.Hash("stale root"u8), Hash256.Zero, SnapHandler.MaxHash)).Accounts);

            var storage = await snap.GetStorageRangesAsync(Root, [H(10)], Hash256.Zero, SnapHandler.MaxHash);
            Assert.Equal([[0x01], [0x02], [0x03]], storage.Slots.Single().Select(x => x.Value));

            var code = "contract code"u8.ToArray();
            Assert.Equal([code], await snap.GetByteCodesAsync([Keccak256.Hash("absent"u8), Keccak256.Hash(code)]));

            var nodes = await snap.GetTrieNodesAsync(Root, [new TrieNodePathSet([], []), new TrieNodePathSet([0x1a], [[]])]);
            Assert.Equal(2, nodes.Count);

            var wit = s.Protocol<WitHandler>()!;
            Assert.Equal([H(7), H(8)], await wit.GetBlockWitnessHashesAsync(server.Chain.HeadHash));
            Assert.Empty(await wit.GetBlockWitnessHashesAsync(Hash256.Zero));
        }
    }
}
