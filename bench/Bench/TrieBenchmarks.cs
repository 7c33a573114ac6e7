using BenchmarkDotNet.Attributes;
using BeamSync.Core;
using BeamSync.Db;
using BeamSync.Trie;

namespace BeamSync.Bench;

/// <summary>In-memory trie costs: building and hashing 10,000 accounts, reads and proofs on a committed trie.</summary>
[MemoryDiagnoser]
public class TrieBenchmarks
{
    private const int Accounts = 10_000;
    private byte[][] _addresses = [];
    private byte[][] _values = [];
    private MemoryKeyValueStore _store = new();
    private Hash256 _root;
    private SecureTrie _warm = null!;
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        var r = new Random(1);
        _addresses = new byte[Accounts][];
        _values = new byte[Accounts][];
        for (int i = 0; i < Accounts; i++)
        {
            _addresses[i] = new byte[20];
            r.NextBytes(_addresses[i]);
            _values[i] = StateTrieBuilder.EncodeAccount((ulong)i, new UInt256((ulong)r.NextInt64()), Hash256.EmptyTrieRoot, Hash256.EmptyKeccak);
        }
        var trie = new SecureTrie(new StoreNodeSource(_store));
        for (int i = 0; i < Accounts; i++) trie.Set(_addresses[i], _values[i]);
        _root = trie.Inner.Commit(_store);
        _warm = new SecureTrie(new StoreNodeSource(_store), _root);
        foreach (var a in _addresses) _warm.Get(a);
    }

    [Benchmark(OperationsPerInvoke = Accounts)]
    public Hash256 InsertAndHash()
    {
        var trie = new SecureTrie(EmptyNodeSource.Instance);
        for (int i = 0; i < Accounts; i++) trie.Set(_addresses[i], _values[i]);
        return trie.RootHash;
    }

    [Benchmark]
    public byte[]? GetWarm() => _warm.Get(_addresses[_next++ % Accounts]);

    [Benchmark]
    public byte[]? GetColdFromStore() => new SecureTrie(new StoreNodeSource(_store), _root).Get(_addresses[_next++ % Accounts]);

    [Benchmark]
    public int ProveWarm()
    {
        var key = BeamSync.Core.Crypto.Keccak256.HashToArray(_addresses[_next++ % Accounts]);
        return Proof.Prove(_warm.Inner, key).Count;
    }
}
