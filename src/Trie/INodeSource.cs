using BeamSync.Core;

namespace BeamSync.Trie;

/// <summary>
/// The one seam every trie read goes through: node RLP by hash, and code by code hash. Returning null means "absent";
/// the trie then throws <see cref="MissingTrieNodeException"/> with the node's hash, trie and path. A source may
/// instead block inside the call until the node arrives (see <see cref="WaitingNodeSource"/>). Callers verify what
/// a source returns against the hash, so a source need not. Implementations must be thread-safe.
/// </summary>
public interface INodeSource
{
    /// <summary>
    /// The RLP of the node with <paramref name="hash"/>, or null when absent. <paramref name="owner"/> and
    /// <paramref name="path"/> (nibbles from the owner trie's root) say where it sits, for fetchers that ask by path;
    /// <paramref name="keyNibbles"/> is the whole key the reader is after (empty for a walk, a proof or an
    /// iteration), for fetchers that ask by key with a range proof.
    /// </summary>
    byte[]? GetNode(Hash256 hash, TrieOwner owner, ReadOnlySpan<byte> path, ReadOnlySpan<byte> keyNibbles);

    /// <summary>The code with <paramref name="codeHash"/>, or null when absent.</summary>
    byte[]? GetCode(Hash256 codeHash);

    /// <summary>
    /// Whether what this source returns was checked against its hash before it was stored (our own store: nodes are
    /// stored under the hash they were verified or computed to have, and RocksDB's checksums cover the disk), so a
    /// reader need not hash it again. False, the default, for anything from a peer: that is always hashed.
    /// <c>beamsync verify-state</c> hashes every node whatever this says.
    /// </summary>
    bool ReturnsVerifiedNodes => false;
}

/// <summary>
/// Where new nodes go on commit. Separate from <see cref="INodeSource"/> so that a read-only or fetching source can
/// sit behind a trie that still commits into the local store.
/// </summary>
public interface INodeSink
{
    void PutNode(Hash256 hash, ReadOnlySpan<byte> rlp);
}
