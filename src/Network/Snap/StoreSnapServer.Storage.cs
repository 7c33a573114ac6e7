using BeamSync.Core;
using BeamSync.Trie;

namespace BeamSync.Network.Snap;

public sealed partial class StoreSnapServer
{
    public StorageRanges GetStorageRanges(Hash256 stateRoot, IReadOnlyList<Hash256> accounts, Hash256 origin, Hash256 limit, int responseBytes)
    {
        if (!HasRecentState(stateRoot)) return new StorageRanges([], []);
        try
        {
            var accountTrie = new PatriciaTrie(_source, stateRoot, TrieOwner.AccountTrie);
            var slots = new List<IReadOnlyList<SlotEntry>>();
            int bytes = 0;
            // Empty storage costs no bytes, so the lookup cap is what bounds a request naming many accounts.
            for (int i = 0; i < accounts.Count && i < MaxLookups; i++)
            {
                if (bytes >= responseBytes && slots.Count > 0) break;
                byte[]? body;
                try { body = accountTrie.Get(accounts[i].Bytes); }
                catch (MissingTrieNodeException) when (slots.Count > 0) { break; } // a hole past whole ranges: serve those
                if (body is null) return new StorageRanges([], []); // snap1.md: an unknown account empties the whole reply
                // Origin and limit bound the first account only (go-ethereum's reading: they are meant for one account).
                var from = i == 0 ? origin : Hash256.Zero;
                var to = i == 0 ? limit : SnapHandler.MaxHash;
                var trie = new PatriciaTrie(_source, SlimAccount.StorageRoot(body), TrieOwner.Storage(accounts[i]));
                var entries = new List<(byte[] Key, byte[] Value)>();
                var fromKey = from.ToArray();
                var end = CollectRange(trie, fromKey, to, responseBytes, ref bytes, entries);
                if (end == RangeEnd.Hole && entries.Count == 0) break; // nothing of this account's storage to prove
                var list = new List<SlotEntry>(entries.Count);
                foreach (var (key, value) in entries) list.Add(new SlotEntry(new Hash256(key), value));
                slots.Add(list);
                // Only a range that is not the account's whole storage carries a proof, and it ends the reply.
                if (!from.IsZero || end != RangeEnd.Exhausted)
                    return new StorageRanges(slots, RangeProof.Prove(trie, fromKey, entries.Count > 0 ? entries[^1].Key : fromKey));
            }
            return new StorageRanges(slots, []);
        }
        catch (Exception e) when (e is MissingTrieNodeException or TrieNodeCorruptException or RlpException)
        {
            return new StorageRanges([], []);
        }
    }
}
