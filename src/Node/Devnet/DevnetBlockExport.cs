using System.Text.Json;
using BeamSync.Core;
using BeamSync.Core.Types;
using BeamSync.Db;
using BeamSync.Evm;

namespace BeamSync.Node.Devnet;

/// <summary>Blocks a devnet producer made on a fresh genesis, with the devnet they were made on.</summary>
public sealed record DevnetBlockSample(DevnetState State, BlockHeader Genesis, IReadOnlyList<ProducedBlock> Blocks)
{
    /// <summary>The workload kind of each transaction of <paramref name="block"/>, in block order.</summary>
    public static IEnumerable<WorkloadKind> KindsOf(ProducedBlock block) => block.Block.Transactions.Select(tx => block.Workload[tx.Hash].Kind);
}

/// <summary>
/// Writes devnet blocks with their pre-state so another client can re-execute them: the genesis allocation, each
/// block's RLP in chain order, and BeamSync's results (state root, receipts root, gas, each receipt's status,
/// cumulative gas and logs). bench/ethereumjs/devnet-block.mjs reads this file and runs the blocks through
/// @ethereumjs/vm.
/// </summary>
public static class DevnetBlockExport
{
    /// <summary>A devnet small enough to generate in well under a second; the seed's first blocks hold every workload kind.</summary>
    public static DevnetOptions SampleOptions => new()
    {
        Accounts = 1_000, Contracts = 25, AverageSlots = 20, LargeContracts = 1, LargeContractSlots = 600, TransactionsPerBlock = 40,
    };

    public const int SampleBlocks = 3;

    /// <summary>
    /// Produces <paramref name="blockCount"/> blocks on a fresh devnet made with <paramref name="options"/>, in memory,
    /// on a thread with the stack block execution needs.
    /// </summary>
    public static DevnetBlockSample Produce(DevnetOptions options, int blockCount)
    {
        var state = DevnetState.Generate(options);
        using var store = new MemoryKeyValueStore();
        var producer = new DevnetProducer(state, store);
        var genesis = producer.Head;
        var blocks = new List<ProducedBlock>(blockCount);
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try { for (int i = 0; i < blockCount; i++) blocks.Add(producer.ProduceBlock()); }
            catch (Exception e) { failure = e; }
        }, VirtualMachine.RequiredStackSize);
        thread.Start();
        thread.Join();
        if (failure is not null) throw new InvalidOperationException("producing the devnet sample failed", failure);
        return new DevnetBlockSample(state, genesis, blocks);
    }

    public static void Write(DevnetBlockSample sample, Stream output)
    {
        using var json = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = true });
        json.WriteStartObject();
        json.WriteNumber("chainId", sample.State.Spec.ChainId);
        json.WriteString("fork", sample.State.Options.Fork.ToString());
        json.WriteString("genesisHash", sample.Genesis.Hash.ToString());
        json.WriteString("genesisStateRoot", sample.Genesis.StateRoot.ToString());
        WriteAllocation(json, sample.State);
        json.WriteStartArray("blocks");
        foreach (var produced in sample.Blocks) WriteBlock(json, produced);
        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void WriteAllocation(Utf8JsonWriter json, DevnetState state)
    {
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
    }

    private static void WriteBlock(Utf8JsonWriter json, ProducedBlock produced)
    {
        var block = produced.Block;
        json.WriteStartObject();
        json.WriteString("rlp", Hex.ToHex(block.Encode()));
        json.WriteStartArray("kinds");
        foreach (var kind in DevnetBlockSample.KindsOf(produced)) json.WriteStringValue(kind.ToString());
        json.WriteEndArray();
        json.WriteStartObject("beamsync");
        json.WriteString("stateRoot", block.Header.StateRoot.ToString());
        json.WriteString("receiptsRoot", block.Header.ReceiptsRoot.ToString());
        json.WriteNumber("gasUsed", block.Header.GasUsed);
        json.WriteStartArray("receipts");
        foreach (var receipt in produced.Receipts)
        {
            json.WriteStartObject();
            json.WriteBoolean("success", receipt.Success ?? false);
            json.WriteNumber("cumulativeGasUsed", receipt.CumulativeGasUsed);
            // Each log's RLP, so the other side compares address, topics and data byte for byte.
            json.WriteStartArray("logs");
            foreach (var log in receipt.Logs) json.WriteStringValue(Hex.ToHex(log.Encode()));
            json.WriteEndArray();
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteEndObject();
        json.WriteEndObject();
    }
}
