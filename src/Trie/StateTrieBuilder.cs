using BeamSync.Core;
using BeamSync.Core.Crypto;
using BeamSync.Core.Types;

namespace BeamSync.Trie;

/// <summary>An account as a genesis allocation lists it.</summary>
public sealed record AccountAlloc(Address Address, ulong Nonce, UInt256 Balance, byte[] Code, IReadOnlyDictionary<UInt256, UInt256> Storage);

/// <summary>
/// Builds the state (account) trie of a list of accounts, with their storage tries, and optionally commits every
/// node and code into a sink. This is how a genesis state root is computed. Stateless; thread-safe.
/// </summary>
public static class StateTrieBuilder
{
    public static Hash256 ComputeRoot(IEnumerable<AccountAlloc> accounts, INodeSink? sink = null, Action<Hash256, byte[]>? putCode = null)
    {
        var state = new SecureTrie(EmptyNodeSource.Instance);
        foreach (var account in accounts)
        {
            var storageRoot = StorageRoot(account, sink);
            var codeHash = account.Code.Length == 0 ? Hash256.EmptyKeccak : Keccak256.Hash(account.Code);
            if (account.Code.Length > 0) putCode?.Invoke(codeHash, account.Code);
            state.Set(account.Address.Bytes, EncodeAccount(account.Nonce, account.Balance, storageRoot, codeHash));
        }
        return sink is null ? state.RootHash : state.Commit(sink);
    }

    /// <summary>The consensus encoding of an account: RLP [nonce, balance, storageRoot, codeHash].</summary>
    public static byte[] EncodeAccount(ulong nonce, in UInt256 balance, Hash256 storageRoot, Hash256 codeHash) =>
        new Account(nonce, balance, storageRoot, codeHash).Encode();

    private static Hash256 StorageRoot(AccountAlloc account, INodeSink? sink)
    {
        if (account.Storage.Count == 0) return Hash256.EmptyTrieRoot;
        var owner = TrieOwner.Storage(Keccak256.Hash(account.Address.Bytes));
        var storage = new SecureTrie(EmptyNodeSource.Instance, default, owner);
        Span<byte> slot = stackalloc byte[32];
        foreach (var (key, value) in account.Storage)
        {
            if (value.IsZero) continue; // a zero slot is an absent slot
            key.ToBigEndian(slot);
            storage.Set(slot, Rlp.Encode(value));
        }
        return sink is null ? storage.RootHash : storage.Commit(sink);
    }
}
