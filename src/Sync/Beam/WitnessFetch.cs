using System.Collections.Concurrent;
using BeamSync.Core;
using BeamSync.Db;
using BeamSync.Trie;

namespace BeamSync.Sync.Beam;

/// <summary>
/// One block's witness fetch. Once its node hashes are asked of the scheduler (<see cref="Listed"/>) the block can
/// execute while they stream in: a read of a node the witness names joins the request already made for it (the
/// scheduler deduplicates by hash), and only a node it does not name is a miss of its own. Thread-safe.
/// </summary>
internal sealed class WitnessFetch
{
    private readonly TaskCompletionSource<bool> _listed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ConcurrentDictionary<Hash256, byte> _codes = new();
    private readonly Lock _scanLock = new();
    private Hash256[] _order = [];
    private HashSet<Hash256> _nodes = [];
    private int _scanned;

    /// <summary>True once every node the witness names is asked for; false when no peer named its nodes.</summary>
    public Task<bool> Listed => _listed.Task;

    /// <summary>Completes when every node (and code) the witness names is local.</summary>
    public Task Local { get; set; } = Task.CompletedTask;

    /// <summary>The witness's hashes (in the order the block reads them) are all asked for.</summary>
    public void MarkListed(IReadOnlyList<Hash256> hashes)
    {
        // A second peer asked after the first failed midway names the same nodes; readers already use the first list.
        if (_listed.Task.IsCompleted) return;
        _order = [.. hashes];
        _nodes = [.. hashes];
        _listed.TrySetResult(true);
    }

    /// <summary>No peer named the nodes (or the fetch ended without them): execution waits for the other accelerators as before.</summary>
    public void MarkNotListed() => _listed.TrySetResult(false);

    /// <summary>Whether a read of <paramref name="missing"/> waits for this witness: a node it names, or code one of its account leaves names.</summary>
    public bool Names(MissingNode missing) =>
        Listed.IsCompletedSuccessfully && (missing.IsCode ? _codes.ContainsKey(missing.Hash) : _nodes.Contains(missing.Hash));

    /// <summary>Notes code named by one of the witness's account leaves (fetched with the witness).</summary>
    public void NameCode(Hash256 codeHash) => _codes.TryAdd(codeHash, 0);

    /// <summary>
    /// The witness's nodes not yet looked at that are local, in order up to the first absent one. A leaf stored by an
    /// answer is visible before the continuation that asks for its code runs; the executor, reading in witness order,
    /// can reach the code first, so before a code miss it looks at what arrived itself.
    /// </summary>
    public List<(Hash256 Hash, byte[] Rlp)> TakeLocalPrefix(IKeyValueStore store)
    {
        var local = new List<(Hash256, byte[])>();
        lock (_scanLock)
        {
            while (_scanned < _order.Length && store.Get(Column.TrieNodes, _order[_scanned].Bytes) is { } rlp)
                local.Add((_order[_scanned++], rlp));
        }
        return local;
    }
}
