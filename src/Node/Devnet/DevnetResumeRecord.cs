using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using BeamSync.Core;
using BeamSync.Core.Types;
using BeamSync.Db;

namespace BeamSync.Node.Devnet;

/// <summary>
/// A devnet datadir was made with other devnet options than those given (another seed, state size, workload or block
/// time would make another chain), or by a producer that kept no resume record. The message names each difference.
/// </summary>
public sealed class DevnetOptionsMismatchException(string message) : Exception(message);

/// <summary>
/// What a devnet producer keeps in its store to resume after a restart, in the metadata column: the options that
/// define its chain (written with the genesis, in the same batch) and the workload's generator state after each block,
/// keyed by the block's hash and written before the block goes to the engine API (so whichever block is the head after
/// a kill -9, it has its record; a branch's blocks have theirs). Nonces are not kept: the workload reads
/// them from the head state when it first uses an account again. Stateless; thread-safe.
/// </summary>
public static class DevnetResumeRecord
{
    private static readonly byte[] OptionsKey = "devnet-options"u8.ToArray();
    private static readonly byte[] WorkloadPrefix = "devnet-workload:"u8.ToArray();

    /// <summary>The options that define the chain, one <c>name=value</c> per line (the state window only serves).</summary>
    public static string Describe(DevnetOptions o) => string.Join('\n',
        Line("seed", o.Seed), Line("accounts", o.Accounts), Line("contracts", o.Contracts), Line("average-slots", o.AverageSlots),
        Line("large-contracts", o.LargeContracts), Line("large-contract-slots", o.LargeContractSlots),
        Line("txs-per-block", o.TransactionsPerBlock), Line("block-time-ms", (long)o.BlockTime.TotalMilliseconds),
        Line("gas-limit", o.GasLimit), Line("chain-id", o.ChainId), Line("fork", o.Fork), Line("account-balance", o.AccountBalance));

    public static void WriteOptions(IWriteBatch batch, DevnetOptions options) =>
        batch.Put(Column.Metadata, OptionsKey, Encoding.UTF8.GetBytes(Describe(options)));

    /// <summary>Throws <see cref="DevnetOptionsMismatchException"/> unless the store was made with these options.</summary>
    public static void CheckOptions(IKeyValueStore store, DevnetOptions options)
    {
        var stored = store.Get(Column.Metadata, OptionsKey) is { } bytes
            ? Parse(Encoding.UTF8.GetString(bytes))
            : throw new DevnetOptionsMismatchException("the datadir holds a chain but no devnet options: it was not made by a devnet producer that can resume");
        var given = Parse(Describe(options));
        var differences = given.Keys.Union(stored.Keys)
            .Where(k => stored.GetValueOrDefault(k) != given.GetValueOrDefault(k))
            .Select(k => $"{k} {stored.GetValueOrDefault(k) ?? "(none)"} in the datadir, {given.GetValueOrDefault(k) ?? "(none)"} given")
            .ToList();
        if (differences.Count > 0)
            throw new DevnetOptionsMismatchException($"the datadir's devnet was made with other options: {string.Join("; ", differences)}");
    }

    /// <summary>Stores the workload's generator state after block <paramref name="blockHash"/>.</summary>
    public static void WriteWorkload(IKeyValueStore store, Hash256 blockHash, ulong generatorState)
    {
        Span<byte> value = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(value, generatorState);
        using var batch = store.StartBatch();
        batch.Put(Column.Metadata, WorkloadKey(blockHash), value);
        batch.Commit();
    }

    /// <summary>The generator state stored after <paramref name="head"/>, or null if none was (a fresh chain, or a block not made by this producer).</summary>
    public static ulong? ReadWorkload(IKeyValueStore store, BlockHeader head) =>
        store.Get(Column.Metadata, WorkloadKey(head.Hash)) is { Length: 8 } value ? BinaryPrimitives.ReadUInt64BigEndian(value) : null;

    private static byte[] WorkloadKey(Hash256 blockHash) => [.. WorkloadPrefix, .. blockHash.Bytes];

    private static string Line<T>(string name, T value) => $"{name}={string.Format(CultureInfo.InvariantCulture, "{0}", value)}";

    private static Dictionary<string, string> Parse(string text) => text
        .Split('\n', StringSplitOptions.RemoveEmptyEntries)
        .Select(line => line.Split('=', 2))
        .Where(parts => parts.Length == 2)
        .ToDictionary(parts => parts[0], parts => parts[1]);
}
