using System.Buffers.Binary;
using System.Text;
using BeamSync.Chain.Store;
using BeamSync.Core.Specs;
using BeamSync.Core.Types;
using BeamSync.Db;

namespace BeamSync.Cli;

/// <summary>
/// Opens a data directory for a command and keeps it to one chain: the first use records the network's chain id
/// (the genesis block is recorded by the chain itself, as canonical block 0); a later use with another genesis or
/// chain id is refused. Every failure is a <see cref="CliException"/> with <see cref="ExitCodes.DataDir"/>.
/// </summary>
public static class DataDir
{
    private static readonly byte[] ChainIdKey = Encoding.ASCII.GetBytes("datadir-chain-id");

    /// <summary>Opens (creating if needed) the RocksDB store at <paramref name="path"/>.</summary>
    public static RocksKeyValueStore Open(string path)
    {
        if (File.Exists(path)) throw new CliException(ExitCodes.DataDir, $"datadir {path} is a file, not a directory");
        try
        {
            return RocksKeyValueStore.Open(path);
        }
        catch (DbException e)
        {
            string detail = (e.InnerException?.Message ?? e.Message).ReplaceLineEndings(" ");
            if (detail.Contains("lock", StringComparison.OrdinalIgnoreCase))
                throw new CliException(ExitCodes.DataDir, $"datadir {path} is in use by another process (RocksDB: {detail})", e);
            throw new CliException(ExitCodes.DataDir, $"datadir {path} cannot be opened: {detail}", e);
        }
    }

    /// <summary>
    /// Refuses a store that already holds another chain than <paramref name="spec"/> with genesis
    /// <paramref name="genesis"/>; records the chain id on first use.
    /// </summary>
    public static void EnsureSameChain(string path, IKeyValueStore store, ChainSpec spec, BlockHeader genesis)
    {
        var blocks = new BlockStore(store);
        if (blocks.GetCanonicalHash(0) is { } held && held != genesis.Hash)
            throw new CliException(ExitCodes.DataDir, $"datadir {path} holds the chain of genesis {held}, but this genesis file gives {genesis.Hash}: use another datadir");
        if (store.Get(Column.Metadata, ChainIdKey) is { Length: 8 } recorded)
        {
            ulong chainId = BinaryPrimitives.ReadUInt64BigEndian(recorded);
            if (chainId != spec.ChainId)
                throw new CliException(ExitCodes.DataDir, $"datadir {path} holds chain id {chainId}, but this genesis file is for chain id {spec.ChainId}: use another datadir");
            return;
        }
        Span<byte> value = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(value, spec.ChainId);
        store.Put(Column.Metadata, ChainIdKey, value);
    }
}
