using System.Diagnostics;
using System.Text.Json;
using BeamSync.Core;

namespace BeamSync.Bench;

/// <summary>
/// The one-shot <c>erc20-block</c> mode: times <see cref="Erc20Block"/> on BeamSync (warm-up runs, then a fresh pre-state per
/// run; execution and state-root commit timed in wall and process CPU time,
/// sender recovery not) and writes the block's inputs with BeamSync's results as JSON, so
/// bench/ethereumjs/erc20-block.mjs runs the identical pre-state and signed transactions and checks the root.
/// </summary>
internal static class Erc20Export
{
    public static void Run(string[] args)
    {
        string output = "bench/ethereumjs/erc20-block.json";
        int runs = 11, warmup = 5;
        for (int i = 0; i + 1 < args.Length; i += 2)
        {
            if (args[i] == "--export") output = args[i + 1];
            else if (args[i] == "--runs") runs = int.Parse(args[i + 1]);
            else if (args[i] == "--warmup") warmup = int.Parse(args[i + 1]);
        }

        var block = new Erc20Block();
        block.RecoverSenders();
        var preRoot = block.CreatePreState().Root;
        long gas = 0;
        Hash256 root = default;
        // Warm-up runs let tiered JIT reach optimized code, as BenchmarkDotNet's warm-up does.
        for (int w = 0; w < warmup; w++) block.Execute(block.CreatePreState());
        var times = new double[runs];
        var cpuTimes = new double[runs];
        for (int r = 0; r < runs; r++)
        {
            var pre = block.CreatePreState();
            // As BenchmarkDotNet does before each iteration: collect the previous run's garbage outside the timing.
            GC.Collect();
            GC.WaitForPendingFinalizers();
            GC.Collect();
            double cpuStart = ProcessCpu.Milliseconds();
            var watch = Stopwatch.StartNew();
            (gas, root) = block.Execute(pre);
            times[r] = watch.Elapsed.TotalMilliseconds;
            cpuTimes[r] = ProcessCpu.Milliseconds() - cpuStart;
        }
        Array.Sort(times);
        Array.Sort(cpuTimes);
        double median = times[runs / 2];
        double cpuMedian = cpuTimes[runs / 2];
        Console.WriteLine($"beamsync: {Erc20Block.TransferCount} transfers, {gas} gas, pre-state root {preRoot}, post-state root {root}");
        Console.WriteLine($"beamsync: median {median:F2} ms over {runs} runs after {warmup} warm-up (min {times[0]:F2}, max {times[^1]:F2}) = {gas / median / 1000:F1} Mgas/s; " +
            $"median process CPU {cpuMedian:F2} ms = {gas / cpuMedian / 1000:F1} Mgas/s");

        using var stream = File.Create(output);
        using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        json.WriteStartObject();
        json.WriteString("fork", Erc20Block.BlockFork.ToString());
        json.WriteNumber("chainId", Erc20Block.ChainId);
        json.WriteStartObject("block");
        json.WriteString("coinbase", block.Block.Coinbase.ToString());
        json.WriteString("number", new UInt256(block.Block.Number).ToHexString());
        json.WriteString("timestamp", new UInt256(block.Block.Timestamp).ToHexString());
        json.WriteString("gasLimit", new UInt256(block.Block.GasLimit).ToHexString());
        json.WriteString("baseFeePerGas", block.Block.BaseFee.ToHexString());
        json.WriteString("prevRandao", block.Block.PrevRandao.ToString());
        json.WriteString("excessBlobGas", "0x0");
        json.WriteEndObject();
        json.WriteStartArray("pre");
        foreach (var account in block.PreState)
        {
            json.WriteStartObject();
            json.WriteString("address", account.Address.ToString());
            json.WriteString("nonce", new UInt256(account.Nonce).ToHexString());
            json.WriteString("balance", account.Balance.ToHexString());
            json.WriteString("code", Hex.ToHex(account.Code ?? []));
            json.WriteStartObject("storage");
            foreach (var (slot, value) in account.Storage) json.WriteString(slot.ToHexString(), value.ToHexString());
            json.WriteEndObject();
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteStartArray("transactions");
        foreach (var tx in block.Transactions) json.WriteStringValue(Hex.ToHex(tx.EncodeCanonical()));
        json.WriteEndArray();
        json.WriteStartObject("beamsync");
        json.WriteString("preStateRoot", preRoot.ToString());
        json.WriteString("postStateRoot", root.ToString());
        json.WriteNumber("gasUsed", gas);
        json.WriteNumber("medianMs", median);
        json.WriteNumber("medianCpuMs", cpuMedian);
        json.WriteNumber("runs", runs);
        json.WriteNumber("warmup", warmup);
        json.WriteEndObject();
        json.WriteEndObject();
        Console.WriteLine($"wrote {output}");
    }
}
