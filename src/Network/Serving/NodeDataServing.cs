using BeamSync.Core;

namespace BeamSync.Network.Serving;

/// <summary>
/// Trie nodes and code by hash, as eth/66's GetNodeData and nodedata/1 serve and check them: absent values are
/// skipped (no placeholders), so a requester matches values to hashes by hashing them. Stateless; thread-safe.
/// </summary>
public static class NodeDataServing
{
    /// <summary>The recommended soft limit on a response (geth's and the devp2p spec's 2 MiB).</summary>
    public const int SoftResponseBytes = 2 * 1024 * 1024;
    /// <summary>Most hashes looked up per request; the rest of a longer request is ignored.</summary>
    public const int MaxHashesServed = 1024;

    /// <summary>The values the store has for <paramref name="hashes"/>, in request order, within both limits.</summary>
    public static List<byte[]> Collect(INodeStore? store, IReadOnlyList<Hash256> hashes)
    {
        var values = new List<byte[]>();
        if (store is null) return values;
        int bytes = 0;
        for (int i = 0; i < hashes.Count && i < MaxHashesServed && bytes < SoftResponseBytes; i++)
        {
            var value = store.GetNodeOrCode(hashes[i]);
            if (value is null) continue;
            values.Add(value);
            bytes += value.Length;
        }
        return values;
    }

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
