using BeamSync.Core;

namespace BeamSync.Network.Snap;

/// <summary>
/// A snap server over in-memory maps, for tests and the devnet before the trie-backed server: ranges are cut
/// by the byte budget exactly as the spec asks (at least one item, the first past the limit when the range is
/// empty) but carry no Merkle proofs: those come from the Trie layer's range proofs. Thread-safe after setup.
/// </summary>
public sealed class InMemorySnapServer : ISnapServer
{
    public RecentStateRoots Roots { get; } = new();
    public SortedDictionary<Hash256, byte[]> Accounts { get; } = [];
    public Dictionary<Hash256, SortedDictionary<Hash256, byte[]>> Storage { get; } = [];
    public Dictionary<Hash256, byte[]> Codes { get; } = [];
    /// <summary>Trie nodes by hex of the compact-encoded account path (storage paths: account path hex + "/" + slot path hex).</summary>
    public Dictionary<string, byte[]> NodesByPath { get; } = [];

    public bool HasRecentState(Hash256 stateRoot) => Roots.Contains(stateRoot);

    public AccountRange GetAccountRange(Hash256 stateRoot, Hash256 origin, Hash256 limit, int responseBytes)
    {
        var result = new List<AccountEntry>();
        int bytes = 0;
        foreach (var (hash, body) in Accounts)
        {
            if (hash.CompareTo(origin) < 0) continue;
            bool pastLimit = hash.CompareTo(limit) > 0;
            if (pastLimit && result.Count > 0) break;
            result.Add(new AccountEntry(hash, body));
            bytes += 32 + body.Length;
            if (pastLimit || bytes >= responseBytes) break;
        }
        return new AccountRange(result, []);
    }

    public StorageRanges GetStorageRanges(Hash256 stateRoot, IReadOnlyList<Hash256> accounts, Hash256 origin, Hash256 limit, int responseBytes)
    {
        var result = new List<IReadOnlyList<SlotEntry>>();
        int bytes = 0;
        foreach (var account in accounts)
        {
            if (!Storage.TryGetValue(account, out var slots)) break;
            var list = new List<SlotEntry>();
            foreach (var (hash, value) in slots)
            {
                if (hash.CompareTo(origin) < 0 || hash.CompareTo(limit) > 0) continue;
                list.Add(new SlotEntry(hash, value));
                bytes += 32 + value.Length;
                if (bytes >= responseBytes) break;
            }
            result.Add(list);
            if (bytes >= responseBytes) break;
        }
        return new StorageRanges(result, []);
    }

    public IReadOnlyList<byte[]> GetByteCodes(IReadOnlyList<Hash256> codeHashes, int responseBytes)
    {
        var result = new List<byte[]>();
        int bytes = 0;
        foreach (var h in codeHashes)
        {
            if (!Codes.TryGetValue(h, out var code)) continue;
            result.Add(code);
            if ((bytes += code.Length) >= responseBytes) break;
        }
        return result;
    }

    public IReadOnlyList<byte[]> GetTrieNodes(Hash256 stateRoot, IReadOnlyList<TrieNodePathSet> paths, int responseBytes)
    {
        var result = new List<byte[]>();
        int bytes = 0;
        foreach (var set in paths)
        {
            var accountKey = Hex.ToHex(set.AccountPath, false);
            if (set.StoragePaths.Count == 0)
            {
                if (!NodesByPath.TryGetValue(accountKey, out var node)) return result; // nodes must stay in request order: stop at a gap
                result.Add(node);
                bytes += node.Length;
            }
            foreach (var slotPath in set.StoragePaths)
            {
                if (!NodesByPath.TryGetValue(accountKey + "/" + Hex.ToHex(slotPath, false), out var node)) return result;
                result.Add(node);
                bytes += node.Length;
            }
            if (bytes >= responseBytes) break;
        }
        return result;
    }
}
