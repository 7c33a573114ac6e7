using System.Text.Json;
using BenchmarkDotNet.Attributes;
using BeamSync.Core;
using BeamSync.Core.Specs;
using BeamSync.Db;
using BeamSync.Evm;
using BeamSync.State;

namespace BeamSync.Bench;

/// <summary>
/// Interpreter throughput on compute-bound code: a tight arithmetic loop (5.1 Mgas) and the evm-benchmarks
/// snailtracer (London). Each run reports the gas it used once, so Mgas/s = gas / mean time.
/// </summary>
[ShortRunJob]
[MemoryDiagnoser]
public class EvmBenchmarks
{
    private static readonly Address Caller = Address.Parse("0x1000000000000000000000000000000000000001");
    private static readonly Address Contract = Address.Parse("0x2000000000000000000000000000000000000002");

    // PUSH3 100000; loop: JUMPDEST, PUSH1 1, SWAP1, SUB, DUP1, DUP1, MUL, POP, DUP1, PUSH1 3, ADD, POP, DUP1, PUSH1 4, JUMPI; STOP
    // 50 gas per iteration: 5,000,003 gas in all.
    private static readonly byte[] LoopCode =
        [0x62, 0x01, 0x86, 0xa0, 0x5b, 0x60, 0x01, 0x90, 0x03, 0x80, 0x80, 0x02, 0x50, 0x80, 0x60, 0x03, 0x01, 0x50, 0x80, 0x60, 0x04, 0x57, 0x00];

    private byte[] _snailCode = [];
    private byte[] _snailInput = [];
    private static readonly HashSet<string> Reported = new();

    [GlobalSetup]
    public void Setup()
    {
        var root = FixturePaths.Root();
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(root, "evm-benchmarks/benchmarks/main/snailtracer.json")));
        var test = doc.RootElement.EnumerateObject().First().Value;
        foreach (var account in test.GetProperty("pre").EnumerateObject())
        {
            var code = Hex.Parse(account.Value.GetProperty("code").GetString()!);
            if (code.Length > 0) _snailCode = code;
        }
        _snailInput = Hex.Parse(test.GetProperty("transaction").GetProperty("data")[0].GetString()!);
    }


    private static long Execute(byte[] code, byte[] input, Fork fork, long gas)
    {
        var state = new WorldState(new TrieStateStore(new MemoryKeyValueStore()));
        state.SetCode(Contract, code);
        var block = new BlockContext(Address.Zero, 1, 1, 30_000_000, UInt256.Zero, UInt256.Zero, Hash256.Zero, 1, UInt256.Zero, _ => Hash256.Zero);
        var vm = new VirtualMachine(state, EvmSpec.For(fork), block, new TxContext(Caller, UInt256.One, []));
        long used = 0;
        var worker = new Thread(() =>
        {
            var result = vm.Call(CallKind.Call, Caller, Contract, Contract, UInt256.Zero, input, gas, false, 0);
            if (!result.IsSuccess) throw new InvalidOperationException($"benchmark call failed: {result.Status}");
            used = gas - result.GasLeft;
        }, VirtualMachine.RequiredStackSize);
        worker.Start();
        worker.Join();
        return used;
    }

    private static void Report(string name, long gas)
    {
        if (!Reported.Add(name)) return;
        Console.WriteLine($"// {name}: {gas} gas per op");
    }

    [Benchmark]
    public long ArithmeticLoop()
    {
        long used = Execute(LoopCode, [], Fork.Cancun, 10_000_000);
        Report(nameof(ArithmeticLoop), used);
        return used;
    }

    [Benchmark]
    public long Snailtracer()
    {
        long used = Execute(_snailCode, _snailInput, Fork.London, 1_000_000_000);
        Report(nameof(Snailtracer), used);
        return used;
    }
}
