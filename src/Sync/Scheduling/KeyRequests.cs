using BeamSync.Core;
using BeamSync.Core.Crypto;
using BeamSync.Db;
using BeamSync.Network.Snap;
using BeamSync.Sync.Peers;
using BeamSync.Trie;

namespace BeamSync.Sync.Scheduling;

/// <summary>
/// Reads by key with a proof (beam-design.md, "three wire forms"): a missing account or slot becomes a snap range
/// request with origin = limit = its hashed key and a small byte limit. The boundary proof is the trie path from the
/// root to that key (and, when the key is absent, to the next one), so once the range verifies against the root,
/// every node of those paths is proven and stored: a whole path in one round trip, on snap/1 and snap/2 alike. A
/// node met without a key is asked as the range of its subtrie (see <see cref="Interval"/>).
/// Pure functions over the peer's answer; thread-safe.
/// </summary>
internal static class KeyRequests
{
    /// <summary>Two edge paths of at most 64 nibbles each, one node per nibble and the root: more is no boundary proof.</summary>
    public const int MaxProofNodes = 2 * (2 * Hash256.Size + 1);

    /// <summary>What a by-key answer gave: proven nodes, whether it was wrong (penalize, store nothing), or empty.</summary>
    internal sealed record Answer(List<(Hash256 Hash, byte[] Bytes)> Nodes, bool Wrong, string? Error)
    {
        /// <summary>The spec's empty answer: the peer does not serve the requested root (it left the peer's window).</summary>
        public static readonly Answer RootUnknown = new([], false, null) { LacksRoot = true };
        public bool LacksRoot { get; private init; }
        public static Answer Rejected(string error) => new([], true, error);
    }

    /// <summary>
    /// A miss on the way to an account or slot: its path leads to the key. A node the reader needed beside its key
    /// (a sibling resolved when a deletion collapses a branch) is asked as its subtrie's range instead.
    /// </summary>
    public static bool IsKeyed(MissingNode node)
    {
        if (node.Key.Length != Hash256.Size || node.Kind is not (ReadKind.Account or ReadKind.Storage)) return false;
        for (int i = 0; i < node.Path.Length; i++)
            if (node.Path[i] != ((i & 1) == 0 ? node.Key[i >> 1] >> 4 : node.Key[i >> 1] & 0xf)) return false;
        return true;
    }

    /// <summary>
    /// A node met with no key (a backfill walk) is asked as the range over its subtrie's key interval: origin and
    /// limit are its path filled with 0 and with f. An answer that holds the whole interval rebuilds the subtrie (every
    /// node of it in one round trip); a cut one still proves the node itself, which lies on the origin's path.
    /// </summary>
    public static (Hash256 Origin, Hash256 Limit) Interval(ReadOnlySpan<byte> pathNibbles)
    {
        var origin = new byte[2 * Hash256.Size];
        var limit = new byte[2 * Hash256.Size];
        limit.AsSpan().Fill(0xf);
        pathNibbles.CopyTo(origin);
        pathNibbles.CopyTo(limit);
        return (new Hash256(Nibbles.ToBytes(origin)), new Hash256(Nibbles.ToBytes(limit)));
    }

    /// <param name="keyResponseBytes">The byte limit of a read by key.</param>
    /// <param name="rangeResponseBytes">The byte limit of a subtrie's range.</param>
    public static Task<Answer> FetchAsync(ISyncPeer peer, IKeyValueStore store, MissingNode node, Hash256 stateRoot,
        int keyResponseBytes, int rangeResponseBytes, CancellationToken ct)
    {
        if (!IsKeyed(node)) return FetchSubtriesAsync(peer, store, [node], stateRoot, rangeResponseBytes, ct);
        var key = new Hash256(node.Key);
        return RangeAsync(peer, store, node, stateRoot, key, key, keyResponseBytes, null, ct);
    }

    /// <summary>
    /// One range over absent subtries of one trie (<paramref name="subtries"/> in key order, each <see cref="Adjacent"/> to the
    /// previous one): one round trip where one per subtrie would be many.
    /// </summary>
    public static Task<Answer> FetchSubtriesAsync(ISyncPeer peer, IKeyValueStore store, IReadOnlyList<MissingNode> subtries, Hash256 stateRoot, int responseBytes, CancellationToken ct) =>
        RangeAsync(peer, store, subtries[0], stateRoot, Interval(subtries[0].Path).Origin, Interval(subtries[^1].Path).Limit, responseBytes, subtries, ct);

    /// <summary>The range from <paramref name="origin"/> to <paramref name="limit"/> of <paramref name="first"/>'s trie; <paramref name="subtries"/> null for a read by key.</summary>
    private static async Task<Answer> RangeAsync(ISyncPeer peer, IKeyValueStore store, MissingNode first, Hash256 stateRoot, Hash256 origin, Hash256 limit,
        int responseBytes, IReadOnlyList<MissingNode>? subtries, CancellationToken ct)
    {
        var keys = new List<byte[]>();
        var values = new List<byte[]>();
        if (first.Owner.IsAccountTrie)
        {
            var range = await peer.GetAccountRangeAsync(stateRoot, origin, limit, responseBytes, ct).ConfigureAwait(false);
            if (range.Accounts.Count == 0 && range.Proof.Count == 0) return Answer.RootUnknown;
            foreach (var account in range.Accounts)
            {
                keys.Add(account.Hash.ToArray());
                try { values.Add(SlimAccount.ToConsensus(account.Body)); }
                catch (RlpException e) { return Answer.Rejected("malformed slim account: " + e.Message); }
            }
            return Verify(stateRoot, origin, keys, values, range.Proof, responseBytes, subtries);
        }

        // A storage trie's root is the miss itself when the miss is at its top; otherwise the account, when the store
        // holds its path under the request's root, names it.
        var owner = first.Owner.AccountHash;
        var storageRoot = first.Path.Length == 0 ? first.Hash : LocalStorageRoot(store, stateRoot, owner);
        // Without that root only the first miss can anchor a proof: its interval goes alone.
        if (storageRoot is null && subtries is { Count: > 1 }) limit = Interval(first.Path).Limit;
        var ranges = await peer.GetStorageRangesAsync(stateRoot, [owner], origin, limit, responseBytes, ct).ConfigureAwait(false);
        if (ranges.Slots.Count == 0) return Answer.RootUnknown; // the account was read under that root: only the root can be unknown
        if (ranges.Slots.Count > 1) return Answer.Rejected("storage ranges for accounts not asked");
        // With no root to check the range against, the missing node itself anchors the proof: its path below it
        // is hash-chained from it, so it holds whatever the answer claims about the slots.
        if (storageRoot is not { } trieRoot) return BelowMissing(first, ranges.Proof);
        foreach (var slot in ranges.Slots[0]) { keys.Add(slot.Hash.ToArray()); values.Add(slot.Value); }
        return Verify(trieRoot, origin, keys, values, ranges.Proof, responseBytes, subtries);
    }

    /// <summary>
    /// Whether one range should cover the subtrie at <paramref name="next"/> right after the one at
    /// <paramref name="previous"/>: its interval starts where the previous one's ends. Not across a local subtrie
    /// between them: that may be a whole subtrie a cut answer kept, and asking it again would fill the answer with it.
    /// </summary>
    public static bool Adjacent(byte[] previous, byte[] next)
    {
        var after = Interval(previous).Limit.ToArray();
        for (int i = after.Length - 1; i >= 0; i--)
            if (++after[i] != 0) return after.AsSpan().SequenceEqual(Interval(next).Origin.Bytes);
        return false; // the previous interval ends the key space
    }

    /// <summary>
    /// Whether entries (counted as the server counts them: key and value, <paramref name="before"/> carrying the count
    /// of earlier lists of the same answer) pass the byte limit by more than the one entry the server may add past it.
    /// </summary>
    internal static bool PastLimit(List<byte[]> keys, List<byte[]> values, int responseBytes, ref int before, bool lastOfAnswer)
    {
        for (int i = 0; i < keys.Count; i++)
            if ((before += keys[i].Length + values[i].Length) >= responseBytes && !(lastOfAnswer && i == keys.Count - 1)) return true;
        return false;
    }

    /// <summary>
    /// The range must be exactly the trie's entries from the key on (so a key present is never omitted nor claimed
    /// absent), proven against <paramref name="root"/>, and within the byte limit (the server may pass it by one
    /// entry only). For a read by key, the nodes of the proof along the key's path and the last entry's are returned.
    /// For absent <paramref name="subtries"/> (in key order, the first one's interval starting at the key),
    /// each one the answer holds whole is rebuilt, and of the one it cuts, every part it proves (<see cref="KeepProven"/>).
    /// </summary>
    internal static Answer Verify(Hash256 root, Hash256 key, List<byte[]> keys, List<byte[]> values, IReadOnlyList<byte[]> proof, int responseBytes,
        IReadOnlyList<MissingNode>? subtries = null)
    {
        int before = 0;
        if (PastLimit(keys, values, responseBytes, ref before, lastOfAnswer: true)) return Answer.Rejected($"{keys.Count} entries past a {responseBytes}-byte limit");
        if (proof.Count > MaxProofNodes) return Answer.Rejected($"{proof.Count} proof nodes for one key");
        var origin = key.ToArray();
        if (!RangeProof.TryVerify(root, origin, keys, values, proof.Count == 0 ? null : proof, out bool hasMore, out var error))
            return Answer.Rejected(error!);
        var set = Proof.ToNodeSet(proof);
        var nodes = new List<(Hash256 Hash, byte[] Bytes)>();
        if (subtries is null)
        {
            var seen = new HashSet<Hash256>();
            CollectPath(root, origin, set, seen, nodes);
            if (keys.Count > 0) CollectPath(root, keys[^1], set, seen, nodes);
            return new Answer(nodes, false, null);
        }
        int next = 0;
        foreach (var absent in subtries)
        {
            var (from, limit) = Interval(absent.Path);
            // Entries between two subtries (of a local subtrie the range passes over) belong to neither.
            while (next < keys.Count && keys[next].AsSpan().SequenceCompareTo(from.Bytes) < 0) next++;
            int first = next;
            while (next < keys.Count && keys[next].AsSpan().SequenceCompareTo(limit.Bytes) <= 0) next++;
            // Whole when the answer reached the interval's limit, went past it, or reached the trie's end.
            bool whole = !hasMore || next < keys.Count || next > first && keys[next - 1].AsSpan().SequenceEqual(limit.Bytes);
            if (whole && Rebuild(absent, keys.GetRange(first, next - first), values.GetRange(first, next - first)) is { } rebuilt)
            {
                nodes.AddRange(rebuilt);
                continue;
            }
            if (next > first) KeepProven(absent, from, set, keys, values, nodes);
            if (!whole) break;
        }
        return new Answer(nodes, false, null);
    }

    /// <summary>
    /// What a range cut inside <paramref name="cut"/>'s subtrie still proves of it: the node itself (on the proof's
    /// path to the last key), every child subtrie whose whole interval lies between <paramref name="origin"/> and
    /// the last key (all its entries came, so it is rebuilt and checked against the hash its parent names), and the
    /// same again inside the child that holds the last key. Nothing proven is thrown away; the subtries after the last
    /// key stay absent and are asked next, as one range.
    /// </summary>
    internal static void KeepProven(MissingNode cut, Hash256 origin, Dictionary<Hash256, byte[]> proofSet, List<byte[]> keys, List<byte[]> values,
        List<(Hash256 Hash, byte[] Bytes)> into)
    {
        var lastKey = keys[^1];
        var hash = cut.Hash;
        var path = cut.Path;
        while (proofSet.TryGetValue(hash, out var blob))
        {
            into.Add((hash, blob));
            Node node;
            try { node = NodeDecoder.Decode(hash, blob); }
            catch (TrieNodeCorruptException) { return; }
            (Hash256 Hash, byte[] Path)? onLastKey = null;
            switch (node)
            {
                case BranchNode branch:
                    for (int nibble = 0; nibble < 16; nibble++)
                        if (branch.Children[nibble] is HashNode child) Child(child.Hash, Nibbles.Concat(path, [(byte)nibble]));
                    break;
                case ExtensionNode { Child: HashNode child } ext:
                    Child(child.Hash, Nibbles.Concat(path, ext.Path));
                    break;
            }
            if (onLastKey is not { } descend) return;
            (hash, path) = descend;

            void Child(Hash256 childHash, byte[] childPath)
            {
                var (from, limit) = Interval(childPath);
                if (from.Bytes.SequenceCompareTo(origin.Bytes) < 0) return;
                if (limit.Bytes.SequenceCompareTo(lastKey) < 0)
                {
                    int first = keys.FindIndex(k => k.AsSpan().SequenceCompareTo(from.Bytes) >= 0);
                    int end = keys.FindIndex(k => k.AsSpan().SequenceCompareTo(limit.Bytes) > 0);
                    if (first < 0 || end < 0) return;
                    if (Rebuild(MissingNode.Structural(childHash, cut.Owner, childPath), keys.GetRange(first, end - first), values.GetRange(first, end - first)) is { } rebuilt)
                        into.AddRange(rebuilt);
                }
                else if (from.Bytes.SequenceCompareTo(lastKey) <= 0) onLastKey = (childHash, childPath);
            }
        }
    }

    /// <summary>
    /// The nodes of the subtrie at <paramref name="absent"/>'s path from all its entries: a trie of those entries alone
    /// is the subtrie under an extension or leaf that also carries the path, so stripping the path from that top node
    /// gives the node at the path. Null when the result does not hash to the absent node (not the whole subtrie).
    /// </summary>
    internal static List<(Hash256 Hash, byte[] Bytes)>? Rebuild(MissingNode absent, List<byte[]> keys, List<byte[]> values)
    {
        if (keys.Count == 0) return null;
        var sink = new CollectingSink();
        // A range answer is in key order (verified), so it is built left to right, each node encoded once.
        var standaloneRoot = SortedTrieBuilder.Build(keys, values, sink);
        int strip = absent.Path.Length;
        if (strip == 0) return standaloneRoot == absent.Hash ? sink.Nodes.Select(p => (p.Key, p.Value)).ToList() : null;
        if (strip > 0)
        {
            Node top = NodeDecoder.Decode(standaloneRoot, sink.Nodes[standaloneRoot]);
            byte[] encoded;
            switch (top)
            {
                case LeafNode leaf when leaf.Path.Length > strip:
                    encoded = Hasher.Encode(new LeafNode(leaf.Path[strip..], leaf.Value));
                    break;
                case ExtensionNode ext when ext.Path.Length > strip:
                    encoded = Hasher.Encode(new ExtensionNode(ext.Path[strip..], ext.Child));
                    break;
                case ExtensionNode { Child: HashNode child } ext when ext.Path.Length == strip:
                    encoded = sink.Nodes[child.Hash];
                    break;
                default:
                    return null;
            }
            sink.Nodes.Remove(standaloneRoot);
            sink.Nodes[Keccak256.Hash(encoded)] = encoded;
        }
        if (!sink.Nodes.ContainsKey(absent.Hash)) return null;
        return sink.Nodes.Select(p => (p.Key, p.Value)).ToList();
    }

    private sealed class CollectingSink : INodeSink
    {
        public Dictionary<Hash256, byte[]> Nodes { get; } = [];
        public void PutNode(Hash256 hash, ReadOnlySpan<byte> rlp) => Nodes[hash] = rlp.ToArray();
    }

    /// <summary>The proof's nodes from the missing node down its key (or its interval's origin), when the proof holds it.</summary>
    private static Answer BelowMissing(MissingNode node, IReadOnlyList<byte[]> proof)
    {
        var key = IsKeyed(node) ? node.Key : Interval(node.Path).Origin.ToArray();
        var nodes = new List<(Hash256, byte[])>();
        CollectPath(node.Hash, key, Proof.ToNodeSet(proof), [], nodes, node.Path.Length);
        return new Answer(nodes, false, null);
    }

    /// <summary>
    /// Follows <paramref name="key"/> from <paramref name="top"/> (a node at <paramref name="depth"/> nibbles, the
    /// root when 0) through the proof's nodes, each named by hash in its verified parent.
    /// </summary>
    private static void CollectPath(Hash256 top, byte[] key, Dictionary<Hash256, byte[]> set, HashSet<Hash256> seen, List<(Hash256, byte[])> into, int depth = 0)
    {
        var nibbles = Nibbles.FromBytes(key);
        int at = depth;
        var root = top;
        Node? node = new HashNode(root);
        while (node is not null)
        {
            switch (node)
            {
                case HashNode reference:
                    if (!set.TryGetValue(reference.Hash, out var blob)) return;
                    if (seen.Add(reference.Hash)) into.Add((reference.Hash, blob));
                    try { node = NodeDecoder.Decode(reference.Hash, blob); }
                    catch (TrieNodeCorruptException) { return; }
                    break;
                case BranchNode branch when at < nibbles.Length:
                    node = branch.Children[nibbles[at++]];
                    break;
                case ExtensionNode ext when nibbles.AsSpan(at).StartsWith(ext.Path):
                    at += ext.Path.Length;
                    node = ext.Child;
                    break;
                default:
                    return;
            }
        }
    }

    private static Hash256? LocalStorageRoot(IKeyValueStore store, Hash256 stateRoot, Hash256 accountHash)
    {
        try
        {
            var body = new PatriciaTrie(new StoreNodeSource(store), stateRoot, TrieOwner.AccountTrie).Get(accountHash.Bytes);
            return body is null ? null : SlimAccount.StorageRoot(body);
        }
        catch (Exception e) when (e is MissingTrieNodeException or TrieNodeCorruptException or RlpException)
        {
            return null;
        }
    }
}
