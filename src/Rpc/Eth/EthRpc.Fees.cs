using System.Text.Json;
using System.Text.Json.Nodes;
using BeamSync.Chain.Specs;
using BeamSync.Chain.Validation;
using BeamSync.Core;
using BeamSync.Core.Specs;
using BeamSync.Core.Types;
using BeamSync.Evm;

namespace BeamSync.Rpc;

// Fee market: eth_feeHistory, eth_gasPrice, eth_maxPriorityFeePerGas.
public sealed partial class EthRpc
{
    private const int TipSampleBlocks = 20;
    private const int TipPercentile = 60;
    private static readonly UInt256 DefaultTip = new(1_000_000_000);

    private JsonNode FeeHistory(RpcParams p)
    {
        ulong count = Math.Min(p.Quantity(0), _options.MaxFeeHistoryBlocks);
        var newest = RequireHeader(p.BlockId(1));
        var percentiles = ParsePercentiles(p);
        if (count == 0) return new JsonObject { ["oldestBlock"] = RpcJson.Quantity(0UL), ["baseFeePerGas"] = new JsonArray(), ["gasUsedRatio"] = new JsonArray() };
        ulong oldest = newest.Number + 1 >= count ? newest.Number + 1 - count : 0;

        JsonArray baseFees = [], gasUsedRatios = [], blobBaseFees = [], blobGasUsedRatios = [], rewards = [];
        for (ulong number = oldest; number <= newest.Number; number++)
        {
            var header = number == newest.Number ? newest : HeaderAt(number)!;
            var fork = _chain.ForkOf(header);
            baseFees.Add(RpcJson.Quantity(header.BaseFeePerGas ?? UInt256.Zero));
            gasUsedRatios.Add(header.GasLimit == 0 ? 0.0 : (double)header.GasUsed / header.GasLimit);
            blobBaseFees.Add(RpcJson.Quantity(BlobGasPrice(header) ?? UInt256.Zero));
            ulong maxBlobGas = fork >= Fork.Cancun ? _chain.Spec.BlobParametersOf(header.Timestamp, fork).MaxBlobGas() : 0;
            blobGasUsedRatios.Add(maxBlobGas == 0 ? 0.0 : (double)(header.BlobGasUsed ?? 0) / maxBlobGas);
            if (percentiles.Length > 0) rewards.Add(Rewards(header, percentiles));
        }
        baseFees.Add(RpcJson.Quantity(NextBaseFee(newest)));
        blobBaseFees.Add(RpcJson.Quantity(NextBlobBaseFee(newest)));

        var json = new JsonObject { ["oldestBlock"] = RpcJson.Quantity(oldest) };
        if (percentiles.Length > 0) json["reward"] = rewards;
        json["baseFeePerGas"] = baseFees;
        json["gasUsedRatio"] = gasUsedRatios;
        json["baseFeePerBlobGas"] = blobBaseFees;
        json["blobGasUsedRatio"] = blobGasUsedRatios;
        return json;
    }

    private static double[] ParsePercentiles(RpcParams p)
    {
        if (!p.Has(2)) return [];
        var element = p[2];
        if (element.ValueKind != JsonValueKind.Array) throw RpcParams.Invalid(2, "reward percentiles must be an array");
        var result = new double[element.GetArrayLength()];
        int i = 0;
        foreach (var item in element.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Number || !item.TryGetDouble(out var value) || value < 0 || value > 100 || (i > 0 && value < result[i - 1]))
                throw RpcParams.Invalid(2, "reward percentiles must be ascending numbers between 0 and 100");
            result[i++] = value;
        }
        return result;
    }

    /// <summary>The tips at the given percentiles of the block's gas, as geth weighs them (each transaction by its gas used).</summary>
    private JsonArray Rewards(BlockHeader header, double[] percentiles)
    {
        var tips = TipsOf(header);
        var rewards = new JsonArray();
        if (tips.Count == 0)
        {
            foreach (var _ in percentiles) rewards.Add(RpcJson.Quantity(0UL));
            return rewards;
        }
        int index = 0;
        ulong cumulative = tips[0].Gas;
        foreach (var percentile in percentiles)
        {
            double threshold = header.GasUsed * percentile / 100;
            while (cumulative < threshold && index < tips.Count - 1) cumulative += tips[++index].Gas;
            rewards.Add(RpcJson.Quantity(tips[index].Tip));
        }
        return rewards;
    }

    /// <summary>Each transaction's effective tip and gas used, cheapest tip first.</summary>
    private List<(UInt256 Tip, ulong Gas)> TipsOf(BlockHeader header)
    {
        var body = BodyOf(header);
        var receipts = _chain.GetReceipts(header.Hash);
        var tips = new List<(UInt256, ulong)>();
        if (body is null || receipts is null || receipts.Length != body.Transactions.Length) return tips;
        var baseFee = header.BaseFeePerGas ?? UInt256.Zero;
        ulong previous = 0;
        for (int i = 0; i < receipts.Length; i++)
        {
            var price = RpcFormat.EffectiveGasPrice(body.Transactions[i], header.BaseFeePerGas);
            tips.Add((price > baseFee ? price - baseFee : UInt256.Zero, receipts[i].CumulativeGasUsed - previous));
            previous = receipts[i].CumulativeGasUsed;
        }
        tips.Sort((a, b) => Compare(a.Item1, b.Item1));
        return tips;
    }

    private UInt256 NextBaseFee(BlockHeader parent)
    {
        if (parent.BaseFeePerGas is not null) return BaseFee.Calculate(parent, parentIsLondon: true);
        return _chain.Spec.ForkAt(parent.Number + 1, parent.Timestamp) >= Fork.London ? BaseFee.Calculate(parent, false) : UInt256.Zero;
    }

    private UInt256 NextBlobBaseFee(BlockHeader parent)
    {
        var fork = _chain.ForkOf(parent);
        if (fork < Fork.Cancun || parent.ExcessBlobGas is not { } excess) return UInt256.Zero;
        var parameters = _chain.Spec.BlobParametersOf(parent.Timestamp, fork);
        var next = BlobGas.ExcessBlobGas(excess, parent.BlobGasUsed ?? 0, parent.BaseFeePerGas ?? UInt256.Zero, parameters, fork >= Fork.Osaka);
        return BlobGas.BaseFee(next, parameters);
    }

    /// <summary>The tip to suggest: the <see cref="TipPercentile"/>th percentile of the recent blocks' tips, or 1 gwei without samples.</summary>
    private UInt256 SuggestedTip()
    {
        var head = Head;
        var samples = new List<UInt256>();
        for (ulong n = 0; n < TipSampleBlocks && n <= head.Number && head.Number - n >= _sync.OldestLocalBlock; n++)
        {
            var header = n == 0 ? head : HeaderAt(head.Number - n);
            if (header is null) break;
            foreach (var (tip, _) in TipsOf(header)) samples.Add(tip);
        }
        if (samples.Count == 0) return DefaultTip;
        samples.Sort(Compare);
        return samples[(samples.Count - 1) * TipPercentile / 100];
    }

    private static int Compare(UInt256 a, UInt256 b) => a < b ? -1 : a > b ? 1 : 0;

    private JsonNode GasPrice() => RpcJson.Quantity((Head.BaseFeePerGas ?? UInt256.Zero) + SuggestedTip());
}
