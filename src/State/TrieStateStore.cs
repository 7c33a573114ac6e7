using BeamSync.Core;
using BeamSync.Core.Types;
using BeamSync.Db;
using BeamSync.Trie;

namespace BeamSync.State;

/// <summary>
/// An <see cref="IStateStore"/> over the account trie and per-account storage tries. Every read goes through the
/// tries to an <see cref="INodeSource"/> (a local store, or a Beam Sync source that fetches missing nodes on demand);
/// commits write new nodes and code into <see cref="IKeyValueStore"/>. <see cref="Apply"/> updates the tries in
/// memory only (intermediate roots); <see cref="Commit"/> persists. Opened storage tries are kept per account.
/// Not thread-safe.
/// </summary>
public sealed class TrieStateStore : IStateStore
{
    private readonly IKeyValueStore _store;
    private readonly INodeSource _source;
    private readonly INodeSink _sink;
    private readonly SecureTrie _accounts;
    private readonly Dictionary<Address, SecureTrie> _storageTries = new();
    // Applied but not yet committed: storage tries with dirty nodes, and new code.
    private readonly HashSet<Address> _unpersistedStorage = new();
    private readonly Dictionary<Hash256, byte[]> _unpersistedCode = new();

    public TrieStateStore(IKeyValueStore store, Hash256 root = default, INodeSource? source = null)
    {
        _store = store;
        _source = source ?? new StoreNodeSource(store);
        _sink = new KeyValueNodeSink(store);
        _accounts = new SecureTrie(_source, root, TrieOwner.AccountTrie);
    }

    public Hash256 Root => _accounts.RootHash;

    public bool TryGetAccount(Address address, out Account account)
    {
        var encoded = _accounts.Get(address.Bytes);
        if (encoded is null) { account = default; return false; }
        account = Account.Decode(encoded);
        return true;
    }

    public UInt256 GetStorage(Address address, in UInt256 slot)
    {
        var trie = StorageTrie(address);
        if (trie is null) return UInt256.Zero;
        Span<byte> key = stackalloc byte[32];
        slot.ToBigEndian(key);
        var encoded = trie.Get(key);
        if (encoded is null) return UInt256.Zero;
        var reader = new RlpReader(encoded);
        return reader.ReadUInt256();
    }

    public byte[] GetCode(Hash256 codeHash)
    {
        if (codeHash == Hash256.EmptyKeccak) return [];
        if (_unpersistedCode.TryGetValue(codeHash, out var applied)) return applied;
        var code = _source.GetCode(codeHash) ?? throw new MissingTrieNodeException(MissingNode.Code(codeHash));
        // Code is checked like trie nodes: bytes that do not hash to the account's code hash are never executed.
        if (Core.Crypto.Keccak256.Hash(code) != codeHash)
            throw new TrieNodeCorruptException(codeHash, "code does not hash to its code hash");
        return code;
    }

    private SecureTrie? StorageTrie(Address address)
    {
        if (_storageTries.TryGetValue(address, out var trie)) return trie;
        if (!TryGetAccount(address, out var account)) return null;
        trie = new SecureTrie(_source, account.StorageRoot, TrieOwner.Storage(Core.Crypto.Keccak256.Hash(address.Bytes)));
        _storageTries[address] = trie;
        return trie;
    }

    /// <summary>
    /// Applies the changes to the in-memory tries and returns the resulting root without writing anything: only
    /// the nodes on changed paths are re-hashed, and the next <see cref="Commit"/> persists them all at once.
    /// </summary>
    public Hash256 Apply(IReadOnlyList<AccountChange> changes)
    {
        Span<byte> key = stackalloc byte[32];
        foreach (var change in changes)
        {
            if (change.Deleted)
            {
                _accounts.Delete(change.Address.Bytes);
                _storageTries.Remove(change.Address);
                continue;
            }
            SecureTrie? storage = change.StorageCleared ? null : StorageTrie(change.Address);
            if (storage is null)
            {
                storage = new SecureTrie(_source, Hash256.EmptyTrieRoot, TrieOwner.Storage(Core.Crypto.Keccak256.Hash(change.Address.Bytes)));
                _storageTries[change.Address] = storage;
            }
            foreach (var (slot, value) in change.Storage)
            {
                slot.ToBigEndian(key);
                if (value.IsZero) storage.Delete(key);
                else storage.Set(key, Rlp.Encode(value));
            }
            _unpersistedStorage.Add(change.Address);
            if (change.Code is { Length: > 0 }) _unpersistedCode[change.CodeHash] = change.Code;
            var account = new Account(change.Nonce, change.Balance, storage.RootHash, change.CodeHash);
            _accounts.Set(change.Address.Bytes, account.Encode());
        }
        return _accounts.RootHash;
    }

    /// <summary>Applies the changes, then writes every node and code applied since the last commit.</summary>
    public Hash256 Commit(IReadOnlyList<AccountChange> changes)
    {
        Apply(changes);
        foreach (var address in _unpersistedStorage)
            if (_storageTries.TryGetValue(address, out var storage)) storage.Commit(_sink);
        _unpersistedStorage.Clear();
        foreach (var (hash, code) in _unpersistedCode) _store.Put(Column.Code, hash.Bytes, code);
        _unpersistedCode.Clear();
        return _accounts.Commit(_sink);
    }

    private sealed class KeyValueNodeSink(IKeyValueStore store) : INodeSink
    {
        public void PutNode(Hash256 hash, ReadOnlySpan<byte> rlp) => store.Put(Column.TrieNodes, hash.Bytes, rlp);
    }
}
