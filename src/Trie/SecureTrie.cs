using BeamSync.Core;
using BeamSync.Core.Crypto;

namespace BeamSync.Trie;

/// <summary>
/// The trie Ethereum keeps state in: every key is replaced by its Keccak-256 before it reaches the
/// <see cref="PatriciaTrie"/>, so paths are uniform and 64 nibbles long. Not safe for concurrent use.
/// </summary>
public sealed class SecureTrie(PatriciaTrie inner)
{
    public SecureTrie(INodeSource source, Hash256 rootHash = default, TrieOwner owner = default)
        : this(new PatriciaTrie(source, rootHash, owner)) { }

    public PatriciaTrie Inner => inner;
    public Hash256 RootHash => inner.RootHash;

    public byte[]? Get(ReadOnlySpan<byte> key)
    {
        Span<byte> hashed = stackalloc byte[32];
        Keccak256.Hash(key, hashed);
        return inner.Get(hashed);
    }

    public void Set(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
    {
        Span<byte> hashed = stackalloc byte[32];
        Keccak256.Hash(key, hashed);
        inner.Set(hashed, value);
    }

    public bool Delete(ReadOnlySpan<byte> key)
    {
        Span<byte> hashed = stackalloc byte[32];
        Keccak256.Hash(key, hashed);
        return inner.Delete(hashed);
    }

    public Hash256 Commit(INodeSink sink, bool unload = false) => inner.Commit(sink, unload);
}
