using BeamSync.Chain.Processing;
using BeamSync.Chain.Specs;
using BeamSync.Core;
using BeamSync.Core.Crypto;
using BeamSync.Core.Specs;
using BeamSync.Core.Types;
using BeamSync.Db;
using BeamSync.Evm;
using BeamSync.State;
using BeamSync.Trie;

namespace BeamSync.Chain.Execution;

/// <summary>
/// Execution states over the State layer's <see cref="WorldState"/> and <see cref="TrieStateStore"/>, executing
/// transactions and system calls with the EVM layer's <see cref="TransactionProcessor"/> and <see cref="VirtualMachine"/>.
/// Every committed root stays readable (nodes are only added), so a block on any branch opens at its parent's root.
/// Reads go through <paramref name="source"/> when given (Beam Sync fetches missing nodes there), else the store.
/// <paramref name="wrapStore"/>, when given, stands between the world state and the trie store of each opened state
/// (a Beam Sync preview answers reads of absent state with a guess there instead of failing).
/// Thread-safe: each opened state is separate and the store is safe for concurrent readers.
/// </summary>
public sealed class EvmStateFactory(IKeyValueStore store, Func<IKeyValueStore, INodeSource>? source = null,
    Func<IStateStore, IStateStore>? wrapStore = null) : IExecutionStateFactory
{
    public IExecutionState Open(Hash256 stateRoot, BlockHeader header, Fork fork, ChainSpec spec, Func<ulong, Hash256?> blockHash)
    {
        var pending = new PendingStateWrites(store);
        IStateStore trieStore = new TrieStateStore(pending, stateRoot, source?.Invoke(pending));
        if (wrapStore is not null) trieStore = wrapStore(trieStore);
        return new EvmExecutionState(new WorldState(trieStore), pending, EvmSpec.For(fork), BlockContextOf(header, fork, spec, blockHash));
    }

    /// <summary>
    /// What the EVM sees of <paramref name="header"/>. BLOCKHASH: <paramref name="blockHash"/> returns null only for a
    /// number outside the 256-block window, which the EVM answers with zero (it never asks for those anyway); for an
    /// ancestor inside the window it returns the hash or throws when our store lacks it (the Chain layer's
    /// <see cref="MissingAncestorException"/>), and that exception propagates out of block execution: the block is
    /// not invalid, our data is incomplete, so the answer is never a made-up zero.
    /// </summary>
    public static BlockContext BlockContextOf(BlockHeader header, Fork fork, ChainSpec spec, Func<ulong, Hash256?> blockHash)
    {
        var blobBaseFee = UInt256.Zero;
        BlobParameters? blobParameters = null;
        if (fork >= Fork.Cancun)
        {
            // The schedule in force at the block's time (EIP-7892): it sets the blob base fee and the per-block blob cap.
            blobParameters = spec.BlobParametersOf(header.Timestamp, fork);
            blobBaseFee = BlobGas.BaseFee(header.ExcessBlobGas ?? 0, blobParameters.Value);
        }
        return new BlockContext(
            header.Coinbase, header.Number, header.Timestamp, header.GasLimit,
            header.BaseFeePerGas ?? UInt256.Zero,
            header.Difficulty, header.MixHash, spec.ChainId, blobBaseFee,
            number => blockHash(number) ?? Hash256.Zero) { BlobParameters = blobParameters };
    }

    public Hash256 WriteGenesis(IReadOnlyDictionary<Address, GenesisAccount> alloc, IStateSink sink)
    {
        var changes = new List<AccountChange>(alloc.Count);
        foreach (var (address, account) in alloc)
        {
            var storage = new List<KeyValuePair<UInt256, UInt256>>(account.Storage.Count);
            foreach (var slot in account.Storage) storage.Add(slot);
            var codeHash = account.Code.Length == 0 ? Hash256.EmptyKeccak : Keccak256.Hash(account.Code);
            changes.Add(new AccountChange(address, false, account.Nonce, account.Balance, codeHash, account.Code, true, storage));
        }
        // Over an empty store: a pre-state never builds on existing nodes, and the sink decides what is kept.
        var pending = new PendingStateWrites(null);
        var root = new TrieStateStore(pending).Commit(changes);
        pending.FlushTo(sink);
        return root;
    }
}
