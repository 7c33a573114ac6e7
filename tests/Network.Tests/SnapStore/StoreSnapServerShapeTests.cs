using BeamSync.Core;
using BeamSync.Core.Crypto;
using BeamSync.Db;
using BeamSync.Network.Snap;
using BeamSync.Trie;

namespace BeamSync.Network.Tests.SnapStore;

/// <summary>Trie shapes the random-key fixture rarely has: an extension at the root and leaves inline in a branch.</summary>
public class StoreSnapServerShapeTests
{
    [Fact]
    public void Paths_through_an_extension_resolve_and_inline_nodes_are_not_served_alone()
    {
        var store = new MemoryKeyValueStore();
        var trie = new PatriciaTrie(EmptyNodeSource.Instance);
        var prefix = Enumerable.Repeat((byte)0xab, 31).ToArray();
        var big = Enumerable.Repeat((byte)7, 40).ToArray(); // long enough to be stored under its hash
        trie.Set([.. prefix, 0x10], big);
        trie.Set([.. prefix, 0x20], big);
        trie.Set([.. prefix, 0x30], [0x01]); // a tiny leaf: inline in its parent branch
        var root = trie.Commit(store);
        var roots = new RecentStateRoots();
        roots.Add(root);
        var server = new StoreSnapServer(store, roots);

        var extensionPath = Nibbles.FromBytes(prefix); // 62 nibbles of extension, then the branch
        var branch = server.GetTrieNodes(root, [new TrieNodePathSet(SnapStateFixture.Compact(extensionPath), [])], 1 << 20).Single();
        Assert.IsType<BranchNode>(NodeDecoder.Decode(Keccak256.Hash(branch), branch));
        var leaf = server.GetTrieNodes(root, [new TrieNodePathSet(SnapStateFixture.Compact([.. extensionPath, 1]), [])], 1 << 20).Single();
        Assert.Equal(big, Assert.IsType<LeafNode>(NodeDecoder.Decode(Keccak256.Hash(leaf), leaf)).Value);

        Assert.Empty(server.GetTrieNodes(root, [new TrieNodePathSet(SnapStateFixture.Compact([.. extensionPath, 3]), [])], 1 << 20)); // inline
        Assert.Empty(server.GetTrieNodes(root, [new TrieNodePathSet(SnapStateFixture.Compact([.. extensionPath[..10]]), [])], 1 << 20)); // inside the extension
        Assert.Empty(server.GetTrieNodes(root, [new TrieNodePathSet(SnapStateFixture.Compact([.. extensionPath[..61], 0xc]), [])], 1 << 20)); // diverges
    }
}
