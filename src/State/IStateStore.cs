using BeamSync.Core;
using BeamSync.Core.Types;

namespace BeamSync.State;

/// <summary>
/// The committed state below <see cref="WorldState"/>: the account trie, the per-account storage tries and the
/// code store. Every read <see cref="WorldState"/> makes goes through here, so a store that fetches missing trie
/// nodes on demand (Beam Sync) plugs in without the state layer assuming anything is local. Implementations
/// decide their own thread-safety; <see cref="WorldState"/> calls them from one thread.
/// </summary>
public interface IStateStore
{
    /// <summary>The current state root.</summary>
    Hash256 Root { get; }

    bool TryGetAccount(Address address, out Account account);

    /// <summary>The committed value of a storage slot; zero when the slot or the account is absent.</summary>
    UInt256 GetStorage(Address address, in UInt256 slot);

    /// <summary>Code by its keccak hash; empty for <see cref="Hash256.EmptyKeccak"/>.</summary>
    byte[] GetCode(Hash256 codeHash);

    /// <summary>Applies a set of account changes, persists everything applied so far and returns the new state root.</summary>
    Hash256 Commit(IReadOnlyList<AccountChange> changes);

    /// <summary>
    /// Applies a set of account changes and returns the new state root, persisting nothing yet (reads see the
    /// changes; the next <see cref="Commit"/> writes them). For per-transaction roots before Byzantium. A store
    /// with no cheaper way simply commits.
    /// </summary>
    Hash256 Apply(IReadOnlyList<AccountChange> changes) => Commit(changes);
}

/// <summary>
/// One account's change for <see cref="IStateStore.Commit"/>. <see cref="Deleted"/> removes the account and its
/// storage; <see cref="StorageCleared"/> drops the old storage trie before <see cref="Storage"/> is applied
/// (an account destroyed and created again in one block). A zero value deletes a slot.
/// </summary>
public sealed record AccountChange(
    Address Address,
    bool Deleted,
    ulong Nonce,
    UInt256 Balance,
    Hash256 CodeHash,
    byte[]? Code,
    bool StorageCleared,
    IReadOnlyList<KeyValuePair<UInt256, UInt256>> Storage);
