using BeamSync.Core.Crypto;
using BeamSync.Core;

namespace BeamSync.State.InMemory;

/// <summary>
/// An <see cref="IStateStore"/> holding the whole state in dictionaries; roots are recomputed over the full state on
/// each commit. For tests and fixtures (small states). Not thread-safe.
/// </summary>
public sealed class MemoryStateStore : IStateStore
{
    private sealed class Entry
    {
        public ulong Nonce;
        public UInt256 Balance;
        public Hash256 CodeHash = Hash256.EmptyKeccak;
        public Hash256 StorageRoot = Hash256.EmptyTrieRoot;
        public readonly Dictionary<UInt256, UInt256> Storage = new();
    }

    private readonly Dictionary<Address, Entry> _accounts = new();
    private readonly Dictionary<Hash256, byte[]> _code = new();
    private Hash256 _root = Hash256.EmptyTrieRoot;

    public Hash256 Root => _root;

    public bool TryGetAccount(Address address, out AccountRecord account)
    {
        if (_accounts.TryGetValue(address, out var e))
        {
            account = new AccountRecord(e.Nonce, e.Balance, e.StorageRoot, e.CodeHash);
            return true;
        }
        account = default;
        return false;
    }

    public UInt256 GetStorage(Address address, in UInt256 slot) =>
        _accounts.TryGetValue(address, out var e) && e.Storage.TryGetValue(slot, out var v) ? v : UInt256.Zero;

    public byte[] GetCode(Hash256 codeHash) =>
        codeHash == Hash256.EmptyKeccak ? [] : _code.TryGetValue(codeHash, out var c) ? c : throw new KeyNotFoundException($"code {codeHash} missing");

    public Hash256 Commit(IReadOnlyList<AccountChange> changes)
    {
        foreach (var change in changes)
        {
            if (change.Deleted) { _accounts.Remove(change.Address); continue; }
            if (!_accounts.TryGetValue(change.Address, out var e) || change.StorageCleared)
            {
                var fresh = new Entry();
                if (e is not null && !change.StorageCleared) foreach (var kv in e.Storage) fresh.Storage[kv.Key] = kv.Value;
                _accounts[change.Address] = e = fresh;
            }
            e.Nonce = change.Nonce;
            e.Balance = change.Balance;
            e.CodeHash = change.CodeHash;
            if (change.Code is { Length: > 0 }) _code[change.CodeHash] = change.Code;
            foreach (var (slot, value) in change.Storage)
            {
                if (value.IsZero) e.Storage.Remove(slot);
                else e.Storage[slot] = value;
            }
            e.StorageRoot = StorageRoot(e.Storage);
        }
        return _root = ComputeRoot();
    }

    private static Hash256 StorageRoot(Dictionary<UInt256, UInt256> storage)
    {
        var items = new List<(byte[], byte[])>(storage.Count);
        foreach (var (slot, value) in storage)
            items.Add((Keccak256.HashToArray(slot.ToBigEndian()), Rlp.EncodeBytes(value.ToBigEndianTrimmed())));
        return TrieRootShim.Root(items);
    }

    private Hash256 ComputeRoot()
    {
        var items = new List<(byte[], byte[])>(_accounts.Count);
        foreach (var (address, e) in _accounts)
        {
            var rlp = Rlp.EncodeList(Rlp.Encode(e.Nonce), Rlp.Encode(e.Balance), Rlp.EncodeBytes(e.StorageRoot.Bytes), Rlp.EncodeBytes(e.CodeHash.Bytes));
            items.Add((Keccak256.HashToArray(address.Bytes), rlp));
        }
        return TrieRootShim.Root(items);
    }
}
