using System.Diagnostics;
using BeamSync.Chain.Genesis;
using BeamSync.Chain.Store;
using BeamSync.Core;
using BeamSync.Core.Types;
using BeamSync.Db;
using BeamSync.Trie;

namespace BeamSync.Node.Devnet;

/// <summary>What writing a genesis cost: its header, the time to build the tries into the batch and to commit it.</summary>
public sealed record GenesisWriteResult(BlockHeader Header, TimeSpan Build, TimeSpan Commit)
{
    public TimeSpan Elapsed => Build + Commit;
}

/// <summary>
/// Writes a devnet's genesis into an empty store: the state through <see cref="StateTrieBuilder"/> (tries built in
/// memory and committed once, the fastest path: no journal, no per-account commit), then the genesis block and head
/// and the options that made it (<see cref="DevnetResumeRecord"/>), all in one atomic batch. Stateless; thread-safe for distinct stores.
/// </summary>
public static class DevnetGenesis
{
    public static GenesisWriteResult Write(DevnetState state, IKeyValueStore store)
    {
        var blocks = new BlockStore(store);
        if (blocks.HeadHash is not null) throw new InvalidOperationException("the store already holds a chain");
        var clock = Stopwatch.StartNew();
        using var batch = store.StartBatch();
        var sink = new BatchStateSink(batch);
        var accounts = state.Spec.Genesis!.Alloc.Select(p => new AccountAlloc(p.Key, p.Value.Nonce, p.Value.Balance, p.Value.Code, p.Value.Storage));
        var root = StateTrieBuilder.ComputeRoot(accounts, sink, (hash, code) => sink.PutCode(hash, code));
        var header = GenesisBlock.Header(state.Spec, root);
        BlockStore.WriteBlock(batch, new Block(header, new BlockBody([], [], [])), [], header.Difficulty);
        blocks.WriteHead(batch, header);
        DevnetResumeRecord.WriteOptions(batch, state.Options);
        var build = clock.Elapsed;
        batch.Commit();
        return new GenesisWriteResult(header, build, clock.Elapsed - build);
    }
}
