using BeamSync.Core;
using BeamSync.Core.Crypto;
using BeamSync.Network.Snap;
using BeamSync.Trie;

namespace BeamSync.Sync.Scheduling;

/// <summary>
/// By-path requests (snap GetTrieNodes): each wanted node's own path, and, when the reader was after a key, the
/// prefixes of that key below it, so one round trip brings the whole chain down to the leaf before its upper nodes
/// are known. Own paths go first and the key chains after them, so a server that stops at the first path it cannot
/// serve still answers every wanted node. A chain node is trusted only when its parent, already verified, names its
/// hash. Pure functions; thread-safe.
/// </summary>
internal static class PathRequests
{
    /// <summary>One path of a request: whose node, at how many nibbles below that want's own path.</summary>
    internal readonly record struct Slot(int Item, int Depth);

    internal sealed record RequestPlan(IReadOnlyList<Want> Items, List<TrieNodePathSet> PathSets, List<Slot> Slots, int KeyDepth);

    public static int PathCount(MissingNode node, int keyDepth) => 1 + ExtraDepth(node, keyDepth);

    private static int ExtraDepth(MissingNode node, int keyDepth)
    {
        int keyNibbles = node.Key.Length == Hash256.Size ? 2 * Hash256.Size : 0;
        return keyNibbles == 0 ? 0 : Math.Max(0, Math.Min(keyDepth, keyNibbles - node.Path.Length));
    }

    public static RequestPlan Plan(IReadOnlyList<Want> items, int keyDepth)
    {
        var sets = new List<TrieNodePathSet>();
        var slots = new List<Slot>();
        AddPaths(items, sets, slots, (want, _) => [(want.Node.Path, 0)]);
        AddPaths(items, sets, slots, (want, _) =>
        {
            int extra = ExtraDepth(want.Node, keyDepth);
            var key = Nibbles.FromBytes(want.Node.Key);
            var paths = new List<(byte[], int)>(extra);
            for (int d = 1; d <= extra; d++) paths.Add((key[..(want.Node.Path.Length + d)], d));
            return paths;
        });
        return new RequestPlan(items, sets, slots, keyDepth);
    }

    /// <summary>Adds the chosen paths of every item: account-trie paths one set each, storage paths grouped per account.</summary>
    private static void AddPaths(IReadOnlyList<Want> items, List<TrieNodePathSet> sets, List<Slot> slots, Func<Want, int, List<(byte[] Path, int Depth)>> choose)
    {
        var storage = new Dictionary<Hash256, (List<byte[]> Paths, List<Slot> Slots)>();
        var order = new List<Hash256>();
        for (int i = 0; i < items.Count; i++)
        {
            var want = items[i];
            foreach (var (path, depth) in choose(want, i))
            {
                var compact = Compact(path);
                if (want.Node.Owner.IsAccountTrie)
                {
                    sets.Add(new TrieNodePathSet(compact, []));
                    slots.Add(new Slot(i, depth));
                    continue;
                }
                var owner = want.Node.Owner.AccountHash;
                if (!storage.TryGetValue(owner, out var group)) { group = ([], []); storage[owner] = group; order.Add(owner); }
                group.Paths.Add(compact);
                group.Slots.Add(new Slot(i, depth));
            }
        }
        foreach (var owner in order)
        {
            var (paths, groupSlots) = storage[owner];
            sets.Add(new TrieNodePathSet(owner.Bytes.ToArray(), paths));
            slots.AddRange(groupSlots);
        }
    }

    private static byte[] Compact(byte[] nibbles)
    {
        var compact = new byte[Nibbles.CompactLength(nibbles.Length)];
        Nibbles.ToCompact(nibbles, isLeaf: false, compact);
        return compact;
    }

    /// <summary>Matches the answer to the plan: each want's own node by its hash, then its key chain node by node from it.</summary>
    public static (List<(Hash256 Hash, byte[] Bytes)> Verified, int Wrong) Verify(RequestPlan plan, IReadOnlyList<byte[]> blobs)
    {
        var verified = new List<(Hash256, byte[])>();
        int wrong = 0;
        var chains = new Dictionary<(int Item, int Depth), byte[]>();
        var own = new byte[plan.Items.Count][];
        for (int i = 0; i < blobs.Count && i < plan.Slots.Count; i++)
        {
            if (blobs[i].Length == 0) continue;
            var slot = plan.Slots[i];
            if (slot.Depth == 0) own[slot.Item] = blobs[i];
            else chains[(slot.Item, slot.Depth)] = blobs[i];
        }
        for (int item = 0; item < plan.Items.Count; item++)
        {
            var want = plan.Items[item];
            var blob = own[item];
            if (blob is null) continue;
            if (Keccak256.Hash(blob) != want.Hash) { wrong++; continue; }
            verified.Add((want.Hash, blob));
            FollowKey(want, blob, item, chains, verified);
        }
        return (verified, wrong);
    }

    /// <summary>Walks from a verified node along the want's key, accepting each chain blob whose hash its parent names.</summary>
    private static void FollowKey(Want want, byte[] top, int item, Dictionary<(int, int), byte[]> chains, List<(Hash256, byte[])> verified)
    {
        if (want.Node.Key.Length != Hash256.Size) return;
        var key = Nibbles.FromBytes(want.Node.Key);
        int start = want.Node.Path.Length, depth = 0;
        Node? node;
        try { node = NodeDecoder.Decode(want.Hash, top); }
        catch (TrieNodeCorruptException) { return; }
        while (node is not null)
        {
            int at = start + depth;
            Node? child;
            switch (node)
            {
                case BranchNode branch when at < key.Length:
                    child = branch.Children[key[at]];
                    depth++;
                    break;
                case ExtensionNode ext when key.AsSpan(at).StartsWith(ext.Path):
                    child = ext.Child;
                    depth += ext.Path.Length;
                    break;
                default:
                    return;
            }
            if (child is not HashNode reference) { node = child; continue; }
            if (!chains.TryGetValue((item, depth), out var blob) || Keccak256.Hash(blob) != reference.Hash) return;
            verified.Add((reference.Hash, blob));
            try { node = NodeDecoder.Decode(reference.Hash, blob); }
            catch (TrieNodeCorruptException) { return; }
        }
    }
}
