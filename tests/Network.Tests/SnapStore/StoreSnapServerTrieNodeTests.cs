using BeamSync.Core;
using BeamSync.Core.Crypto;
using BeamSync.Network.Snap;
using BeamSync.Trie;

namespace BeamSync.Network.Tests.SnapStore;

public class StoreSnapServerTrieNodeTests(SnapStateFixture state) : IClassFixture<SnapStateFixture>
{
    private const int Unlimited = 64 * 1024 * 1024;

    /// <summary>The hash-referenced children of a node with the nibble path each sits at.</summary>
    private static IEnumerable<(byte[] Path, Hash256 Hash)> Children(byte[] path, byte[] rlp)
    {
        var node = NodeDecoder.Decode(Keccak256.Hash(rlp), rlp);
        if (node is ExtensionNode { Child: HashNode ext }) yield return (Nibbles.Concat(path, ((ExtensionNode)node).Path), ext.Hash);
        if (node is BranchNode branch)
            for (int i = 0; i < 16; i++)
                if (branch.Children[i] is HashNode child) yield return (Nibbles.Concat(path, [(byte)i]), child.Hash);
    }

    [Fact]
    public void Every_account_trie_node_served_by_path_hashes_to_what_its_parent_references()
    {
        var server = state.Server();
        var level = new List<(byte[] Path, Hash256 Hash)> { ([], state.Root) };
        int served = 0, leaves = 0;
        while (level.Count > 0)
        {
            var next = new List<(byte[] Path, Hash256 Hash)>();
            foreach (var chunk in level.Chunk(500))
            {
                var nodes = server.GetTrieNodes(state.Root, chunk.Select(p => new TrieNodePathSet(SnapStateFixture.Compact(p.Path), [])).ToList(), Unlimited);
                Assert.Equal(chunk.Length, nodes.Count);
                for (int i = 0; i < chunk.Length; i++)
                {
                    Assert.Equal(chunk[i].Hash, Keccak256.Hash(nodes[i]));
                    if (NodeDecoder.Decode(chunk[i].Hash, nodes[i]) is LeafNode) leaves++;
                    next.AddRange(Children(chunk[i].Path, nodes[i]));
                }
                served += nodes.Count;
            }
            level = next;
        }
        Assert.Equal(SnapStateFixture.AccountCount, leaves); // the walk reached every account's leaf by its path
        Assert.True(served > SnapStateFixture.AccountCount);
    }

    [Fact]
    public void Storage_paths_resolve_in_the_accounts_storage_trie()
    {
        var storageRoot = SlimAccount.StorageRoot(state.Accounts[state.BigStorageAccount]);
        var rootNode = state.Server().GetTrieNodes(state.Root, [new TrieNodePathSet(state.BigStorageAccount.ToArray(), [SnapStateFixture.Compact([])])], Unlimited).Single();
        Assert.Equal(storageRoot, Keccak256.Hash(rootNode));
        var children = Children([], rootNode).ToList();
        Assert.NotEmpty(children);
        var nodes = state.Server().GetTrieNodes(state.Root,
            [new TrieNodePathSet(state.BigStorageAccount.ToArray(), children.Select(c => SnapStateFixture.Compact(c.Path)).ToList())], Unlimited);
        Assert.Equal(children.Select(c => c.Hash), nodes.Select(n => Keccak256.Hash(n)));
    }

    [Fact]
    public void The_reply_stops_at_the_first_path_without_a_node_and_at_the_byte_budget()
    {
        var server = state.Server();
        var rootNode = server.GetTrieNodes(state.Root, [new TrieNodePathSet(SnapStateFixture.Compact([]), [])], Unlimited).Single();
        var child = Children([], rootNode).First();
        var deepMissing = new byte[64]; // a full-depth path in the account trie: every account's leaf sits far above it
        var request = new List<TrieNodePathSet>
        {
            new(SnapStateFixture.Compact([]), []), new(SnapStateFixture.Compact(child.Path), []), new(SnapStateFixture.Compact(deepMissing), []), new(SnapStateFixture.Compact(child.Path), []),
        };
        var nodes = server.GetTrieNodes(state.Root, request, Unlimited);
        Assert.Equal([state.Root, child.Hash], nodes.Select(n => Keccak256.Hash(n)));

        Assert.Single(server.GetTrieNodes(state.Root, [new(SnapStateFixture.Compact([]), []), new(SnapStateFixture.Compact(child.Path), [])], 1));
        Assert.Empty(server.GetTrieNodes(state.Root, [new([0x40], [])], Unlimited)); // not hex-prefix: flags above 3
        Assert.Empty(server.GetTrieNodes(state.Root, [new(Keccak256.HashToArray("unknown account"u8), [SnapStateFixture.Compact([])])], Unlimited));
    }
}
