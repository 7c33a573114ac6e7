using BeamSync.Core;
using BeamSync.Db;
using BeamSync.Trie;

namespace BeamSync.Network.Snap;

/// <summary>
/// A full node's snap/1 server: answers from the trie nodes and code in its key-value store, for the state roots in
/// <see cref="Roots"/> only (the most recent, 128 on mainnet; any other root gets the empty reply the spec asks for). Account and
/// storage ranges walk the trie from the origin and carry the boundary proofs <see cref="RangeProof.Verify"/> checks;
/// every response stops at the byte budget but holds at least one item when any exists (caps/snap1.md). A state the
/// store holds only part of (a beam node's, still being fetched) is served as far as it goes: a range stops before
/// the first absent node with the proof of what it returns (to the requester it looks like a budget cut), trie
/// nodes stop at the first absent one, and a hole at the very start answers empty (never a false "nothing here").
/// Thread-safe: each request reads through its own trie instances over the thread-safe store.
/// </summary>
public sealed partial class StoreSnapServer(IKeyValueStore store, RecentStateRoots roots) : ISnapServer
{
    /// <summary>Most codes or trie nodes served for one request, however small they are (bounds the work per request).</summary>
    public const int MaxLookups = 1024;

    private readonly StoreNodeSource _source = new(store);

    public RecentStateRoots Roots => roots;

    public bool HasRecentState(Hash256 stateRoot) => roots.Contains(stateRoot);

    public AccountRange GetAccountRange(Hash256 stateRoot, Hash256 origin, Hash256 limit, int responseBytes)
    {
        if (!HasRecentState(stateRoot)) return new AccountRange([], []);
        try
        {
            var trie = new PatriciaTrie(_source, stateRoot, TrieOwner.AccountTrie);
            var originKey = origin.ToArray();
            var entries = new List<(byte[] Key, byte[] Value)>();
            int bytes = 0;
            var end = CollectRange(trie, originKey, limit, responseBytes, ref bytes, entries);
            if (end == RangeEnd.Hole && entries.Count == 0) return new AccountRange([], []);
            var accounts = new List<AccountEntry>(entries.Count);
            foreach (var (key, value) in entries) accounts.Add(new AccountEntry(new Hash256(key), SlimAccount.FromConsensus(value)));
            // The whole state from zero needs no proof (snap1.md); anything else proves the origin and the last account.
            if (origin.IsZero && end == RangeEnd.Exhausted) return new AccountRange(accounts, []);
            return new AccountRange(accounts, RangeProof.Prove(trie, originKey, entries.Count > 0 ? entries[^1].Key : originKey));
        }
        catch (Exception e) when (e is MissingTrieNodeException or TrieNodeCorruptException or RlpException)
        {
            return new AccountRange([], []);
        }
    }

    public IReadOnlyList<byte[]> GetByteCodes(IReadOnlyList<Hash256> codeHashes, int responseBytes)
    {
        var codes = new List<byte[]>();
        int bytes = 0;
        for (int i = 0; i < codeHashes.Count && i < MaxLookups; i++)
        {
            var hash = codeHashes[i];
            // The empty code is never stored, but it is known code: serve it rather than skip it.
            var code = hash == Hash256.EmptyKeccak ? [] : store.Get(Column.Code, hash.Bytes);
            if (code is null) continue;
            codes.Add(code);
            if ((bytes += code.Length) >= responseBytes) break;
        }
        return codes;
    }

    /// <summary>
    /// How a range walk ended: the budget ran out, the entry at or past the limit was taken, the trie ran out, or
    /// the next entry lies behind a node this (partial) store lacks.
    /// </summary>
    private enum RangeEnd { BudgetSpent, ReachedLimit, Exhausted, Hole }

    /// <summary>
    /// Appends the entries from <paramref name="origin"/> on, up to and including the first at or past
    /// <paramref name="limit"/> (so an empty interval still yields the next entry, as snap1.md asks), stopping once
    /// <paramref name="bytes"/> reaches <paramref name="budget"/> but never before the first entry.
    /// </summary>
    private static RangeEnd CollectRange(PatriciaTrie trie, byte[] origin, Hash256 limit, int budget, ref int bytes, List<(byte[] Key, byte[] Value)> into)
    {
        int first = into.Count;
        using var walk = new TrieIterator(trie).From(origin).GetEnumerator();
        while (true)
        {
            try { if (!walk.MoveNext()) return RangeEnd.Exhausted; }
            catch (MissingTrieNodeException) { return RangeEnd.Hole; }
            var (key, value) = walk.Current;
            if (bytes >= budget && into.Count > first) return RangeEnd.BudgetSpent;
            into.Add((key, value));
            bytes += Hash256.Size + value.Length;
            if (key.AsSpan().SequenceCompareTo(limit.Bytes) >= 0) return RangeEnd.ReachedLimit;
        }
    }
}
