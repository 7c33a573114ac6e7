using BeamSync.Core;
using BeamSync.Network.Snap;
using BeamSync.Sync.Peers;
using BeamSync.Trie;

namespace BeamSync.Sync.Scheduling;

/// <summary>
/// Whole storage tries of several accounts in one GetStorageRanges (snap1.md: a request names a list of accounts;
/// the server answers each account's whole storage in turn, and only the one it cuts by the byte limit, always the
/// last, carries a proof). A storage trie asked whole is known by its root hash (the absent node at the top of it),
/// so an uncut answer is checked by rebuilding the trie and comparing roots, and a cut one by its proof against that
/// root; each account's part stands or falls alone. Pure functions over the peer's answer; thread-safe.
/// </summary>
internal static class StorageTrieRequests
{
    /// <summary>An absent storage trie root met with no key (a backfill walk, a warmer bringing a contract's storage whole).</summary>
    public static bool IsWholeTrie(MissingNode node) =>
        !node.IsCode && !node.Owner.IsAccountTrie && node.Path.Length == 0 && !KeyRequests.IsKeyed(node);

    /// <param name="roots">Whole-trie misses (<see cref="IsWholeTrie"/>) of distinct accounts, in the order asked.</param>
    public static async Task<KeyRequests.Answer> FetchAsync(ISyncPeer peer, IReadOnlyList<MissingNode> roots, Hash256 stateRoot, int responseBytes, CancellationToken ct)
    {
        var accounts = new Hash256[roots.Count];
        for (int i = 0; i < roots.Count; i++) accounts[i] = roots[i].Owner.AccountHash;
        var ranges = await peer.GetStorageRangesAsync(stateRoot, accounts, Hash256.Zero, SnapHandler.MaxHash, responseBytes, ct).ConfigureAwait(false);
        return Verify(roots, ranges, responseBytes);
    }

    /// <summary>
    /// The nodes of every storage trie the answer holds whole, and what it proves of the one it cuts. An account whose
    /// part does not hash to its root, or whose proof fails, is left out and makes the answer wrong (the peer is
    /// penalized); the others are kept. An answer naming more accounts than asked, or passing the byte limit by more
    /// than one entry, is rejected whole.
    /// </summary>
    internal static KeyRequests.Answer Verify(IReadOnlyList<MissingNode> roots, StorageRanges ranges, int responseBytes)
    {
        if (ranges.Slots.Count == 0) return KeyRequests.Answer.RootUnknown; // every account was read under that root: only the root can be unknown
        if (ranges.Slots.Count > roots.Count) return KeyRequests.Answer.Rejected($"storage of {ranges.Slots.Count} accounts for {roots.Count} asked");
        if (ranges.Proof.Count > KeyRequests.MaxProofNodes) return KeyRequests.Answer.Rejected($"{ranges.Proof.Count} proof nodes for one range");
        var keys = new List<byte[]>[ranges.Slots.Count];
        var values = new List<byte[]>[ranges.Slots.Count];
        int before = 0;
        for (int i = 0; i < ranges.Slots.Count; i++)
        {
            keys[i] = new List<byte[]>(ranges.Slots[i].Count);
            values[i] = new List<byte[]>(ranges.Slots[i].Count);
            foreach (var slot in ranges.Slots[i]) { keys[i].Add(slot.Hash.ToArray()); values[i].Add(slot.Value); }
            if (KeyRequests.PastLimit(keys[i], values[i], responseBytes, ref before, lastOfAnswer: i == ranges.Slots.Count - 1))
                return KeyRequests.Answer.Rejected($"storage ranges past a {responseBytes}-byte limit");
        }
        var nodes = new List<(Hash256 Hash, byte[] Bytes)>();
        var errors = new List<string>();
        for (int i = 0; i < ranges.Slots.Count; i++)
        {
            var root = roots[i];
            bool proven = i == ranges.Slots.Count - 1 && ranges.Proof.Count > 0;
            if (!proven)
            {
                if (KeyRequests.Rebuild(root, keys[i], values[i]) is { } whole) nodes.AddRange(whole);
                else errors.Add($"storage of {root.Owner.AccountHash} does not hash to {root.Hash}");
                continue;
            }
            var part = KeyRequests.Verify(root.Hash, Hash256.Zero, keys[i], values[i], ranges.Proof, int.MaxValue, [root]);
            if (part.Wrong) errors.Add($"storage of {root.Owner.AccountHash}: {part.Error}");
            else nodes.AddRange(part.Nodes);
        }
        return new KeyRequests.Answer(nodes, errors.Count > 0, errors.Count > 0 ? string.Join("; ", errors) : null);
    }
}
