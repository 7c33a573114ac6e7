using BeamSync.Core;
using BeamSync.Network.Peers;
using BeamSync.Network.Snap;
using BeamSync.Network.Tests.Peers;
using BeamSync.Trie;

namespace BeamSync.Network.Tests.SnapStore;

public class StoreSnapServerLoopbackTests(SnapStateFixture state) : IClassFixture<SnapStateFixture>
{
    [Fact]
    public async Task A_peer_serving_from_its_store_returns_ranges_whose_proofs_verify_after_the_wire()
    {
        await using var server = new LoopbackNode(3, [68], _ => [new SnapProtocol(state.Server())]);
        await using var client = new LoopbackNode(3, [68], _ => [new SnapProtocol(null, SnapVersions.Snap1)]);
        var session = await client.Pool.ConnectAsync(server.Pool.LocalEnode);
        await session.Protocol<Network.Eth.EthHandler>()!.StatusExchanged;
        var snap = session.Protocol<SnapHandler>()!;

        var origin = SnapStateFixture.Next(state.Accounts.Keys.ElementAt(500));
        var range = await snap.GetAccountRangeAsync(state.Root, origin, SnapHandler.MaxHash, 8_000);
        Assert.NotEmpty(range.Accounts);
        Assert.True(RangeProof.Verify(state.Root, origin.ToArray(), range.Accounts.Select(a => a.Hash.ToArray()).ToList(),
            range.Accounts.Select(a => SlimAccount.ToConsensus(a.Body)).ToList(), range.Proof));

        var nodes = await snap.GetTrieNodesAsync(state.Root, [new TrieNodePathSet([0x00], [])]);
        Assert.Equal(state.Root, BeamSync.Core.Crypto.Keccak256.Hash(nodes.Single()));

        var code = state.Codes.First();
        Assert.Equal([code.Value], await snap.GetByteCodesAsync([code.Key]));
    }
}
