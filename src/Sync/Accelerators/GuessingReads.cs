using BeamSync.Core;
using BeamSync.Core.Types;
using BeamSync.State;
using BeamSync.Trie;

namespace BeamSync.Sync.Accelerators;

/// <summary>
/// One optimistic pass of a preview over state that is not all local: every read of an absent node or code is noted
/// and goes on with a guess (an absent account, a zero slot, no code), so a pass reaches every read it can in parallel
/// instead of one round trip per read; <see cref="AskForMisses"/> then asks for what it noted, and the next pass, once
/// that is local, reads the true values and reaches what they lead to. Thread-safe: a pass's readers note from any thread.
/// </summary>
/// <param name="wholeStorageTries">
/// Ask every absent storage trie root met as the whole trie, however few of its slots the pass read: a read by key
/// leaves the trie local only along the read's path, and backfill then fetches the rest piece by piece around it
/// (a range per gap, a round trip each), where one range would have brought it all.
/// </param>
public sealed class GuessingReads(IMissingNodeFetcher fetcher, CancellationToken cancellation, bool wholeStorageTries = false)
{
    /// <summary>
    /// Slots read under one absent node of a storage trie from which that node's whole subtrie is asked as one range
    /// instead of each slot by key: a proof by key is about a kilobyte, a slot in a range some 40 bytes, so at a dozen
    /// reads the range of a few-hundred-slot trie is the cheaper one (a bigger trie's range is cut at the byte limit,
    /// keeps what it proves, and the slots below the cut are read by key in the next pass).
    /// </summary>
    public const int ReadsForWholeSubtrie = 12;

    private readonly Lock _lock = new();
    private readonly Dictionary<Hash256, (MissingNode First, HashSet<Hash256> Keys)> _misses = [];
    private int _guesses;

    /// <summary>Reads this pass answered with a guess.</summary>
    public int Guesses => Volatile.Read(ref _guesses);

    /// <summary>Absent nodes and codes this pass met.</summary>
    public int Misses { get { lock (_lock) return _misses.Count; } }

    /// <summary>A node source over <paramref name="local"/> that notes what it lacks and throws <see cref="MissingTrieNodeException"/> at once.</summary>
    public INodeSource Source(INodeSource local) => new AskingNodeSource(local, this);

    /// <summary>A state store over <paramref name="inner"/> whose reads of absent state return a guess.</summary>
    public IStateStore Store(IStateStore inner) => new GuessingStateStore(inner, this);

    /// <summary>
    /// Asks (predictive) for every absent node and code the pass met: a storage trie node that
    /// <see cref="ReadsForWholeSubtrie"/> or more slot reads met (or any absent storage trie root, with
    /// <c>wholeStorageTries</c>) as its whole subtrie, any other with the key of its first
    /// reader (the scheduler asks a node once, whoever else waits for it). Returns the fetches; the pass ends with them.
    /// </summary>
    public Task[] AskForMisses()
    {
        List<MissingNode> asks;
        lock (_lock)
        {
            asks = new List<MissingNode>(_misses.Count);
            foreach (var (first, keys) in _misses.Values)
                asks.Add(first.Kind == ReadKind.Storage && (keys.Count >= ReadsForWholeSubtrie || wholeStorageTries && first.Path.Length == 0)
                    ? MissingNode.Structural(first.Hash, first.Owner, first.Path) : first);
            _misses.Clear();
        }
        return asks.ConvertAll(missing => (Task)fetcher.Fetch(missing, FetchPriority.Predictive, cancellation)).ToArray();
    }

    private byte[] Note(MissingNode missing)
    {
        lock (_lock)
        {
            if (!_misses.TryGetValue(missing.Hash, out var seen)) _misses[missing.Hash] = seen = (missing, []);
            if (missing.Key.Length == Hash256.Size) seen.Keys.Add(new Hash256(missing.Key));
        }
        throw new MissingTrieNodeException(missing, $"{missing} is absent; the preview goes on with a guess");
    }

    private void Guessed() => Interlocked.Increment(ref _guesses);

    private sealed class AskingNodeSource(INodeSource local, GuessingReads pass) : INodeSource
    {
        public byte[]? GetNode(Hash256 hash, TrieOwner owner, ReadOnlySpan<byte> path, ReadOnlySpan<byte> keyNibbles) =>
            local.GetNode(hash, owner, path, keyNibbles) ?? pass.Note(MissingNode.ForRead(hash, owner, path, keyNibbles));

        public byte[]? GetCode(Hash256 codeHash) => local.GetCode(codeHash) ?? pass.Note(MissingNode.Code(codeHash));
    }

    /// <summary>Reads answer a guess where the state is absent; writes pass through (a preview never commits).</summary>
    private sealed class GuessingStateStore(IStateStore inner, GuessingReads pass) : IStateStore
    {
        public Hash256 Root => inner.Root;

        public bool TryGetAccount(Address address, out Account account)
        {
            try { return inner.TryGetAccount(address, out account); }
            catch (MissingTrieNodeException)
            {
                pass.Guessed();
                account = default;
                return false;
            }
        }

        public UInt256 GetStorage(Address address, in UInt256 slot)
        {
            try { return inner.GetStorage(address, slot); }
            catch (MissingTrieNodeException)
            {
                pass.Guessed();
                return UInt256.Zero;
            }
        }

        public byte[] GetCode(Hash256 codeHash)
        {
            try { return inner.GetCode(codeHash); }
            catch (MissingTrieNodeException)
            {
                pass.Guessed();
                return [];
            }
        }

        public Hash256 Commit(IReadOnlyList<AccountChange> changes) => inner.Commit(changes);
        public Hash256 Apply(IReadOnlyList<AccountChange> changes) => inner.Apply(changes);
    }
}
