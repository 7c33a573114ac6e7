using BeamSync.Core;

namespace BeamSync.Network.Serving;

/// <summary>
/// What the eth protocol serves: canonical headers, bodies and receipts in their consensus RLP encodings
/// (the chain layer implements it over its block store). Implementations must be thread-safe: sessions serve
/// concurrently.
/// </summary>
public interface IChainStore
{
    /// <summary>The encoded header of a block by hash (any known block), or null.</summary>
    byte[]? GetHeader(Hash256 hash);
    /// <summary>The encoded header of the canonical block at <paramref name="number"/>, or null.</summary>
    byte[]? GetCanonicalHeader(ulong number);
    /// <summary>The encoded body [transactions, ommers, withdrawals?], or null.</summary>
    byte[]? GetBody(Hash256 hash);
    /// <summary>The block's receipts, each in consensus encoding (legacy: RLP list; typed: type || RLP), or null.</summary>
    IReadOnlyList<byte[]>? GetReceipts(Hash256 hash);
}

/// <summary>Trie nodes and contract code by hash (GetNodeData of eth/66, wit's follow-up fetches). Thread-safe.</summary>
public interface INodeStore
{
    byte[]? GetNodeOrCode(Hash256 hash);
}

/// <summary>Pending transactions by hash, each as its RLP list item on the wire (legacy: the list; typed: the string type || payload). Thread-safe.</summary>
public interface ITransactionPool
{
    byte[]? GetPooledTransaction(Hash256 hash);
}

/// <summary>The trie node hashes read while executing a block (wit/0), or null if unknown. Thread-safe.</summary>
public interface IWitnessStore
{
    IReadOnlyList<Hash256>? GetWitnessHashes(Hash256 blockHash);
}
