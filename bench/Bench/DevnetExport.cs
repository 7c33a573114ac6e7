using System.Text.Json;
using BeamSync.Chain.Building;
using BeamSync.Chain.Execution;
using BeamSync.Core;
using BeamSync.Db;
using BeamSync.Node.Devnet;

namespace BeamSync.Bench;

/// <summary>
/// The one-shot <c>devnet-block</c> mode: builds one devnet block holding one transaction of each workload kind on a
/// small generated devnet's genesis and writes the genesis allocation, the block's RLP and BeamSync's results (state
/// root, gas, receipts) as JSON, so bench/ethereumjs/devnet-block.mjs re-executes it through @ethereumjs/vm.
/// </summary>
internal static class DevnetExport
{
    public static void Run(string[] args)
    {
        string output = args.Length >= 2 && args[0] == "--export" ? args[1] : "bench/ethereumjs/devnet-block.json";
        var state = DevnetState.Generate(new DevnetOptions { Accounts = 1_000, Contracts = 25, AverageSlots = 20, LargeContracts = 1, LargeContractSlots = 600 });
        using var store = new MemoryKeyValueStore();
        var genesis = DevnetGenesis.Write(state, store).Header;
        var workload = new DevnetWorkload(state).NextBlock(150, genesis.BaseFeePerGas!.Value);
        var sample = workload.GroupBy(w => w.Kind).Select(g => g.First()).ToList();
        BuiltBlock built = null!;
        var thread = new Thread(() =>
        {
            var attributes = new BlockAttributes(genesis.Timestamp + 2, state.Accounts[0].Address, Keccak256Of(1), Keccak256Of(2), [new(1, 1, state.Accounts[1].Address, 1)]);
            built = new BlockBuilder(state.Spec, new EvmStateFactory(store)).Build(genesis, attributes, sample.Select(w => w.Transaction), _ => genesis.Hash);
        }, BeamSync.Evm.VirtualMachine.RequiredStackSize);
        thread.Start();
        thread.Join();
        if (built.Skipped.Count > 0) throw new InvalidOperationException($"{built.Skipped.Count} sample transactions were left out: {built.Skipped[0].Detail}");

        using var stream = File.Create(output);
        using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        json.WriteStartObject();
        json.WriteNumber("chainId", state.Spec.ChainId);
        json.WriteString("fork", state.Options.Fork.ToString());
        json.WriteString("genesisHash", genesis.Hash.ToString());
        json.WriteString("genesisStateRoot", genesis.StateRoot.ToString());
        json.WriteStartArray("pre");
        foreach (var (address, account) in state.Spec.Genesis!.Alloc)
        {
            json.WriteStartObject();
            json.WriteString("address", address.ToString());
            json.WriteString("nonce", new UInt256(account.Nonce).ToHexString());
            json.WriteString("balance", account.Balance.ToHexString());
            json.WriteString("code", Hex.ToHex(account.Code));
            json.WriteStartObject("storage");
            foreach (var (slot, value) in account.Storage) json.WriteString(slot.ToHexString(), value.ToHexString());
            json.WriteEndObject();
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteString("block", Hex.ToHex(built.Block.Encode()));
        json.WriteStartArray("kinds");
        foreach (var tx in built.Block.Transactions) json.WriteStringValue(sample.First(w => w.Transaction.Hash == tx.Hash).Kind.ToString());
        json.WriteEndArray();
        json.WriteStartObject("beamsync");
        json.WriteString("stateRoot", built.Block.Header.StateRoot.ToString());
        json.WriteString("receiptsRoot", built.Block.Header.ReceiptsRoot.ToString());
        json.WriteNumber("gasUsed", built.Block.Header.GasUsed);
        json.WriteStartArray("receipts");
        foreach (var r in built.Receipts)
        {
            json.WriteStartObject();
            json.WriteBoolean("success", r.Success ?? false);
            json.WriteNumber("cumulativeGasUsed", r.CumulativeGasUsed);
            json.WriteNumber("logs", r.Logs.Length);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteEndObject();
        json.WriteEndObject();
        Console.WriteLine($"devnet sample block {built.Block.Hash}: {built.Block.Transactions.Length} transactions ({string.Join(", ", sample.Select(w => w.Kind))}), gas {built.Block.Header.GasUsed}, state root {built.Block.Header.StateRoot}; wrote {output}");
    }

    private static Hash256 Keccak256Of(byte purpose) => BeamSync.Core.Crypto.Keccak256.Hash([purpose]);
}
