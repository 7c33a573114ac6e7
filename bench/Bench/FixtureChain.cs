using System.Text.Json;
using BeamSync.Core;
using BeamSync.Core.Crypto;
using BeamSync.Core.Specs;
using BeamSync.Core.Types;
using BeamSync.Chain;
using BeamSync.Chain.Execution;
using BeamSync.Chain.Processing;
using BeamSync.Chain.Store;
using BeamSync.Db;
using BeamSync.State;

namespace BeamSync.Bench;

/// <summary>
/// The blocks of one blockchain-test fixture, replayed for throughput: the pre-state, the decoded blocks (senders
/// recovered at load, so timed runs measure execution only) and <see cref="Execute"/>, which runs each block through
/// the Chain layer's <see cref="BlockProcessor"/> over an in-memory trie store, as block import does (header
/// validation aside). Immutable after <see cref="Load"/>.
/// </summary>
internal sealed class FixtureChain
{
    /// <summary>The transaction-richest valid blockchain test in the shared fixtures (259 blocks, 259 transactions, 38 Mgas).</summary>
    public const string DefaultFile = "ethereum-tests/BlockchainTests/ValidBlocks/bcWalletTest/walletReorganizeOwners.json";
    public const string DefaultTest = "walletReorganizeOwners_Cancun";

    public required IReadOnlyList<AccountChange> PreState { get; init; }
    public required Block[] Blocks { get; init; }
    public required ChainSpec Chain { get; init; }
    public required Dictionary<ulong, Hash256> Hashes { get; init; }

    public long TransactionCount => Blocks.Sum(b => (long)b.Transactions.Length);

    public static FixtureChain Load(string file, string testName)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(file));
        var test = doc.RootElement.GetProperty(testName);
        string network = test.GetProperty("network").GetString()!;
        if (!FixtureNetworks.TryGet(network, out var chain)) throw new InvalidDataException($"unknown network {network}");

        var blocks = new List<Block>();
        var hashes = new Dictionary<ulong, Hash256> { [0] = Hash256.Parse(test.GetProperty("genesisBlockHeader").GetProperty("hash").GetString()!) };
        foreach (var entry in test.GetProperty("blocks").EnumerateArray())
        {
            if (entry.TryGetProperty("expectException", out _)) continue;
            var block = Block.Decode(Hex.Parse(entry.GetProperty("rlp").GetString()!));
            blocks.Add(block);
            hashes[block.Number] = block.Hash;
        }
        // Recover every sender now (cached on the transaction), so timed runs measure execution only.
        foreach (var tx in blocks.SelectMany(b => b.Transactions)) _ = tx.Sender;
        return new FixtureChain
        {
            PreState = ParsePreState(test.GetProperty("pre")), Blocks = blocks.ToArray(), Chain = chain, Hashes = hashes,
        };
    }

    /// <summary>A fresh in-memory store holding the committed pre-state, and its root.</summary>
    public (MemoryKeyValueStore Store, Hash256 Root) CreatePreState()
    {
        var store = new MemoryKeyValueStore();
        var root = new TrieStateStore(store).Commit(PreState);
        return (store, root);
    }

    /// <summary>
    /// Replays every block through the Chain layer's <see cref="BlockProcessor"/> (which checks gas, receipts, bloom
    /// and state root against each header and throws <see cref="InvalidBlockException"/> on the first difference),
    /// each block's trie nodes written to the store in one batch. Returns the blocks' gas and the last state root.
    /// </summary>
    public (long GasUsed, Hash256 LastRoot) Execute((MemoryKeyValueStore Store, Hash256 Root) preState)
    {
        var (store, root) = preState;
        var factory = new EvmStateFactory(store);
        Func<ulong, Hash256?> blockHash = n => Hashes.TryGetValue(n, out var h) ? h : null;
        long total = 0;
        foreach (var block in Blocks)
        {
            var header = block.Header;
            var fork = Chain.ForkAt(header.Number, header.Timestamp, postMerge: header.Difficulty.IsZero);
            using var batch = store.StartBatch();
            var state = factory.Open(root, header, fork, Chain, blockHash);
            root = BlockProcessor.Process(block, fork, Chain, state, new BatchStateSink(batch)).StateRoot;
            batch.Commit();
            total += (long)header.GasUsed;
        }
        return (total, root);
    }

    private static List<AccountChange> ParsePreState(JsonElement pre)
    {
        var changes = new List<AccountChange>();
        foreach (var account in pre.EnumerateObject())
        {
            var code = Hex.Parse(account.Value.GetProperty("code").GetString()!);
            var storage = account.Value.GetProperty("storage").EnumerateObject()
                .Select(slot => new KeyValuePair<UInt256, UInt256>(UInt256.Parse(slot.Name), UInt256.Parse(slot.Value.GetString()!)))
                .ToList();
            changes.Add(new AccountChange(Address.Parse(account.Name), false,
                (ulong)UInt256.Parse(account.Value.GetProperty("nonce").GetString()!),
                UInt256.Parse(account.Value.GetProperty("balance").GetString()!),
                code.Length == 0 ? Hash256.EmptyKeccak : Keccak256.Hash(code), code, true, storage));
        }
        return changes;
    }

    /// <summary>shared/fixtures, from $BEAMSYNC_FIXTURES or the first ancestor of the binary holding shared/fixtures.</summary>
    public static string FixturesRoot()
    {
        if (Environment.GetEnvironmentVariable("BEAMSYNC_FIXTURES") is { Length: > 0 } env) return env;
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "fixtures");
            if (Directory.Exists(candidate)) return candidate;
        }
        throw new DirectoryNotFoundException("shared/fixtures not found; set BEAMSYNC_FIXTURES");
    }
}
