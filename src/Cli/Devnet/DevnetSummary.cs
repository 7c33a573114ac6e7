using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using BeamSync.Node.Devnet;
using BeamSync.Sync;

namespace BeamSync.Cli.Devnet;

/// <summary>A lag mean and maximum, in blocks.</summary>
public sealed record LagFigures(double Mean, long Max);

/// <summary>Counts by kind of fetch (urgent, prefetch, preview, witness, backfill) and by wire form (hash, path, key); every key present.</summary>
public sealed record FetchFigures(IReadOnlyDictionary<string, long> ByKind, IReadOnlyDictionary<string, long> ByForm);

/// <summary>
/// What the engine driver saw (null with the heads driver): payloads relayed, the first one's time from sending to
/// VALID, how many were answered SYNCING (or ACCEPTED) first, the slowest later one, and how many later ones took
/// longer than the block time or were never VALID (a newer block came first and the driver moved on).
/// </summary>
public sealed record EnginePayloadFigures(int Relayed, double? FirstPayloadToValidMs, int PayloadsSyncingFirst, double LaterToValidMaxMs, int LaterLate, int NeverValid);

/// <summary>
/// The devnet summary of one beam node: the keys of <c>--json</c>, documented in README.md ("The devnet summary").
/// A figure the node never reached (no verified block, never full) is null.
/// </summary>
public sealed record NodeSummary(
    string Node,
    long LocalStateNodesAtStart,
    double? TimeToFirstVerifiedBlockMs,
    double? BackfillFractionAtFirstBlock,
    IReadOnlyDictionary<string, double> FirstBlockTimelineMs,
    long BlocksExecuted,
    LagFigures Lag,
    FetchFigures NodesFetched,
    FetchFigures BytesFetched,
    long RoundTrips,
    MeanP95 StallMsPerBlock,
    MeanP95 AvailableToVerifiedMs,
    int Pivots,
    int Reorgs,
    int WindowSlidesDuringBackfill,
    double RefetchedFraction,
    IReadOnlyDictionary<string, long> DuplicateNodesBySource,
    long ProofNodesAlreadyLocal,
    double ShareFromBeamPeers,
    double? TimeToFullNodeMs,
    bool? FinalStateRootMatches,
    string Mode,
    EnginePayloadFigures? EnginePayloads = null);

/// <summary>Computes the summary from a node's timeline and writes the <c>--json</c> document. Pure.</summary>
public static class DevnetSummary
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    /// <summary>The summary of the node's latest snapshot plus what the producer told the devnet; null before any snapshot.</summary>
    public static NodeSummary? Of(NodeTimeline timeline)
    {
        if (timeline.Latest is not { } stats) return null;
        return new NodeSummary(
            timeline.Name,
            stats.LocalStateNodesAtStart,
            stats.TimeToFirstVerifiedBlockMs,
            BackfillFraction(stats.LocalStateNodesAtFirstBlock, timeline.PivotStateNodeCount),
            stats.FirstBlockTimeline,
            stats.BlocksExecuted,
            new LagFigures(stats.LagMean, stats.LagMax),
            new FetchFigures(AllKeys(stats.NodesFetchedByKind, FetchKinds.All), AllKeys(stats.NodesFetchedByForm, WireForms.All)),
            new FetchFigures(AllKeys(stats.BytesFetchedByKind, FetchKinds.All), AllKeys(stats.BytesFetchedByForm, WireForms.All)),
            stats.RoundTrips,
            new MeanP95(stats.StallMsPerBlockMean, stats.StallMsPerBlockP95),
            new MeanP95(stats.AvailableToVerifiedMsMean, stats.AvailableToVerifiedMsP95),
            stats.Pivots,
            stats.Reorgs,
            stats.WindowSlidesDuringBackfill,
            stats.RefetchedFraction,
            AllKeys(stats.DuplicateNodesBySource, FetchKinds.All),
            stats.ProofNodesAlreadyLocal,
            stats.ShareFromBeamPeers,
            stats.TimeToFullNodeMs,
            timeline.FinalStateRootMatches,
            stats.Mode,
            EnginePayloads(timeline));
    }

    private static EnginePayloadFigures? EnginePayloads(NodeTimeline timeline)
    {
        var payloads = timeline.Payloads;
        if (payloads.Count == 0) return null;
        var later = payloads.Skip(1).ToList();
        return new EnginePayloadFigures(
            payloads.Count,
            payloads[0].Valid ? payloads[0].ToValid.TotalMilliseconds : null,
            payloads.Count(p => p.FirstStatus != Rpc.Engine.PayloadStatus.Valid),
            later.Where(p => p.Valid).Select(p => p.ToValid.TotalMilliseconds).DefaultIfEmpty(0).Max(),
            later.Count(p => !p.Valid || p.ToValid > timeline.BlockTime),
            payloads.Count(p => !p.Valid));
    }

    /// <summary>Local state nodes at the first verified block over the producer's nodes at the pivot's parent root.</summary>
    public static double? BackfillFraction(long localAtFirstBlock, long? pivotStateNodes) =>
        pivotStateNodes is > 0 ? (double)localAtFirstBlock / pivotStateNodes.Value : null;

    /// <summary>
    /// The <c>--json</c> document: the first beam node's keys at the top level, <c>producerReorgs</c> (the side branches
    /// the producer made; null when it did not say), and <c>nodes</c> with every beam node.
    /// </summary>
    public static string ToJson(IReadOnlyList<NodeSummary> nodes, int? producerReorgs = null)
    {
        var document = nodes.Count == 0 ? new JsonObject() : JsonSerializer.SerializeToNode(nodes[0], Json)!.AsObject();
        document["producerReorgs"] = producerReorgs;
        document["nodes"] = JsonSerializer.SerializeToNode(nodes, Json);
        return document.ToJsonString(Json);
    }

    private static IReadOnlyDictionary<string, long> AllKeys(IReadOnlyDictionary<string, long> counts, string[] keys)
    {
        // Ordered as the keys are, zeros included, so the JSON has a fixed shape.
        var ordered = new Dictionary<string, long>();
        foreach (var key in keys) ordered[key] = counts.GetValueOrDefault(key);
        return ordered;
    }
}
