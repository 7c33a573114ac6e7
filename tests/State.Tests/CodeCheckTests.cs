using BeamSync.Core;
using BeamSync.Core.Crypto;
using BeamSync.Db;
using BeamSync.Trie;

namespace BeamSync.State.Tests;

/// <summary>Code is checked against its hash at the seam, like trie nodes: a peer's wrong code never runs.</summary>
public sealed class CodeCheckTests
{
    private sealed class LyingSource(INodeSource inner, byte[] code) : INodeSource
    {
        public byte[]? GetNode(Hash256 hash, TrieOwner owner, ReadOnlySpan<byte> path, ReadOnlySpan<byte> keyNibbles) => inner.GetNode(hash, owner, path, keyNibbles);
        public byte[]? GetCode(Hash256 codeHash) => code;
    }

    [Fact]
    public void Code_that_does_not_hash_to_the_code_hash_is_refused()
    {
        var store = new MemoryKeyValueStore();
        byte[] code = [0x60, 0x01, 0x60, 0x00, 0x55];
        var codeHash = Keccak256.Hash(code);
        var address = Address.Parse("0x00000000000000000000000000000000000000cc");
        var root = new TrieStateStore(store).Commit([new AccountChange(address, false, 1, UInt256.One, codeHash, code, true, [])]);

        Assert.Equal(code, new TrieStateStore(store, root).GetCode(codeHash));
        var lying = new TrieStateStore(store, root, new LyingSource(new StoreNodeSource(store), [0x60, 0x02, 0x60, 0x00, 0x55]));
        var e = Assert.Throws<TrieNodeCorruptException>(() => lying.GetCode(codeHash));
        Assert.Equal(codeHash, e.Hash);
    }
}
