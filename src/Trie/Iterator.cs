namespace BeamSync.Trie;

/// <summary>
/// Walks a trie's entries in ascending key order, optionally starting at a key (a seek: the first entry yielded is
/// the smallest key at or after it). Loads nodes through the trie's source without caching them in the trie; a
/// missing node throws <see cref="MissingTrieNodeException"/>. Enumerating while the trie changes is undefined.
/// Not safe for concurrent use.
/// </summary>
public sealed class TrieIterator(PatriciaTrie trie)
{
    /// <summary>Every entry with key &gt;= <paramref name="start"/>, in order.</summary>
    public IEnumerable<(byte[] Key, byte[] Value)> From(byte[] start)
    {
        var startNibbles = Nibbles.FromBytes(start);
        var stack = new Stack<(Node Node, byte[] Path)>();
        if (trie.Root is not null) stack.Push((trie.Root, []));
        while (stack.Count > 0)
        {
            var (node, path) = stack.Pop();
            if (node is HashNode h) node = trie.Resolve(h, path);
            switch (node)
            {
                case LeafNode leaf:
                {
                    var key = Nibbles.Concat(path, leaf.Path);
                    if (key.AsSpan().SequenceCompareTo(startNibbles) >= 0) yield return (ToKey(key), leaf.Value);
                    break;
                }
                case ExtensionNode ext:
                {
                    var childPath = Nibbles.Concat(path, ext.Path);
                    if (!EntirelyBefore(childPath, startNibbles)) stack.Push((ext.Child, childPath));
                    break;
                }
                case BranchNode branch:
                {
                    for (int i = 15; i >= 0; i--)
                    {
                        var child = branch.Children[i];
                        if (child is null) continue;
                        var childPath = Nibbles.Concat(path, [(byte)i]);
                        if (!EntirelyBefore(childPath, startNibbles)) stack.Push((child, childPath));
                    }
                    // The branch's own value is the shortest key under it, so it comes before every child.
                    if (branch.Value is not null && path.AsSpan().SequenceCompareTo(startNibbles) >= 0)
                        yield return (ToKey(path), branch.Value);
                    break;
                }
            }
        }
    }

    /// <summary>Whether every key under <paramref name="prefix"/> sorts before <paramref name="start"/>.</summary>
    public static bool EntirelyBefore(ReadOnlySpan<byte> prefix, ReadOnlySpan<byte> start)
    {
        int n = Math.Min(prefix.Length, start.Length);
        return prefix[..n].SequenceCompareTo(start[..n]) < 0;
    }

    private static byte[] ToKey(byte[] nibbles) =>
        (nibbles.Length & 1) == 0 ? Nibbles.ToBytes(nibbles) : throw new InvalidOperationException("a value at an odd-length path: the trie is not a key-value trie");
}
