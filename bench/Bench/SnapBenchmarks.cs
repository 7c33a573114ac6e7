using BenchmarkDotNet.Attributes;
using BeamSync.Core;
using BeamSync.Core.Crypto;
using BeamSync.Db;
using BeamSync.Network.Snap;
using BeamSync.Trie;

namespace BeamSync.Bench;

/// <summary>
/// snap/1 serving from RocksDB: GetTrieNodes requests of <see cref="PathsPerRequest"/> account-trie paths (every node
/// position from depth 2 down to the leaf on the way to random accounts) against a committed state of 200,000 accounts.
/// One operation is one request; nodes/s = PathsPerRequest / time per request.
/// </summary>
[MemoryDiagnoser]
public class SnapBenchmarks
{
    private const int Accounts = 200_000;
    public const int PathsPerRequest = 256;
    private const int Requests = 64;
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "beamsync-snapbench-" + Environment.ProcessId);
    private RocksKeyValueStore _store = null!;
    private StoreSnapServer _server = null!;
    private Hash256 _root;
    private List<TrieNodePathSet>[] _requests = [];
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        _store = RocksKeyValueStore.Open(_dir);
        var r = new Random(1);
        var trie = new SecureTrie(EmptyNodeSource.Instance);
        var address = new byte[20];
        for (int i = 0; i < Accounts; i++)
        {
            r.NextBytes(address);
            trie.Set(address, StateTrieBuilder.EncodeAccount((ulong)i, new UInt256((ulong)r.NextInt64()), Hash256.EmptyTrieRoot, Hash256.EmptyKeccak));
        }
        _root = trie.Inner.Commit(_store, unload: true);
        var roots = new RecentStateRoots();
        roots.Add(_root);
        _server = new StoreSnapServer(_store, roots);

        var reader = new PatriciaTrie(new StoreNodeSource(_store), _root);
        var key = new byte[32];
        _requests = new List<TrieNodePathSet>[Requests];
        for (int q = 0; q < Requests; q++)
        {
            var request = new List<TrieNodePathSet>(PathsPerRequest);
            while (request.Count < PathsPerRequest)
            {
                r.NextBytes(key);
                foreach (var path in NodePaths(reader, key))
                    if (path.Length >= 2 && request.Count < PathsPerRequest) request.Add(new TrieNodePathSet(Compact(path), []));
            }
            _requests[q] = request;
        }
    }

    /// <summary>The nibble path of every hash-referenced node on the way from the root towards <paramref name="key"/>.</summary>
    private static IEnumerable<byte[]> NodePaths(PatriciaTrie trie, byte[] key)
    {
        var nibbles = Nibbles.FromBytes(key);
        int pos = 0;
        foreach (var rlp in Proof.Prove(trie, key))
        {
            yield return nibbles[..pos];
            switch (NodeDecoder.Decode(Keccak256.Hash(rlp), rlp))
            {
                case BranchNode: pos++; break;
                case ExtensionNode ext: pos += ext.Path.Length; break;
                default: yield break;
            }
        }
    }

    private static byte[] Compact(byte[] nibbles)
    {
        var compact = new byte[Nibbles.CompactLength(nibbles.Length)];
        Nibbles.ToCompact(nibbles, false, compact);
        return compact;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _store.Dispose();
        Directory.Delete(_dir, true);
    }

    /// <summary>One GetTrieNodes request of 256 paths, well within the 2 MiB budget.</summary>
    [Benchmark]
    public int GetTrieNodes256()
    {
        var nodes = _server.GetTrieNodes(_root, _requests[_next++ % Requests], SnapHandler.MaxResponseBytes);
        if (nodes.Count != PathsPerRequest) throw new InvalidOperationException($"served {nodes.Count} of {PathsPerRequest} nodes");
        return nodes.Count;
    }

    /// <summary>One account range of the default 512 KiB budget from a random origin, proofs included.</summary>
    [Benchmark]
    public int GetAccountRange512K()
    {
        var origin = new Hash256(Keccak256.HashToArray(BitConverter.GetBytes(_next++)));
        return _server.GetAccountRange(_root, origin, SnapHandler.MaxHash, SnapHandler.DefaultRequestBytes).Accounts.Count;
    }
}
