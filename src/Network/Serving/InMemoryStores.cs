using System.Collections.Concurrent;
using BeamSync.Core;

namespace BeamSync.Network.Serving;

/// <summary>An in-memory chain for tests and the devnet: blocks added in order become canonical. Thread-safe.</summary>
public sealed class InMemoryChainStore : IChainStore
{
    private readonly ConcurrentDictionary<Hash256, byte[]> _headers = new();
    private readonly ConcurrentDictionary<Hash256, byte[]> _bodies = new();
    private readonly ConcurrentDictionary<Hash256, IReadOnlyList<byte[]>> _receipts = new();
    private readonly ConcurrentDictionary<ulong, Hash256> _canonical = new();

    public ulong Head { get; private set; }
    public Hash256 HeadHash { get; private set; }

    /// <summary>Adds a block (header, body, receipts in consensus encodings) and makes it canonical at its number.</summary>
    public Hash256 Add(byte[] header, byte[] body, IReadOnlyList<byte[]>? receipts = null)
    {
        var hash = HeaderFields.Hash(header);
        ulong number = HeaderFields.Number(header);
        _headers[hash] = header;
        _bodies[hash] = body;
        if (receipts is not null) _receipts[hash] = receipts;
        _canonical[number] = hash;
        if (number >= Head) { Head = number; HeadHash = hash; }
        return hash;
    }

    public byte[]? GetHeader(Hash256 hash) => _headers.GetValueOrDefault(hash);
    public byte[]? GetCanonicalHeader(ulong number) => _canonical.TryGetValue(number, out var h) ? GetHeader(h) : null;
    public byte[]? GetBody(Hash256 hash) => _bodies.GetValueOrDefault(hash);
    public IReadOnlyList<byte[]>? GetReceipts(Hash256 hash) => _receipts.GetValueOrDefault(hash);
}

/// <summary>In-memory node/code, transaction and witness stores for tests. Thread-safe.</summary>
public sealed class InMemoryNodeStore : INodeStore, ITransactionPool, IWitnessStore
{
    private readonly ConcurrentDictionary<Hash256, byte[]> _nodes = new();
    private readonly ConcurrentDictionary<Hash256, byte[]> _txs = new();
    private readonly ConcurrentDictionary<Hash256, IReadOnlyList<Hash256>> _witnesses = new();

    /// <summary>Stores a node or code blob under its keccak hash and returns the hash.</summary>
    public Hash256 AddNode(byte[] value) { var h = Core.Crypto.Keccak256.Hash(value); _nodes[h] = value; return h; }
    public Hash256 AddTransaction(byte[] encoded) { var h = Core.Crypto.Keccak256.Hash(encoded); _txs[h] = encoded; return h; }
    public void SetWitness(Hash256 block, IReadOnlyList<Hash256> hashes) => _witnesses[block] = hashes;

    public byte[]? GetNodeOrCode(Hash256 hash) => _nodes.GetValueOrDefault(hash);
    public byte[]? GetPooledTransaction(Hash256 hash) => _txs.GetValueOrDefault(hash);
    public IReadOnlyList<Hash256>? GetWitnessHashes(Hash256 blockHash) => _witnesses.GetValueOrDefault(blockHash);
}
