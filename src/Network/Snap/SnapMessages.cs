using BeamSync.Core;

namespace BeamSync.Network.Snap;

/// <summary>snap/1 message codes (caps/snap1.md).</summary>
public static class SnapMessageId
{
    public const int GetAccountRange = 0x00, AccountRange = 0x01, GetStorageRanges = 0x02, StorageRanges = 0x03,
        GetByteCodes = 0x04, ByteCodes = 0x05, GetTrieNodes = 0x06, TrieNodes = 0x07;
    public const int Count = 8;
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
