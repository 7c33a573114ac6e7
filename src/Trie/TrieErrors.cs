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
/// by hash, by path or by key: the hash, the trie it belongs to and its path of nibbles from that trie's root. In
/// abort-and-retry mode the block executor catches this, waits for the fetch and re-runs the block.
/// </summary>
public sealed class MissingTrieNodeException : Exception
{
    public Hash256 Hash { get; }
    public TrieOwner Owner { get; }
    /// <summary>Nibbles from the trie's root to the node; empty for the root itself and for code.</summary>
    public byte[] Path { get; }
    public bool IsCode { get; }

    public MissingTrieNodeException(Hash256 hash, TrieOwner owner, byte[] path, bool isCode = false, string? reason = null)
        : base(reason ?? (isCode ? $"code {hash} is missing" : $"trie node {hash} at path {PathString(path)} of the {owner} is missing"))
    {
        Hash = hash;
        Owner = owner;
        Path = path;
        IsCode = isCode;
    }

    public MissingNode ToMissingNode() => new(Hash, Owner, Path, IsCode);

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

/// <summary>Something absent from the local store: a trie node (by hash, trie and path) or code (by code hash).</summary>
public readonly record struct MissingNode(Hash256 Hash, TrieOwner Owner, byte[] Path, bool IsCode)
{
    public override string ToString() => IsCode ? $"code {Hash}" : $"node {Hash} at {MissingTrieNodeException.PathString(Path)} of the {Owner}";
}
