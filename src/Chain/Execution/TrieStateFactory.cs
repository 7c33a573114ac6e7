using BeamSync.Chain.Processing;
using BeamSync.Core;
using BeamSync.Core.Crypto;
using BeamSync.Core.Specs;
using BeamSync.Core.Types;
using BeamSync.Db;
using BeamSync.Trie;

namespace BeamSync.Chain.Execution;

/// <summary>
/// Execution states over the account trie in a <see cref="IKeyValueStore"/>: every committed root stays readable
/// (nodes are only added), so a block on any branch opens at its parent's root. Balance changes (rewards,
/// withdrawals, the DAO fork) are applied here; transactions and system calls need the EVM layer's world state,
/// which plugs in through <see cref="IExecutionStateFactory"/> when it lands. Thread-safe (each state is separate).
/// </summary>
public sealed class TrieStateFactory(IKeyValueStore store) : IExecutionStateFactory
{
    public IExecutionState Open(Hash256 stateRoot, BlockHeader header, Fork fork, ChainSpec spec, Func<ulong, Hash256?> blockHash) =>
        new TrieBalanceState(new SecureTrie(new StoreNodeSource(store), stateRoot), fork >= Fork.SpuriousDragon);

    public Hash256 WriteGenesis(IReadOnlyDictionary<Address, GenesisAccount> alloc, IStateSink sink)
    {
        var accounts = new SecureTrie(EmptyNodeSource.Instance);
        foreach (var (address, account) in alloc)
        {
            var storageRoot = Hash256.EmptyTrieRoot;
            if (account.Storage.Count > 0)
            {
                var storage = new SecureTrie(EmptyNodeSource.Instance);
                foreach (var (slot, value) in account.Storage)
                    if (!value.IsZero) storage.Set(slot.ToBigEndian(), Rlp.EncodeBytes(value.ToBigEndianTrimmed()));
                storageRoot = storage.Commit(sink);
            }
            var codeHash = Hash256.EmptyKeccak;
            if (account.Code.Length > 0)
            {
                codeHash = Keccak256.Hash(account.Code);
                sink.PutCode(codeHash, account.Code);
            }
            accounts.Set(address.Bytes, new Account(account.Nonce, account.Balance, storageRoot, codeHash).Encode());
        }
        return accounts.Commit(sink);
    }
}

/// <summary>An execution state that changes balances only; see <see cref="TrieStateFactory"/>. Not thread-safe.</summary>
internal sealed class TrieBalanceState(SecureTrie accounts, bool clearsEmptyAccounts) : IExecutionState
{
    private readonly Dictionary<Address, Account?> _changed = new();
    private readonly HashSet<Address> _touched = new();

    private Account? Find(Address address)
    {
        if (_changed.TryGetValue(address, out var account)) return account;
        var rlp = accounts.Get(address.Bytes);
        return rlp is null ? null : Account.Decode(rlp);
    }

    public UInt256 GetBalance(Address address) => Find(address)?.Balance ?? UInt256.Zero;

    public void AddBalance(Address address, in UInt256 amount)
    {
        var account = Find(address) ?? Account.Empty;
        _changed[address] = account with { Balance = account.Balance + amount };
        _touched.Add(address);
    }

    public void SubtractBalance(Address address, in UInt256 amount)
    {
        var account = Find(address) ?? Account.Empty;
        _changed[address] = account with { Balance = account.Balance - amount };
        _touched.Add(address);
    }

    public void FinishChanges()
    {
        if (clearsEmptyAccounts)
            foreach (var address in _touched)
                if (Find(address) is { IsEmpty: true }) _changed[address] = null;
        _touched.Clear();
    }

    public TransactionOutcome Execute(Transaction transaction, Address sender) =>
        throw new NotSupportedException("transactions need the EVM layer's world state");

    public void SystemCall(Address caller, Address target, byte[] input, long gas)
    {
        // Without the EVM a system call can only be skipped when its contract is absent (EIP-4788: then it is a no-op).
        if (Find(target) is { HasCode: true }) throw new NotSupportedException("system calls need the EVM layer's world state");
    }

    public Hash256 IntermediateRoot()
    {
        Flush();
        return accounts.RootHash;
    }

    public Hash256 Commit(IStateSink sink)
    {
        Flush();
        return accounts.Commit(sink);
    }

    private void Flush()
    {
        foreach (var (address, account) in _changed)
        {
            if (account is { } a) accounts.Set(address.Bytes, a.Encode());
            else accounts.Delete(address.Bytes);
        }
        _changed.Clear();
    }
}
