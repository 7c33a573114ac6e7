using BenchmarkDotNet.Attributes;
using BeamSync.Chain;
using BeamSync.Chain.Execution;
using BeamSync.Chain.Processing;
using BeamSync.Chain.Store;
using BeamSync.Core;
using BeamSync.Core.Specs;
using BeamSync.Core.Types;
using BeamSync.Db;
using BeamSync.Evm;

namespace BeamSync.Bench;

/// <summary>
/// Block processing throughput: the transaction-carrying blocks of the geth-ethtest chain (shared/fixtures/chains,
/// Shanghai → Cancun → Prague, EIP-7702 and blob transactions) replayed through <see cref="BlockProcessor"/> on their
/// parents' states in a memory store. Each replay decodes the blocks from RLP, so sender recovery is included as on
/// import; header validation and the store write are not. Mgas/s = <see cref="TotalGas"/> / mean time (printed at setup).
/// </summary>
[ShortRunJob]
[MemoryDiagnoser]
public class ChainBenchmarks
{
    private readonly List<(byte[] Rlp, Fork Fork, Hash256 ParentRoot, Func<ulong, Hash256?> BlockHash)> _blocks = [];
    private ChainSpec _spec = null!;
    private MemoryKeyValueStore _store = null!;
    private EvmStateFactory _states = null!;

    public ulong TotalGas { get; private set; }

    [GlobalSetup]
    public void Setup()
    {
        var folder = Path.Combine(FixturePaths.Root(), "chains", "geth-ethtest");
        _spec = ChainSpec.Load(Path.Combine(folder, "genesis.json"));
        _store = new MemoryKeyValueStore();
        _states = new EvmStateFactory(_store);
        var chain = new Blockchain(_spec, new BlockStore(_store), _states);
        chain.InitializeGenesis();
        var hashes = new Dictionary<ulong, Hash256> { [0] = chain.Head!.Hash };
        OnLargeStack(() =>
        {
            foreach (var block in ChainFile.Read(File.ReadAllBytes(Path.Combine(folder, "chain.rlp"))))
            {
                var parent = chain.Head!;
                chain.Import(block);
                hashes[block.Number] = block.Hash;
                if (block.Transactions.Length == 0) continue;
                _blocks.Add((block.Encode(), chain.ForkOf(block.Header), parent.StateRoot, n => hashes.GetValueOrDefault(n)));
                TotalGas += block.Header.GasUsed;
            }
        });
        Console.WriteLine($"// ChainBenchmarks: {_blocks.Count} blocks with transactions, {TotalGas} gas in all");
    }

    [Benchmark(Description = "geth-ethtest blocks with transactions: decode + execute")]
    public ulong ReplayTransactionBlocks()
    {
        ulong gas = 0;
        OnLargeStack(() =>
        {
            foreach (var (rlp, fork, parentRoot, blockHash) in _blocks)
            {
                var block = Block.Decode(rlp);
                var state = _states.Open(parentRoot, block.Header, fork, _spec, blockHash);
                BlockProcessor.Process(block, fork, _spec, state, DiscardingStateSink.Instance);
                gas += block.Header.GasUsed;
            }
        });
        return gas;
    }

    private static void OnLargeStack(Action action)
    {
        var thread = new Thread(() => action(), VirtualMachine.RequiredStackSize);
        thread.Start();
        thread.Join();
    }

}
