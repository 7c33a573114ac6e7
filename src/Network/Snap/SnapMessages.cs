using BeamSync.Core;

namespace BeamSync.Network.Snap;

/// <summary>
/// snap message codes (caps/snap1.md, caps/snap2.md): snap/2 keeps 0x00-0x05, reserves the trie-node pair 0x06/0x07
/// (a breach there) and adds the block-access-list pair.
/// </summary>
public static class SnapMessageId
{
    public const int GetAccountRange = 0x00, AccountRange = 0x01, GetStorageRanges = 0x02, StorageRanges = 0x03,
        GetByteCodes = 0x04, ByteCodes = 0x05, GetTrieNodes = 0x06, TrieNodes = 0x07,
        GetBlockAccessLists = 0x08, BlockAccessLists = 0x09;
    /// <summary>Ids snap/1 takes in the connection's id space.</summary>
    public const int Count = 8;
    /// <summary>Ids snap/2 takes: the reserved 0x06/0x07 still count.</summary>
    public const int CountV2 = 10;
}

/// <summary>Which snap versions a node offers in Hello.</summary>
[Flags]
public enum SnapVersions
{
    Snap1 = 1,
    Snap2 = 2,
    /// <summary>What our node advertises: each peer then negotiates the highest it shares.</summary>
    Both = Snap1 | Snap2,
}

/// <summary>
/// Block access lists (EIP-7928) by block hash, as snap/2 serves them: the RLP of the list, or null for a block
/// without one (before Amsterdam, pruned, unknown). Thread-safe.
/// </summary>
public interface IBlockAccessListSource
{
    byte[]? GetBlockAccessList(Hash256 blockHash);
}

/// <summary>One account of a range: its hashed address and its slim-RLP body (embedded as the raw RLP item).</summary>
public sealed record AccountEntry(Hash256 Hash, byte[] Body);

/// <summary>One storage slot of a range: hashed slot key and the slot's RLP-encoded value.</summary>
public sealed record SlotEntry(Hash256 Hash, byte[] Value);

/// <summary>AccountRange: consecutive accounts from the origin and the boundary proof nodes.</summary>
public sealed record AccountRange(IReadOnlyList<AccountEntry> Accounts, IReadOnlyList<byte[]> Proof);

/// <summary>StorageRanges: per requested account its slots; a proof only for the last, possibly partial, range.</summary>
public sealed record StorageRanges(IReadOnlyList<IReadOnlyList<SlotEntry>> Slots, IReadOnlyList<byte[]> Proof);

/// <summary>A GetTrieNodes path set: the account path (compact-encoded), then zero or more storage paths in that account.</summary>
public sealed record TrieNodePathSet(byte[] AccountPath, IReadOnlyList<byte[]> StoragePaths);
