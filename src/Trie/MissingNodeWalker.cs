using BeamSync.Core;

namespace BeamSync.Trie;

/// <summary>
/// What the walker should also visit below a leaf: for account leaves, the account's storage trie and its code.
/// The State layer supplies this (see <see cref="AccountLeafDescender"/> for the standard account encoding).
/// </summary>
public interface ILeafDescender
{
    /// <summary>
    /// Called for each leaf of <paramref name="owner"/>'s trie with its full key; returns the storage root to walk
    /// (or null) and the code hash to check (or null).
    /// </summary>
    (Hash256? StorageRoot, Hash256? CodeHash) Descend(TrieOwner owner, ReadOnlySpan<byte> key, ReadOnlySpan<byte> value);
}

/// <summary>
/// Enumerates every node reachable from a root and reports, as it goes, the ones its source does not have (with
/// hash, trie and path), never descending below a missing node. With a <see cref="ILeafDescender"/> it follows
/// account leaves into storage tries and checks code. Resumable: <see cref="Walk"/> takes the account-trie path to
/// start from (subtrees entirely before it are skipped) and <see cref="Position"/> is where it has got to.
/// With <see cref="CompletenessMarks"/> it keeps completion per node (<see cref="Completion"/>): trusted marks skip
/// subtries known complete and the walk marks what it finds complete, so a later walk visits only what is not yet
/// known complete; audited marks are checked against the whole walk instead.
/// The source must not block or fetch (pass the local store's). A node whose bytes do not hash to its reference or
/// do not decode throws <see cref="TrieNodeCorruptException"/>, unless <paramref name="onCorrupt"/> is given: then it
/// is reported there and skipped like a missing one. Not safe for concurrent use.
/// </summary>
public sealed class MissingNodeWalker(INodeSource source, ILeafDescender? descender = null, Action<CorruptNode>? onCorrupt = null,
    CompletenessMarks? marks = null, MarkUse markUse = MarkUse.Trust)
{
    private const int NoParent = SubtrieCompletion.NoParent;

    /// <summary>Nodes loaded and checked so far.</summary>
    public long NodesVisited { get; private set; }

    /// <summary>Subtries skipped because their mark says they are complete.</summary>
    public long MarkedSkipped { get; private set; }

    /// <summary>The account-trie path of the last subtree entered: passing it to <see cref="Walk"/> resumes from there.</summary>
    public byte[] Position { get; private set; } = [];

    /// <summary>The completion of the last walk (with marks only): whether its root is complete, marks written or audited.</summary>
    public SubtrieCompletion? Completion { get; private set; }

    public IEnumerable<MissingNode> Walk(Hash256 root, byte[]? resumeFrom = null)
    {
        Completion = marks is null ? null : new SubtrieCompletion(marks, markUse);
        return Walk(root, TrieOwner.AccountTrie, resumeFrom ?? [], NoParent);
    }

    /// <summary>Walks one trie; its root settles into <paramref name="rootParent"/>, which the caller expects it in.</summary>
    private IEnumerable<MissingNode> Walk(Hash256 root, TrieOwner owner, byte[] resumeFrom, int rootParent)
    {
        var completion = Completion;
        if (root == Hash256.EmptyTrieRoot)
        {
            completion?.Settle(rootParent, true);
            yield break;
        }
        // Each item holds one expectation on its parent entry; a loaded node opens an entry its children settle into.
        var stack = new Stack<(Node Node, byte[] Path, int Parent)>();
        stack.Push((new HashNode(root), [], rootParent));
        while (stack.Count > 0)
        {
            var (node, path, holder) = stack.Pop();
            if (owner.IsAccountTrie) Position = path;
            if (node is HashNode h)
            {
                if (completion is not null && completion.Skips(h.Hash))
                {
                    MarkedSkipped++;
                    completion.Settle(holder, true);
                    continue;
                }
                var rlp = source.GetNode(h.Hash, owner, path, []);
                if (rlp is null)
                {
                    completion?.Settle(holder, false);
                    yield return MissingNode.Structural(h.Hash, owner, path);
                    continue;
                }
                NodesVisited++;
                if (!TryDecode(h.Hash, owner, path, rlp, out node))
                {
                    completion?.Settle(holder, false);
                    continue;
                }
                if (completion is not null) holder = completion.Open(h.Hash, holder, SubtrieCompletion.HasHashChild(node));
            }
            switch (node)
            {
                case LeafNode leaf:
                    if (descender is not null)
                        foreach (var m in DescendLeaf(owner, Nibbles.Concat(path, leaf.Path), leaf.Value, holder)) yield return m;
                    break;
                case ExtensionNode ext:
                    PushChild(stack, ext.Child, Nibbles.Concat(path, ext.Path), resumeFrom, holder);
                    break;
                case BranchNode branch:
                    for (int i = 15; i >= 0; i--)
                        if (branch.Children[i] is { } child) PushChild(stack, child, Nibbles.Concat(path, [(byte)i]), resumeFrom, holder);
                    if (branch.Value is not null && descender is not null && (path.Length & 1) == 0)
                        foreach (var m in DescendLeaf(owner, path, branch.Value, holder)) yield return m;
                    break;
            }
            // Releases the node's own hold (a loaded node) or the parent's expectation of this inline node.
            completion?.Settle(holder, true);
        }
    }

    private void PushChild(Stack<(Node, byte[], int)> stack, Node child, byte[] childPath, byte[] resumeFrom, int holder)
    {
        if (TrieIterator.EntirelyBefore(childPath, resumeFrom))
        {
            // Not walked, so not known complete.
            Completion?.MarkIncomplete(holder);
            return;
        }
        Completion?.Expect(holder);
        stack.Push((child, childPath, holder));
    }

    private bool TryDecode(Hash256 hash, TrieOwner owner, byte[] path, byte[] rlp, out Node node)
    {
        try
        {
            node = NodeDecoder.DecodeVerified(hash, rlp);
            return true;
        }
        catch (TrieNodeCorruptException e) when (onCorrupt is not null)
        {
            onCorrupt(new CorruptNode(hash, owner, path, e.Message));
            node = null!;
            return false;
        }
    }

    private IEnumerable<MissingNode> DescendLeaf(TrieOwner owner, byte[] keyNibbles, byte[] value, int holder)
    {
        if ((keyNibbles.Length & 1) != 0) yield break;
        var key = Nibbles.ToBytes(keyNibbles);
        var (storageRoot, codeHash) = descender!.Descend(owner, key, value);
        if (codeHash is { } code && code != Hash256.EmptyKeccak && source.GetCode(code) is null)
        {
            Completion?.MarkIncomplete(holder);
            yield return MissingNode.Code(code);
        }
        if (storageRoot is { } sr && sr != Hash256.EmptyTrieRoot && key.Length == Hash256.Size)
        {
            var position = Position;
            Completion?.Expect(holder);
            foreach (var m in Walk(sr, TrieOwner.Storage(new Hash256(key)), [], holder)) yield return m;
            Position = position;
        }
    }
}

/// <summary>A stored node whose bytes are not the node its hash names: <paramref name="Reason"/> says how.</summary>
public readonly record struct CorruptNode(Hash256 Hash, TrieOwner Owner, byte[] Path, string Reason);

/// <summary>
/// Reads account leaves in their consensus encoding, RLP [nonce, balance, storageRoot, codeHash], and sends the
/// walker into the storage root and code hash. Leaves of storage tries lead nowhere. Thread-safe.
/// </summary>
public sealed class AccountLeafDescender : ILeafDescender
{
    public static readonly AccountLeafDescender Instance = new();

    public (Hash256? StorageRoot, Hash256? CodeHash) Descend(TrieOwner owner, ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
    {
        if (!owner.IsAccountTrie) return (null, null);
        try
        {
            var reader = new RlpReader(value);
            var account = reader.ReadList();
            account.SkipItem();
            account.SkipItem();
            var storageRoot = account.ReadHash();
            var codeHash = account.ReadHash();
            return (storageRoot, codeHash);
        }
        catch (RlpException e)
        {
            throw new TrieNodeCorruptException(Hash256.Zero, $"account leaf {Hex.ToHex(key)} does not decode: {e.Message}");
        }
    }
}
