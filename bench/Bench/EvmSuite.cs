using System.Diagnostics;
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
/// The one-shot <c>evm</c> mode: every case of the evm-benchmarks suite (main/ and micro/, one case per calldata
/// entry), the code and input from the fixture. Before timing, each case runs once as the fixture's transaction
/// (London) and must reach the fixture's post-state root, which fixes the gas it used; the timed interpreter call
/// (the contract called directly, as evmone-bench does) must use that gas less the intrinsic gas. Each round
/// repeats the call until <c>--min-ms</c> passed; the median round gives the time per call and Mgas/s.
/// Output columns (scripts/evm-vs-evmone.sh parses them): case, gas, microseconds per call, Mgas/s.
/// </summary>
internal static class EvmSuite
{
    private const Fork SuiteFork = Fork.London;

    /// <summary>A case; <c>TransactionGas</c> is the fixture transaction's gas after them.</summary>
    private sealed record Case(string Name, byte[] Code, byte[] Input, Address Sender, Address Contract, long Intrinsic, long TransactionGas);

    public static int Run(string[] args)
    {
        string? filter = null;
        int rounds = 5;
        double minMs = 200;
        string folder = Path.Combine(FixturePaths.Root(), "evm-benchmarks", "benchmarks");
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] == "--rounds" && i + 1 < args.Length) rounds = int.Parse(args[++i]);
            else if (args[i] == "--min-ms" && i + 1 < args.Length) minMs = double.Parse(args[++i]);
            else if (args[i] == "--dir" && i + 1 < args.Length) folder = args[++i];
            else filter = args[i];
        }

        int exitCode = 0;
        var worker = new Thread(() => exitCode = RunAll(folder, filter, rounds, minMs), VirtualMachine.RequiredStackSize);
        worker.Start();
        worker.Join();
        return exitCode;
    }

    private static int RunAll(string folder, string? filter, int rounds, double minMs)
    {
        Console.WriteLine($"{"case",-40} {"gas",12} {"us/call",12} {"Mgas/s",10}");
        int failures = 0;
        var runners = new List<CaseRunner>();
        foreach (var file in new[] { "main", "micro" }.SelectMany(d => Directory.GetFiles(Path.Combine(folder, d), "*.json").Order(StringComparer.Ordinal)))
        {
            foreach (var (benchCase, loadError) in LoadCases(file))
            {
                if (filter is not null && !benchCase.Name.Contains(filter, StringComparison.Ordinal)) continue;
                var runner = loadError is null ? new CaseRunner(benchCase) : null;
                if ((loadError ?? runner!.Error) is { } error)
                {
                    Console.WriteLine($"{benchCase.Name,-40} FAILED {error}");
                    failures++;
                }
                else runners.Add(runner!);
            }
        }

        // Warm-up over all cases in turn until the tiered JIT has had time to replace the interpreter loop's
        // on-stack-replacement code with its fully optimized tier (it needs calls spread over a quiet 100 ms, then a
        // background compile); the profile it optimizes by then comes from every case, not only the first.
        var warm = Stopwatch.StartNew();
        for (int i = 0; runners.Count > 0 && warm.ElapsedMilliseconds < WarmUpMilliseconds; i++)
        {
            var runner = runners[i % runners.Count];
            if (runner.Call() != runner.Gas)
            {
                Console.WriteLine($"{runner.Case.Name,-40} FAILED a later call used other gas than the first");
                return 1;
            }
        }
        foreach (var runner in runners)
        {
            double microseconds = runner.Time(rounds, minMs);
            Console.WriteLine($"{runner.Case.Name,-40} {runner.Gas,12} {microseconds,12:F1} {runner.Gas / microseconds,10:F1}");
        }
        return failures == 0 ? 0 : 1;
    }

    private const int WarmUpMilliseconds = 2_000;

    /// <summary>One case per calldata entry, its gas checked by running the fixture's transaction to its post-state root.</summary>
    private static IEnumerable<(Case Case, string? Error)> LoadCases(string file)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(file));
        var test = doc.RootElement.EnumerateObject().First().Value;
        var tx = test.GetProperty("transaction");
        var contract = Address.Parse(tx.GetProperty("to").GetString()!);
        var sender = Secp256k1Curve.ToAddress(Secp256k1Curve.GetPublicKey(Hex.Parse(tx.GetProperty("secretKey").GetString()!)));
        var labels = test.GetProperty("_info").GetProperty("labels");
        var posts = test.GetProperty("post").GetProperty(SuiteFork.ToString()).EnumerateArray().ToArray();
        string prefix = $"{Path.GetFileName(Path.GetDirectoryName(file))}/{Path.GetFileNameWithoutExtension(file)}/";
        var data = tx.GetProperty("data");
        for (int d = 0; d < data.GetArrayLength(); d++)
        {
            string name = prefix + (labels.TryGetProperty(d.ToString(), out var label) ? label.GetString() : d.ToString());
            var input = Hex.Parse(data[d].GetString()!);
            var state = LoadPreState(test.GetProperty("pre"));
            var code = state.GetCode(contract);
            var post = posts.FirstOrDefault(p => p.GetProperty("indexes").GetProperty("data").GetInt32() == d);
            if (post.ValueKind != JsonValueKind.Object)
            {
                yield return (new Case(name, code, input, sender, contract, 0, 0), $"no {SuiteFork} post entry");
                continue;
            }
            var transaction = new Transaction
            {
                Type = TransactionType.Legacy, ChainId = 1, Nonce = UInt256.Parse(tx.GetProperty("nonce").GetString()!).U0,
                To = contract, Value = UInt256.Parse(tx.GetProperty("value")[0].GetString()!), Data = input,
                GasLimit = UInt256.Parse(tx.GetProperty("gasLimit")[0].GetString()!).U0,
                GasPrice = UInt256.Parse(tx.GetProperty("gasPrice").GetString()!),
            };
            var result = new TransactionProcessor(state, EvmSpec.For(SuiteFork), Block(test.GetProperty("env"))).Execute(transaction, sender);
            var root = state.Commit();
            var wantRoot = Hash256.Parse(post.GetProperty("hash").GetString()!);
            var benchCase = new Case(name, code, input, sender, contract, (long)IntrinsicGas.Calculate(transaction, SuiteFork), result.GasUsed);
            if (!result.IsValid || !result.Success) yield return (benchCase, $"fixture transaction failed: {result.Error}");
            else if (root != wantRoot) yield return (benchCase, $"post-state root {root}, fixture {wantRoot}");
            else yield return (benchCase, null);
        }
    }

    private static WorldState LoadPreState(JsonElement pre)
    {
        var state = new WorldState(new TrieStateStore(new MemoryKeyValueStore()));
        foreach (var account in pre.EnumerateObject())
        {
            var address = Address.Parse(account.Name);
            state.AddBalance(address, UInt256.Parse(account.Value.GetProperty("balance").GetString()!));
            state.SetNonce(address, UInt256.Parse(account.Value.GetProperty("nonce").GetString()!).U0);
            var code = Hex.Parse(account.Value.GetProperty("code").GetString()!);
            if (code.Length > 0) state.SetCode(address, code);
            if (account.Value.GetProperty("storage").EnumerateObject().Any())
                throw new NotSupportedException($"{account.Name}: the benchmark loader takes no pre-state storage");
        }
        state.Commit();
        return state;
    }

    private static BlockContext Block(JsonElement env)
    {
        UInt256 Get(string field) => UInt256.Parse(env.GetProperty(field).GetString()!);
        return new BlockContext(Address.Parse(env.GetProperty("currentCoinbase").GetString()!), Get("currentNumber").U0,
            Get("currentTimestamp").U0, Get("currentGasLimit").U0, Get("currentBaseFee"), Get("currentDifficulty"),
            Hash256.Zero, 1, UInt256.Zero, n => Keccak256.Hash(System.Text.Encoding.ASCII.GetBytes(n.ToString(System.Globalization.CultureInfo.InvariantCulture))));
    }

    /// <summary>
    /// One case's contract on its own state and VM, called directly as evmone-bench calls it. The first call's gas,
    /// with the intrinsic gas and the capped refund (EIP-3529) of a London transaction, must be the fixture
    /// transaction's (<see cref="Error"/> says otherwise).
    /// </summary>
    private sealed class CaseRunner
    {
        private const long CallGas = long.MaxValue / 2;
        private readonly WorldState _state = new(new TrieStateStore(new MemoryKeyValueStore()));
        private readonly VirtualMachine _vm;

        public CaseRunner(Case benchCase)
        {
            Case = benchCase;
            _state.SetCode(benchCase.Contract, benchCase.Code);
            var block = new BlockContext(Address.Zero, 1, 1, 30_000_000, UInt256.One, UInt256.Zero, Hash256.Zero, 1, UInt256.Zero, _ => Hash256.Zero);
            _vm = new VirtualMachine(_state, EvmSpec.For(SuiteFork), block, new TxContext(benchCase.Sender, UInt256.One, []));
            Gas = Call(out long refund);
            long transactionGas = benchCase.Intrinsic + Gas;
            transactionGas -= Math.Min(refund, transactionGas / EvmSpec.For(SuiteFork).MaxRefundQuotient);
            if (Gas < 0 || transactionGas != benchCase.TransactionGas)
                Error = $"call used {Gas} gas ({transactionGas} as a transaction), the fixture's transaction {benchCase.TransactionGas}";
        }

        public Case Case { get; }
        /// <summary>Gas the call uses before refunds.</summary>
        public long Gas { get; }
        public string? Error { get; }

        public long Call() => Call(out _);

        private long Call(out long refund)
        {
            // Undone after each call, so storage a case writes (snailtracer) is as fresh for every call as for the first.
            int snapshot = _state.Snapshot();
            var result = _vm.Call(CallKind.Call, Case.Sender, Case.Contract, Case.Contract, UInt256.Zero, Case.Input, CallGas, false, 0);
            refund = _state.Refund;
            _state.Revert(snapshot);
            _state.FinalizeTransaction(true);
            return result.IsSuccess ? CallGas - result.GasLeft : -1;
        }

        /// <summary>Median microseconds per call over <paramref name="rounds"/> rounds of at least <paramref name="minMs"/> each.</summary>
        public double Time(int rounds, double minMs) => MedianTimer.MicrosecondsPerCall(() => Call(), rounds, minMs);
    }
}
