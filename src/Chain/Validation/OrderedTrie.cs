using BeamSync.Core;
using BeamSync.Core.Types;
using BeamSync.Trie;

namespace BeamSync.Chain.Validation;

/// <summary>
/// Roots of the per-block list tries (transactions, receipts, withdrawals): key rlp(index), value the item's
/// canonical encoding. Stateless; thread-safe.
/// </summary>
public static class OrderedTrie
{
    public static Hash256 TransactionsRoot(IReadOnlyList<Transaction> transactions)
    {
        if (transactions.Count == 0) return Hash256.EmptyTrieRoot;
        var trie = new PatriciaTrie(EmptyNodeSource.Instance);
        for (int i = 0; i < transactions.Count; i++) trie.Set(Rlp.Encode((ulong)i), transactions[i].EncodeCanonical());
        return trie.RootHash;
    }

    public static Hash256 ReceiptsRoot(IReadOnlyList<Receipt> receipts)
    {
        if (receipts.Count == 0) return Hash256.EmptyTrieRoot;
        var trie = new PatriciaTrie(EmptyNodeSource.Instance);
        for (int i = 0; i < receipts.Count; i++) trie.Set(Rlp.Encode((ulong)i), receipts[i].EncodeCanonical());
        return trie.RootHash;
    }

    public static Hash256 WithdrawalsRoot(IReadOnlyList<Withdrawal> withdrawals)
    {
        if (withdrawals.Count == 0) return Hash256.EmptyTrieRoot;
        var trie = new PatriciaTrie(EmptyNodeSource.Instance);
        for (int i = 0; i < withdrawals.Count; i++) trie.Set(Rlp.Encode((ulong)i), withdrawals[i].Encode());
        return trie.RootHash;
    }

    /// <summary>keccak256 of the RLP list of the uncle headers.</summary>
    public static Hash256 OmmersHash(IReadOnlyList<BlockHeader> uncles)
    {
        if (uncles.Count == 0) return Hash256.EmptyListHash;
        var items = new byte[uncles.Count][];
        for (int i = 0; i < items.Length; i++) items[i] = uncles[i].Encode();
        return BeamSync.Core.Crypto.Keccak256.Hash(Rlp.EncodeList(items));
    }
}
