using BeamSync.Core;
using BeamSync.Core.Crypto;
using BeamSync.Network.Peers;
using BeamSync.Network.Rlpx;
using BeamSync.Network.Snap;
using BeamSync.Network.Tests.Peers;

namespace BeamSync.Network.Tests.Snap;

/// <summary>snap/2 (caps/snap2.md) beside snap/1: negotiation, block access lists, and the reserved trie-node ids.</summary>
public class Snap2Tests
{
    private static readonly Hash256 Root = Keccak256.Hash("state root"u8);
    private static readonly Hash256 Account = Keccak256.Hash("account"u8);

    private static InMemorySnapServer Server()
    {
        var s = new InMemorySnapServer();
        s.Roots.Add(Root);
        s.Accounts[Account] = Rlp.EncodeList(Rlp.Encode(1UL), Rlp.Encode(0UL), Rlp.EmptyString, Rlp.EmptyString);
        return s;
    }

    private sealed class OneList(Hash256 block, byte[] list) : IBlockAccessListSource
    {
        public byte[]? GetBlockAccessList(Hash256 blockHash) => blockHash == block ? list : null;
    }

    private static async Task<(PeerSession Ours, PeerSession Theirs)> ConnectAsync(LoopbackNode a, LoopbackNode b)
    {
        var session = await a.Pool.ConnectAsync(b.Pool.LocalEnode);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (b.Pool.Peers.Count == 0 && DateTime.UtcNow < deadline) await Task.Delay(20);
        await session.Protocol<Network.Eth.EthHandler>()!.StatusExchanged;
        return (session, b.Pool.Peers.Single());
    }

    [Theory]
    [InlineData(SnapVersions.Both, SnapVersions.Both, "snap/2")]
    [InlineData(SnapVersions.Both, SnapVersions.Snap1, "snap/1")]
    [InlineData(SnapVersions.Snap2, SnapVersions.Both, "snap/2")]
    public async Task The_highest_shared_version_is_negotiated(SnapVersions ours, SnapVersions theirs, string expected)
    {
        await using var a = new LoopbackNode(2, [68], _ => [new SnapProtocol(null, ours)]);
        await using var b = new LoopbackNode(2, [68], _ => [new SnapProtocol(Server(), theirs)]);
        var (session, _) = await ConnectAsync(a, b);
        Assert.Equal(["eth/68", expected], session.Shared.Select(s => $"{s.Name}/{s.Version}"));
        // Both versions serve a read by key: origin = limit = the account's hashed key.
        var range = await session.Protocol<SnapHandler>()!.GetAccountRangeAsync(Root, Account, Account, 64);
        Assert.Equal([Account], range.Accounts.Select(x => x.Hash));
    }

    [Fact]
    public async Task Snap1_and_snap2_only_nodes_share_no_snap()
    {
        await using var a = new LoopbackNode(2, [68], _ => [new SnapProtocol(null, SnapVersions.Snap1)]);
        await using var b = new LoopbackNode(2, [68], _ => [new SnapProtocol(Server(), SnapVersions.Snap2)]);
        var (session, _) = await ConnectAsync(a, b);
        Assert.Null(session.Protocol<SnapHandler>());
    }

    [Fact]
    public async Task Block_access_lists_are_answered_in_request_order_with_empty_entries_for_blocks_without_one()
    {
        var known = Keccak256.Hash("block with a list"u8);
        var list = Rlp.EncodeList(Rlp.EncodeList(Rlp.EncodeBytes(new byte[20])));
        await using var a = new LoopbackNode(2, [68], _ => [new SnapProtocol(null)]);
        await using var b = new LoopbackNode(2, [68], _ => [new SnapProtocol(Server(), SnapVersions.Both, new OneList(known, list))]);
        var (session, _) = await ConnectAsync(a, b);
        var snap = session.Protocol<SnapHandler>()!;
        var answer = await snap.GetBlockAccessListsAsync([Hash256.Zero, known, Keccak256.Hash("other"u8)]);
        Assert.Equal(3, answer.Count);
        Assert.Null(answer[0]);
        Assert.Equal(list, answer[1]);
        Assert.Null(answer[2]);
        // Over a tiny budget the tail is cut, never the first entry.
        Assert.Single(await snap.GetBlockAccessListsAsync([known, known, known], responseBytes: 1));
        await Assert.ThrowsAsync<NotSupportedException>(() => snap.GetTrieNodesAsync(Root, [new TrieNodePathSet([], [])]));
    }

    [Fact]
    public async Task Snap1_has_no_block_access_lists()
    {
        await using var a = new LoopbackNode(2, [68], _ => [new SnapProtocol(null, SnapVersions.Snap1)]);
        await using var b = new LoopbackNode(2, [68], _ => [new SnapProtocol(Server(), SnapVersions.Snap1)]);
        var (session, _) = await ConnectAsync(a, b);
        await Assert.ThrowsAsync<NotSupportedException>(() => session.Protocol<SnapHandler>()!.GetBlockAccessListsAsync([Hash256.Zero]));
    }

    /// <summary>snap/1's ids end before 0x08, so only snap/2's reserved pair can be sent on a session and be wrong.</summary>
    [Theory]
    [InlineData(SnapMessageId.GetTrieNodes)]
    [InlineData(SnapMessageId.TrieNodes)]
    public async Task A_trie_node_message_on_snap2_is_a_breach(int code)
    {
        await using var a = new LoopbackNode(2, [68], _ => [new SnapProtocol(null)]);
        await using var b = new LoopbackNode(2, [68], _ => [new SnapProtocol(Server())]);
        var (session, theirs) = await ConnectAsync(a, b);
        var snap = session.Shared.Single(s => s.Name == SnapProtocol.Name);
        Assert.Equal(2, snap.Version);
        var body = Rlp.EncodeList(Rlp.Encode(1UL), Rlp.EncodeBytes(Root.Bytes), Rlp.EncodeList(Rlp.EncodeList(Rlp.EmptyString)), Rlp.Encode(1024UL));
        await session.SendAsync(snap, code, body);
        Assert.Equal(DisconnectReason.BreachOfProtocol, await theirs.Closed.WaitAsync(TimeSpan.FromSeconds(10)));
    }
}
