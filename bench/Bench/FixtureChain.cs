using System.Text.Json;
using BeamSync.Core;
using BeamSync.Core.Crypto;
using BeamSync.Core.Specs;
using BeamSync.Core.Types;
using BeamSync.Db;
using BeamSync.Evm;
using BeamSync.State;

namespace BeamSync.Bench;

/// <summary>
/// The blocks of one blockchain-test fixture, replayed for throughput: the pre-state, the decoded blocks (senders
/// recovered at load, so timed runs measure execution only) and, per block, the EIP-4788 beacon-root system call
/// followed by every transaction through <see cref="TransactionProcessor"/> and a state commit. This stands in for
/// the Chain layer's block processor until one lands; it does not run withdrawals or pre-merge block rewards, so
/// it is meant for post-merge fixtures without withdrawals, where the committed roots must equal the headers'.
/// Immutable after <see cref="Load"/>.
/// </summary>
internal sealed class FixtureChain
{
    /// <summary>The transaction-richest valid blockchain test in the shared fixtures (259 blocks, 259 transactions, 38 Mgas).</summary>
    public const string DefaultFile = "ethereum-tests/BlockchainTests/ValidBlocks/bcWalletTest/walletReorganizeOwners.json";
    public const string DefaultTest = "walletReorganizeOwners_Cancun";

    private static readonly Address SystemAddress = Address.Parse("0xfffffffffffffffffffffffffffffffffffffffe");
    private static readonly Address BeaconRoots = Address.Parse("0x000f3df6d732807ef1319fb7b8bb8522d0beac02");
    private const long SystemCallGas = 30_000_000;

    public required IReadOnlyList<AccountChange> PreState { get; init; }
    public required Block[] Blocks { get; init; }
    public required Address[][] Senders { get; init; }
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
        var senders = blocks.Select(b => b.Transactions.Select(tx => tx.Sender).ToArray()).ToArray();
        return new FixtureChain
        {
            PreState = ParsePreState(test.GetProperty("pre")), Blocks = blocks.ToArray(), Senders = senders, Chain = chain, Hashes = hashes,
        };
    }

    public TrieStateStore CreatePreState()
    {
        var store = new TrieStateStore(new MemoryKeyValueStore());
        store.Commit(PreState);
        return store;
    }

    /// <summary>
    /// Replays every block on <paramref name="preState"/>. Returns the transactions' gas (the headers' gasUsed when
    /// execution is right), how many blocks' gas or state root differ from their header, and the last root.
    /// </summary>
    public (long GasUsed, int Mismatches, Hash256 LastRoot) Execute(TrieStateStore preState)
    {
        var state = new WorldState(preState);
        long total = 0;
        int mismatches = 0;
        var root = preState.Root;
        for (int b = 0; b < Blocks.Length; b++)
        {
            var header = Blocks[b].Header;
            var spec = EvmSpec.For(Chain.ForkAt(header.Number, header.Timestamp, postMerge: header.Difficulty.IsZero));
            var context = new BlockContext(header.Coinbase, header.Number, header.Timestamp, header.GasLimit,
                header.BaseFeePerGas ?? UInt256.Zero, header.Difficulty, header.MixHash, Chain.ChainId,
                spec.IsCancun ? BlobGas.BaseFee(header.ExcessBlobGas ?? 0, spec) : UInt256.Zero,
                n => Hashes.TryGetValue(n, out var h) ? h : Hash256.Zero);
            if (spec.IsCancun && header.ParentBeaconBlockRoot is { } beaconRoot && state.GetCode(BeaconRoots).Length > 0)
            {
                var vm = new VirtualMachine(state, spec, context, new TxContext(SystemAddress, UInt256.Zero, []));
                vm.Call(CallKind.Call, SystemAddress, BeaconRoots, BeaconRoots, UInt256.Zero, beaconRoot.Bytes.ToArray(), SystemCallGas, false, 0);
                state.FinalizeTransaction(spec.ClearsEmptyAccounts);
            }
            var processor = new TransactionProcessor(state, spec, context);
            long blockGas = 0;
            var txs = Blocks[b].Transactions;
            for (int i = 0; i < txs.Length; i++)
            {
                var result = processor.Execute(txs[i], Senders[b][i]);
                if (!result.IsValid) throw new InvalidOperationException($"block {header.Number} tx {i} invalid: {result.Error}");
                blockGas += result.GasUsed;
            }
            root = state.Commit();
            if (blockGas != (long)header.GasUsed || root != header.StateRoot) mismatches++;
            total += blockGas;
        }
        return (total, mismatches, root);
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
