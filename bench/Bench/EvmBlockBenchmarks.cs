using BenchmarkDotNet.Attributes;
using BeamSync.State;

namespace BeamSync.Bench;

/// <summary>
/// Block-level EVM throughput over the trie-backed state: the 1,000-transfer ERC-20 block (<see cref="Erc20Block"/>)
/// and the replay of the transaction-richest blockchain fixture (<see cref="FixtureChain"/>, through the Chain layer's
/// BlockProcessor). Each invocation starts from a freshly committed in-memory pre-state (built in the iteration setup,
/// not timed), executes every transaction and commits the state root. Senders are recovered once in the global setup.
/// Mgas/s = the gas printed once per benchmark / the median time.
/// </summary>
[SimpleJob(launchCount: 1, warmupCount: 3, iterationCount: 15)]
[MemoryDiagnoser, MedianColumn]
public class EvmBlockBenchmarks
{
    private Erc20Block _erc20 = null!;
    private FixtureChain _fixture = null!;
    private TrieStateStore _erc20Pre = null!;
    private (BeamSync.Db.MemoryKeyValueStore Store, BeamSync.Core.Hash256 Root) _fixturePre;

    [GlobalSetup]
    public void Setup()
    {
        _erc20 = new Erc20Block();
        _erc20.RecoverSenders();
        var (gas, root) = _erc20.Execute(_erc20.CreatePreState());
        Console.WriteLine($"// Erc20Transfers: {gas} gas per op, {Erc20Block.TransferCount} transactions, post-state root {root}");

        _fixture = FixtureChain.Load(Path.Combine(FixtureChain.FixturesRoot(), FixtureChain.DefaultFile), FixtureChain.DefaultTest);
        // BlockProcessor throws on any difference from a header, so reaching the print means every block verified.
        var (fixtureGas, last) = _fixture.Execute(_fixture.CreatePreState());
        Console.WriteLine($"// FixtureReplay: {fixtureGas} gas per op, {_fixture.Blocks.Length} blocks, {_fixture.TransactionCount} transactions, " +
            $"every block verified by BlockProcessor, last root {last}");
    }

    [IterationSetup(Target = nameof(Erc20Transfers))]
    public void FreshErc20State() => _erc20Pre = _erc20.CreatePreState();

    [IterationSetup(Target = nameof(FixtureReplay))]
    public void FreshFixtureState() => _fixturePre = _fixture.CreatePreState();

    [Benchmark]
    public long Erc20Transfers() => _erc20.Execute(_erc20Pre).GasUsed;

    [Benchmark]
    public long FixtureReplay() => _fixture.Execute(_fixturePre).GasUsed;
}
