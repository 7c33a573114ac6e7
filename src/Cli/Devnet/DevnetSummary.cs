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

/// <summary>A node of the devnet a beam node may fetch from: its name, its serving profile and its node id (hex).</summary>
public sealed record DevnetPeer(string Name, string Profile, string NodeId);

/// <summary>
/// What one beam node fetched from one peer: verified nodes (and code) and their bytes, their shares of everything it
/// fetched, and the same by wire form (every form present).
/// </summary>
public sealed record ServerShare(
    string Server, string Profile, long Nodes, long Bytes, double NodeShare, double ByteShare,
    IReadOnlyDictionary<string, long> NodesByForm, IReadOnlyDictionary<string, long> BytesByForm);

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
    EnginePayloadFigures? EnginePayloads = null,
    IReadOnlyList<ServerShare>? Servers = null);

/// <summary>Computes the summary from a node's timeline and writes the <c>--json</c> document. Pure.</summary>
public static class DevnetSummary
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    /// <summary>
    /// The summary of the node's latest snapshot plus what the producer told the devnet; null before any snapshot.
    /// <paramref name="peers"/>: the devnet's nodes, which name the peers in the shares (an unknown peer keeps its id).
    /// </summary>
    public static NodeSummary? Of(NodeTimeline timeline) => Of(timeline, []);

    /// <inheritdoc cref="Of(NodeTimeline)"/>
    public static NodeSummary? Of(NodeTimeline timeline, IReadOnlyList<DevnetPeer> peers)
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
            EnginePayloads(timeline),
            Shares(stats, peers));
    }

    /// <summary>
    /// Each peer's share, most nodes first. A peer is named by the short node id its sync id ends with
    /// (<c>client-0123abcd</c>), matched against the devnet's nodes.
    /// </summary>
    public static IReadOnlyList<ServerShare> Shares(SyncStats stats, IReadOnlyList<DevnetPeer> peers)
    {
        var byPeer = stats.FetchedByPeerAndForm;
        long allNodes = byPeer.Values.Sum(forms => forms.Values.Sum(f => f.Nodes));
        long allBytes = byPeer.Values.Sum(forms => forms.Values.Sum(f => f.Bytes));
        return byPeer.Select(entry =>
        {
            string shortId = entry.Key[(entry.Key.LastIndexOf('-') + 1)..];
            var known = peers.FirstOrDefault(p => shortId.Length > 0 && p.NodeId.StartsWith(shortId, StringComparison.OrdinalIgnoreCase));
            long nodes = entry.Value.Values.Sum(f => f.Nodes), bytes = entry.Value.Values.Sum(f => f.Bytes);
            return new ServerShare(known?.Name ?? entry.Key, known?.Profile ?? "unknown", nodes, bytes,
                allNodes == 0 ? 0 : (double)nodes / allNodes, allBytes == 0 ? 0 : (double)bytes / allBytes,
                AllKeys(entry.Value.ToDictionary(f => f.Key, f => f.Value.Nodes), WireForms.All),
                AllKeys(entry.Value.ToDictionary(f => f.Key, f => f.Value.Bytes), WireForms.All));
        }).OrderByDescending(share => share.Nodes).ThenBy(share => share.Server, StringComparer.Ordinal).ToList();
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
