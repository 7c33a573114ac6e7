using BeamSync.Core;
using BeamSync.Core.Crypto;
using BeamSync.Db;

namespace BeamSync.Trie;

/// <summary>Entries in strictly increasing key order (byte order), read by index.</summary>
public interface ISortedEntries
{
    int Count { get; }

    /// <summary>True when the source guarantees the order itself, so the builder need not compare every key again.</summary>
    bool InOrder { get; }

    ReadOnlySpan<byte> Key(int index);
    ReadOnlySpan<byte> Value(int index);
}

/// <summary>Two parallel lists as <see cref="ISortedEntries"/> (range answers).</summary>
public readonly struct ListEntries(IReadOnlyList<byte[]> keys, IReadOnlyList<byte[]> values) : ISortedEntries
{
    public int Count => keys.Count;
    public bool InOrder => false;
    public ReadOnlySpan<byte> Key(int index) => keys[index];
    public ReadOnlySpan<byte> Value(int index) => values[index];
}

/// <summary>
/// Entries [<paramref name="start"/>, start + <paramref name="count"/>) of a sorted <see cref="SortedRun"/> as
/// <see cref="ISortedEntries"/> (bulk loads), their keys without the first <paramref name="keyOffset"/> bytes: the
/// storage slots of many accounts sort in one run under keys prefixed with the account's hash.
/// </summary>
public readonly struct RunEntries(SortedRun run, int start, int count, int keyOffset) : ISortedEntries
{
    public RunEntries(SortedRun run) : this(run, 0, run.Count, 0) { }

    public int Count => count;

    /// <summary>A sorted run's keys increase strictly; a segment of them without a common prefix may not.</summary>
    public bool InOrder => run.IsSorted && keyOffset == 0;

    public ReadOnlySpan<byte> Key(int index) => run.Key(start + index)[keyOffset..];
    public ReadOnlySpan<byte> Value(int index) => run.Value(start + index);
}

/// <summary>
/// Builds a trie from entries already in key order, left to right, the way bulk loads and range answers arrive:
/// each node is encoded once, straight from the keys under it, hashed, and handed to the sink at once, so no node
/// object is ever made and only the current path's children references (on the call stack) are live, whatever
/// the size of the trie. Gives the same nodes and root as <see cref="PatriciaTrie"/> fed the same entries (go-ethereum
/// builds snap ranges the same way, with its stack trie). Keys are nibble paths of whole bytes, any lengths; a key
/// that is a prefix of another ends at a branch as its value. Not safe for concurrent use of one instance; the
/// static entry points are thread-safe.
/// </summary>
public sealed class SortedTrieBuilder
{
    /// <summary>A child reference: a 32-byte hash as an RLP string (33 bytes), or an embedded encoding shorter than 32.</summary>
    private const int MaxReference = 33;
    private const int EmptyReference = 0x80;

    [ThreadStatic] private static SortedTrieBuilder? t_builder;

    /// <summary>
    /// Encodings not yet hashed, as a stack: a branch's children are written here one after another and hashed
    /// together (several per Keccak pass), then the branch's own encoding replaces them.
    /// </summary>
    private byte[] _arena = new byte[1 << 14];
    private int _top;
    private INodeSink? _sink;

    /// <summary>
    /// The root of the trie holding <paramref name="entries"/>, writing every node referenced by hash (and the root,
    /// even when short) into <paramref name="sink"/> when one is given. Throws <see cref="ArgumentException"/> when the
    /// keys are not strictly increasing or a value is empty (an empty value is a deletion, not an entry).
    /// </summary>
    public static Hash256 Build<TEntries>(TEntries entries, INodeSink? sink = null) where TEntries : ISortedEntries
    {
        bool checkOrder = !entries.InOrder;
        for (int i = 0; i < entries.Count; i++)
        {
            if (entries.Value(i).IsEmpty) throw new ArgumentException($"entry {i} has an empty value", nameof(entries));
            if (checkOrder && i > 0 && entries.Key(i - 1).SequenceCompareTo(entries.Key(i)) >= 0)
                throw new ArgumentException($"key {i} is not above key {i - 1}", nameof(entries));
        }
        if (entries.Count == 0) return Hash256.EmptyTrieRoot;
        var builder = t_builder ??= new SortedTrieBuilder();
        builder._sink = sink;
        builder._top = 0;
        try { return builder.Root(entries); }
        finally { builder._sink = null; }
    }

    /// <summary><see cref="Build{TEntries}"/> over two parallel lists.</summary>
    public static Hash256 Build(IReadOnlyList<byte[]> keys, IReadOnlyList<byte[]> values, INodeSink? sink = null)
    {
        if (keys.Count != values.Count) throw new ArgumentException($"{keys.Count} keys but {values.Count} values");
        return Build(new ListEntries(keys, values), sink);
    }

    private Hash256 Root<TEntries>(TEntries entries) where TEntries : ISortedEntries
    {
        int length = Node(entries, 0, entries.Count, 0);
        // The root is hashed and stored under its hash even when it is short enough to be embedded elsewhere.
        var encoding = _arena.AsSpan(0, length);
        var root = Keccak256.Hash(encoding);
        _sink?.PutNode(root, encoding);
        return root;
    }

    /// <summary>
    /// Writes at the arena's top the encoding of the node for entries [<paramref name="from"/>, <paramref name="to"/>),
    /// which share their first <paramref name="depth"/> nibbles, having emitted every node below it; returns its length.
    /// The caller hashes (and emits) it, or embeds it when shorter than 32 bytes.
    /// </summary>
    private int Node<TEntries>(TEntries entries, int from, int to, int depth) where TEntries : ISortedEntries
    {
        var first = entries.Key(from);
        if (to - from == 1) return Leaf(first, depth, entries.Value(from));
        int common = CommonNibbles(first, entries.Key(to - 1));
        if (common <= depth) return Branch(entries, from, to, depth);
        int start = _top;
        int branchLength = Branch(entries, from, to, common);
        Span<byte> child = stackalloc byte[MaxReference];
        int childLength = Reference(start, branchLength, child);
        _top = start;
        return Extension(entries.Key(from), depth, common, child[..childLength]);
    }

    private int Branch<TEntries>(TEntries entries, int from, int to, int depth) where TEntries : ISortedEntries
    {
        int start = _top;
        Span<int> offsets = stackalloc int[16];
        Span<int> lengths = stackalloc int[16];
        ReadOnlySpan<byte> value = default;
        int i = from;
        // A key that ends here sorts first, as a prefix of the others.
        if (entries.Key(i).Length * 2 == depth) value = entries.Value(i++);
        for (int nibble = 0; nibble < 16; nibble++)
        {
            int first = i;
            while (i < to && Nibble(entries.Key(i), depth) == nibble) i++;
            offsets[nibble] = _top;
            lengths[nibble] = first == i ? 0 : Node(entries, first, i, depth + 1);
            _top += lengths[nibble];
        }

        // The children referenced by hash, hashed side by side and emitted; the rest are embedded.
        Span<int> hashedOffsets = stackalloc int[16];
        Span<int> hashedLengths = stackalloc int[16];
        Span<byte> hashes = stackalloc byte[16 * Keccak256.HashSize];
        int hashed = 0;
        for (int nibble = 0; nibble < 16; nibble++)
            if (lengths[nibble] >= 32)
            {
                hashedOffsets[hashed] = offsets[nibble];
                hashedLengths[hashed++] = lengths[nibble];
            }
        Keccak256.HashMany(_arena, hashedOffsets[..hashed], hashedLengths[..hashed], hashes);
        Span<byte> children = stackalloc byte[16 * MaxReference];
        Span<int> references = stackalloc int[16];
        int content = value.IsEmpty ? 1 : RlpWriter.LengthOfBytes(value);
        hashed = 0;
        for (int nibble = 0; nibble < 16; nibble++)
        {
            var reference = children.Slice(nibble * MaxReference, MaxReference);
            if (lengths[nibble] == 0) references[nibble] = 0;
            else if (lengths[nibble] < 32)
            {
                _arena.AsSpan(offsets[nibble], lengths[nibble]).CopyTo(reference);
                references[nibble] = lengths[nibble];
            }
            else
            {
                var hash = hashes.Slice(hashed++ * Keccak256.HashSize, Keccak256.HashSize);
                reference[0] = 0x80 + 32;
                hash.CopyTo(reference[1..]);
                _sink?.PutNode(new Hash256(hash), _arena.AsSpan(offsets[nibble], lengths[nibble]));
                references[nibble] = MaxReference;
            }
            content += references[nibble] == 0 ? 1 : references[nibble];
        }

        _top = start;
        var w = new RlpWriter(Reserve(RlpWriter.LengthOfList(content)));
        w.WriteListHeader(content);
        for (int nibble = 0; nibble < 16; nibble++)
        {
            if (references[nibble] == 0) w.WriteEncoded([EmptyReference]);
            else w.WriteEncoded(children.Slice(nibble * MaxReference, references[nibble]));
        }
        w.WriteBytes(value);
        return w.Position;
    }

    private int Extension(ReadOnlySpan<byte> key, int from, int to, ReadOnlySpan<byte> child)
    {
        int content = CompactPathLength(to - from) + child.Length;
        var w = new RlpWriter(Reserve(RlpWriter.LengthOfList(content)));
        w.WriteListHeader(content);
        WriteCompactPath(ref w, key, from, to, isLeaf: false);
        w.WriteEncoded(child);
        return w.Position;
    }

    private int Leaf(ReadOnlySpan<byte> key, int depth, ReadOnlySpan<byte> value)
    {
        int end = key.Length * 2;
        int content = CompactPathLength(end - depth) + RlpWriter.LengthOfBytes(value);
        var w = new RlpWriter(Reserve(RlpWriter.LengthOfList(content)));
        w.WriteListHeader(content);
        WriteCompactPath(ref w, key, depth, end, isLeaf: true);
        w.WriteBytes(value);
        return w.Position;
    }

    /// <summary>The reference to the encoding at <paramref name="offset"/>: hashed and emitted from 32 bytes on, else embedded.</summary>
    private int Reference(int offset, int length, Span<byte> reference)
    {
        var encoding = _arena.AsSpan(offset, length);
        if (length < 32)
        {
            encoding.CopyTo(reference);
            return length;
        }
        reference[0] = 0x80 + 32;
        Keccak256.Hash(encoding, reference[1..]);
        _sink?.PutNode(new Hash256(reference.Slice(1, 32)), encoding);
        return MaxReference;
    }

    /// <summary>Room for <paramref name="length"/> bytes at the arena's top (the top itself is moved by the caller).</summary>
    private Span<byte> Reserve(int length)
    {
        if (_arena.Length < _top + length) Array.Resize(ref _arena, Math.Max(_top + length, _arena.Length * 2));
        return _arena.AsSpan(_top, length);
    }

    private static int Nibble(ReadOnlySpan<byte> key, int index) => (key[index >> 1] >> ((~index & 1) << 2)) & 0x0f;

    private static int CommonNibbles(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
    {
        int bytes = a.CommonPrefixLength(b);
        if (bytes == a.Length || bytes == b.Length) return bytes * 2;
        return bytes * 2 + ((a[bytes] ^ b[bytes]) < 0x10 ? 1 : 0);
    }

    /// <summary>RLP length of the hex-prefix encoding of a path of <paramref name="nibbles"/> nibbles.</summary>
    private static int CompactPathLength(int nibbles)
    {
        int compact = Nibbles.CompactLength(nibbles);
        return compact == 1 ? 1 : RlpWriter.LengthOfLength(compact) + compact;
    }

    /// <summary>The hex-prefix encoding of nibbles [<paramref name="from"/>, <paramref name="to"/>) of <paramref name="key"/>, as an RLP string.</summary>
    private static void WriteCompactPath(ref RlpWriter w, ReadOnlySpan<byte> key, int from, int to, bool isLeaf)
    {
        int count = to - from;
        bool odd = (count & 1) != 0;
        Span<byte> compact = stackalloc byte[Nibbles.CompactLength(count)];
        int flags = (isLeaf ? 2 : 0) | (odd ? 1 : 0);
        int n = from;
        compact[0] = (byte)(flags << 4 | (odd ? Nibble(key, n++) : 0));
        if ((n & 1) == 0) key.Slice(n >> 1, (to - n) >> 1).CopyTo(compact[1..]);
        else
            for (int j = 1; n < to; n += 2, j++) compact[j] = (byte)(Nibble(key, n) << 4 | Nibble(key, n + 1));
        w.WriteBytes(compact);
    }
}
