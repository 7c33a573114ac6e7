using BeamSync.Core;

namespace BeamSync.Network.Serving;

/// <summary>
/// Serving of by-hash requests (eth bodies and pooled transactions, eth/66 GetNodeData, nodedata/1): values in
/// request order, absent ones skipped (no placeholders, so a requester matches values by hashing them), within a
/// count and a byte limit. Stateless; thread-safe.
/// </summary>
public static class ByHashServing
{
    /// <summary>The devp2p spec's recommended soft limit on a response (geth's 2 MiB).</summary>
    public const int SoftResponseBytes = 2 * 1024 * 1024;
    /// <summary>Most hashes looked up per request; the rest of a longer request is ignored.</summary>
    public const int MaxItemsServed = 1024;

    /// <summary>What <paramref name="lookup"/> has for <paramref name="hashes"/>, in request order, within both limits.</summary>
    public static List<byte[]> Collect(IReadOnlyList<Hash256> hashes, Func<Hash256, byte[]?> lookup)
    {
        var values = new List<byte[]>();
        int bytes = 0;
        for (int i = 0; i < hashes.Count && i < MaxItemsServed && bytes < SoftResponseBytes; i++)
        {
            var value = lookup(hashes[i]);
            if (value is null) continue;
            values.Add(value);
            bytes += value.Length;
        }
        return values;
    }

    /// <summary>Trie nodes and code from <paramref name="store"/> (null: none).</summary>
    public static List<byte[]> CollectNodes(INodeStore? store, IReadOnlyList<Hash256> hashes) =>
        store is null ? [] : Collect(hashes, store.GetNodeOrCode);

    /// <summary>Whether every value hashes to one of <paramref name="requested"/> and there are no more values than hashes.</summary>
    public static bool AllRequested(IReadOnlyList<Hash256> requested, IReadOnlyList<byte[]> values)
    {
        if (values.Count > requested.Count) return false;
        var wanted = new HashSet<Hash256>(requested);
        foreach (var v in values)
            if (!wanted.Contains(Core.Crypto.Keccak256.Hash(v))) return false;
        return true;
    }
}
