using BeamSync.Core;
using BeamSync.Core.Crypto;
using BeamSync.Core.Types;
using BeamSync.Db;
using BeamSync.Sync.Scheduling;
using BeamSync.Trie;

namespace BeamSync.Sync.Accelerators;

/// <summary>
/// Brings the state of named accounts and slots local before a block needs it: walks the local trie along each
/// key and, at the first absent node, asks the scheduler (predictive) with the key, so a by-path peer answers the
/// whole rest of the path at once; then follows the account into its code and its storage slots. Asynchronous: no
/// thread waits, the walk resumes on the fetch's completion. Thread-safe.
/// </summary>
public sealed class KeyWarmer(IKeyValueStore store, StateScheduler scheduler)
{
    /// <summary>Nodes of one storage trie <see cref="WarmAsync"/> brings whole: a contract of a few hundred slots entirely, the upper levels of a bigger one.</summary>
    public const int StorageNodesPerContract = 512;

    /// <summary>
    /// Warms every account and the given slots of each, under <paramref name="root"/>; completes when all are local.
    /// <paramref name="wholeStorage"/>: also the storage trie of each account that has one, level by level up to
    /// <see cref="StorageNodesPerContract"/> nodes (<see cref="WarmStorageAsync"/>).
    /// </summary>
    public Task WarmAsync(Hash256 root, IReadOnlyDictionary<Address, HashSet<UInt256>> accounts, string kind, bool wholeStorage = false)
    {
        var tasks = new List<Task>(accounts.Count);
        foreach (var (address, slots) in accounts) tasks.Add(WarmAccountAsync(root, address, slots, kind, wholeStorage));
        return Task.WhenAll(tasks);
    }

    private async Task WarmAccountAsync(Hash256 root, Address address, HashSet<UInt256> slots, string kind, bool wholeStorage)
    {
        var accountKey = Keccak256.Hash(address.Bytes);
        var leaf = await WalkAsync(root, TrieOwner.AccountTrie, accountKey, kind).ConfigureAwait(false);
        if (leaf is null) return;
        var account = Account.Decode(leaf);
        var work = new List<Task>();
        if (account.CodeHash != Hash256.EmptyKeccak && !store.Has(Column.Code, account.CodeHash.Bytes))
            work.Add(scheduler.FetchAsync(MissingNode.Code(account.CodeHash), FetchPriority.Predictive, kind, root));
        if (account.StorageRoot != Hash256.EmptyTrieRoot)
        {
            var owner = TrieOwner.Storage(accountKey);
            if (wholeStorage) work.Add(WarmStorageAsync(account.StorageRoot, owner, root, kind));
            Span<byte> slotBytes = stackalloc byte[32];
            foreach (var slot in slots)
            {
                slot.ToBigEndian(slotBytes);
                work.Add(WalkAsync(account.StorageRoot, owner, Keccak256.Hash(slotBytes), kind, root));
            }
        }
        await Task.WhenAll(work).ConfigureAwait(false);
    }

    /// <summary>
    /// Brings a storage trie local level by level, every absent node of a level asked at once (one round trip per
    /// level, batched by the scheduler), up to <see cref="StorageNodesPerContract"/> nodes. Which slots a call reads is
    /// known only by running it; read one by one, each costs the executor a round trip, while most contracts' storage
    /// is small enough to come whole in three or four. Costs bandwidth: the slots the block does not read come too.
    /// </summary>
    public async Task WarmStorageAsync(Hash256 storageRoot, TrieOwner owner, Hash256 stateRoot, string kind)
    {
        var level = new List<(Hash256 Hash, byte[] Path)> { (storageRoot, []) };
        int budget = StorageNodesPerContract;
        while (level.Count > 0)
        {
            budget -= level.Count;
            var loaded = await Task.WhenAll(level.Select(n => LoadAsync(n.Hash, n.Path))).ConfigureAwait(false);
            var next = new List<(Hash256 Hash, byte[] Path)>();
            for (int i = 0; i < level.Count && next.Count < budget; i++)
            {
                if (loaded[i] is not { } rlp) continue;
                var path = level[i].Path;
                switch (NodeDecoder.Decode(level[i].Hash, rlp))
                {
                    case BranchNode branch:
                        for (int nibble = 0; nibble < 16; nibble++)
                            if (branch.Children[nibble] is HashNode child) next.Add((child.Hash, [.. path, (byte)nibble]));
                        break;
                    case ExtensionNode { Child: HashNode child } ext:
                        next.Add((child.Hash, [.. path, .. ext.Path]));
                        break;
                }
            }
            level = next.Count > budget ? next.GetRange(0, Math.Max(0, budget)) : next;
        }

        async Task<byte[]?> LoadAsync(Hash256 hash, byte[] path)
        {
            if (store.Get(Column.TrieNodes, hash.Bytes) is { } local) return local;
            try { return await scheduler.FetchAsync(MissingNode.Structural(hash, owner, path), FetchPriority.Predictive, kind, stateRoot).ConfigureAwait(false); }
            catch (OperationCanceledException) { return null; }
        }
    }

    /// <summary>Follows <paramref name="key"/> from <paramref name="trieRoot"/>, fetching what is absent; returns the leaf value or null.</summary>
    public async Task<byte[]?> WalkAsync(Hash256 trieRoot, TrieOwner owner, Hash256 key, string kind, Hash256? stateRoot = null)
    {
        if (trieRoot == Hash256.EmptyTrieRoot) return null;
        var nibbles = Nibbles.FromBytes(key.Bytes);
        int depth = 0;
        var hash = trieRoot;
        while (true)
        {
            var rlp = store.Get(Column.TrieNodes, hash.Bytes);
            if (rlp is null)
            {
                var missing = MissingNode.ForRead(hash, owner, nibbles.AsSpan(0, depth), nibbles);
                try { rlp = await scheduler.FetchAsync(missing, FetchPriority.Predictive, kind, stateRoot ?? trieRoot).ConfigureAwait(false); }
                catch (OperationCanceledException) { return null; }
            }
            Node? node = NodeDecoder.Decode(hash, rlp);
            while (true)
            {
                switch (node)
                {
                    case BranchNode branch when depth < nibbles.Length:
                        node = branch.Children[nibbles[depth++]];
                        continue;
                    case ExtensionNode ext when nibbles.AsSpan(depth).StartsWith(ext.Path):
                        depth += ext.Path.Length;
                        node = ext.Child;
                        continue;
                    case LeafNode leaf:
                        return nibbles.AsSpan(depth).SequenceEqual(leaf.Path) ? leaf.Value : null;
                    case HashNode next:
                        hash = next.Hash;
                        break;
                    default:
                        return null;
                }
                break;
            }
        }
    }

    /// <summary>
    /// What a block surely touches, known before executing it: senders, recipients, the coinbase, withdrawal
    /// recipients, EIP-7702 authorities and their delegation targets, and access-list accounts with their slots.
    /// </summary>
    public static Dictionary<Address, HashSet<UInt256>> TouchedBy(Block block)
    {
        var touched = new Dictionary<Address, HashSet<UInt256>>();
        HashSet<UInt256> Add(Address a) => touched.TryGetValue(a, out var s) ? s : touched[a] = [];
        Add(block.Header.Coinbase);
        foreach (var w in block.Body.Withdrawals ?? []) Add(w.Address);
        foreach (var tx in block.Transactions)
        {
            if (tx.TryRecoverSender(out var sender)) Add(sender);
            if (tx.To is { } to) Add(to);
            foreach (var item in tx.AccessList)
            {
                var slots = Add(item.Address);
                foreach (var key in item.StorageKeys) slots.Add(new UInt256(key.Bytes));
            }
            foreach (var auth in tx.AuthorizationList)
            {
                Add(auth.Address);
                if (auth.TryRecoverAuthority(out var authority)) Add(authority);
            }
        }
        return touched;
    }
}
