using BeamSync.Core;

namespace BeamSync.Trie;

/// <summary>
/// Which trie a node belongs to: the account trie, or the storage trie of one account, named by the Keccak-256 of
/// its address (the key of its leaf in the account trie).
/// </summary>
public readonly record struct TrieOwner(Hash256 AccountHash)
{
    /// <summary>The account (state) trie. Zero is never a hashed address in practice, so it marks the account trie.</summary>
    public static readonly TrieOwner AccountTrie = default;

    public static TrieOwner Storage(Hash256 hashedAddress) => new(hashedAddress);

    public bool IsAccountTrie => AccountHash.IsZero;

    public override string ToString() => IsAccountTrie ? "account trie" : $"storage trie of {AccountHash}";
}

/// <summary>
/// A trie read needed a node (or code) that its source does not have. Carries everything a fetcher needs to get it
/// by hash, by path or by key: the hash, the trie it belongs to, its path of nibbles from that trie's root, and the
/// whole key the reader was after. In abort-and-retry mode the block executor catches this, waits for the fetch and
/// re-runs the block.
/// </summary>
public sealed class MissingTrieNodeException : Exception
{
    public MissingNode Missing { get; }
    public Hash256 Hash => Missing.Hash;
    public TrieOwner Owner => Missing.Owner;
    /// <summary>Nibbles from the trie's root to the node; empty for the root itself and for code.</summary>
    public byte[] Path => Missing.Path;
    public bool IsCode => Missing.IsCode;

    public MissingTrieNodeException(MissingNode missing, string? reason = null)
        : base(reason ?? $"{missing} is missing")
    {
        Missing = missing;
    }

    public MissingTrieNodeException(Hash256 hash, TrieOwner owner, byte[] path, bool isCode = false, string? reason = null)
        : this(isCode ? MissingNode.Code(hash) : MissingNode.Structural(hash, owner, path), reason) { }

    public MissingNode ToMissingNode() => Missing;

    internal static string PathString(ReadOnlySpan<byte> nibbles)
    {
        if (nibbles.Length == 0) return "(root)";
        var chars = new char[nibbles.Length];
        for (int i = 0; i < nibbles.Length; i++) chars[i] = "0123456789abcdef"[nibbles[i] & 0xf];
        return new string(chars);
    }
}

/// <summary>A node whose bytes do not hash to the key it was found under, or that is not a valid trie node.</summary>
public sealed class TrieNodeCorruptException(Hash256 hash, string reason)
    : Exception($"trie node {hash} is invalid: {reason}")
{
    public Hash256 Hash { get; } = hash;
}

/// <summary>A Merkle proof or range proof that does not prove what it claims.</summary>
public sealed class ProofException(string message) : Exception(message);

/// <summary>What a reader was doing when it met an absent node: it decides which wire forms can fetch it.</summary>
public enum ReadKind : byte
{
    /// <summary>A walk, proof or iteration: no key, so only by hash or by path.</summary>
    Structural,
    /// <summary>Reading an account: <see cref="MissingNode.Key"/> is its hashed address.</summary>
    Account,
    /// <summary>Reading a storage slot: <see cref="MissingNode.Key"/> is the hashed slot, the owner names the account.</summary>
    Storage,
    /// <summary>Reading code by its hash.</summary>
    Code,
    /// <summary>Any other keyed read (a trie that is not a state trie).</summary>
    Keyed,
}

/// <summary>How much a reader needs what it asks for: the scheduler serves urgent before predictive before backfill.</summary>
public enum FetchPriority : byte
{
    /// <summary>A thread is blocked on it (block execution, an RPC query).</summary>
    Urgent,
    /// <summary>Prefetch, preview and witness: likely needed soon.</summary>
    Predictive,
    /// <summary>Background download of the rest of the state.</summary>
    Backfill,
}

/// <summary>
/// Something absent from the local store: a trie node (by hash, trie and path, plus the whole key being read when the
/// read had one) or code (by code hash).
/// </summary>
public readonly record struct MissingNode(Hash256 Hash, TrieOwner Owner, byte[] Path, ReadKind Kind, byte[] Key)
{
    public bool IsCode => Kind == ReadKind.Code;

    public static MissingNode Code(Hash256 codeHash) => new(codeHash, TrieOwner.AccountTrie, [], ReadKind.Code, []);

    public static MissingNode Structural(Hash256 hash, TrieOwner owner, byte[] path) => new(hash, owner, path, ReadKind.Structural, []);

    /// <summary>A node met while reading <paramref name="keyNibbles"/> (empty: a structural read) in <paramref name="owner"/>'s trie.</summary>
    public static MissingNode ForRead(Hash256 hash, TrieOwner owner, ReadOnlySpan<byte> path, ReadOnlySpan<byte> keyNibbles)
    {
        if (keyNibbles.IsEmpty || (keyNibbles.Length & 1) != 0) return Structural(hash, owner, path.ToArray());
        var key = Nibbles.ToBytes(keyNibbles);
        var kind = key.Length != Hash256.Size ? ReadKind.Keyed : owner.IsAccountTrie ? ReadKind.Account : ReadKind.Storage;
        return new MissingNode(hash, owner, path.ToArray(), kind, key);
    }

    public override string ToString() => Kind switch
    {
        ReadKind.Code => $"code {Hash}",
        ReadKind.Structural or ReadKind.Keyed => $"trie node {Hash} at path {MissingTrieNodeException.PathString(Path)} of the {Owner}",
        _ => $"trie node {Hash} at path {MissingTrieNodeException.PathString(Path)} of the {Owner} (reading {Kind.ToString().ToLowerInvariant()} {Hex.ToHex(Key)})",
    };
}
