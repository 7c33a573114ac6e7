using System.Text.Json;
using BeamSync.Cli.Devnet;
using BeamSync.Sync;
using BeamSync.Node.Devnet;

namespace BeamSync.Cli.Tests;

public sealed class DevnetSummaryTests
{
    /// <summary>The keys the contract names, in its order.</summary>
    private static readonly string[] SummaryKeys =
    [
        "node", "localStateNodesAtStart", "timeToFirstVerifiedBlockMs", "backfillFractionAtFirstBlock", "firstBlockTimelineMs", "blocksExecuted", "lag",
        "nodesFetched", "bytesFetched", "roundTrips", "stallMsPerBlock", "availableToVerifiedMs", "pivots", "reorgs", "windowSlidesDuringBackfill",
        "refetchedFraction", "duplicateNodesBySource", "proofNodesAlreadyLocal", "shareFromBeamPeers", "timeToFullNodeMs", "finalStateRootMatches", "mode", "enginePayloads", "servers",
    ];

    internal static SyncStats Stats(ulong executed, string mode, ulong? pivot = 10) => new()
    {
        Mode = mode,
        Head = executed + 1,
        Executed = executed,
        Pivot = pivot,
        Lag = 1,
        LagMean = 1.25,
        LagMax = 4,
        LocalStateNodesAtFirstBlock = 1_500,
        TimeToFirstVerifiedBlockMs = 1_234.5,
        TimeToFullNodeMs = mode == "full" ? 98_765 : null,
        BlocksExecuted = (long)executed - 9,
        Pivots = 1,
        WindowSlidesDuringBackfill = 3,
        NodesFetchedByKind = new Dictionary<string, long> { ["urgent"] = 700, ["backfill"] = 40_000 },
        BytesFetchedByKind = new Dictionary<string, long> { ["urgent"] = 350_000, ["backfill"] = 20_000_000 },
        NodesFetchedByForm = new Dictionary<string, long> { ["path"] = 40_700 },
        BytesFetchedByForm = new Dictionary<string, long> { ["path"] = 20_350_000 },
        RoundTrips = 812,
        RefetchedFraction = 0.004,
        DuplicateNodesBySource = new Dictionary<string, long> { ["backfill"] = 160 },
        ProofNodesAlreadyLocal = 2_100,
        ShareFromBeamPeers = 0.3,
        StallMsPerBlockMean = 40,
        StallMsPerBlockP95 = 180,
        AvailableToVerifiedMsMean = 90,
        AvailableToVerifiedMsP95 = 260,
        Blocks = [new BlockSyncRecord(executed, 1, 2, 35.5, 80, 12, 30, 21_000)],
        Backfill = new BackfillProgress { Running = mode != "full", Complete = mode == "full", Fraction = mode == "full" ? 1 : 0.4, EtaSeconds = 12 },
        FinalStateRoot = mode == "full" ? "0xabc" : null,
    };

    [Fact]
    public void Each_servers_share_is_named_by_its_node_id_and_counted_per_form()
    {
        var timeline = new NodeTimeline("beam-1");
        timeline.Add(1.0, Stats(40, "full") with
        {
            FetchedByPeerAndForm = new Dictionary<string, IReadOnlyDictionary<string, NodesAndBytes>>
            {
                ["BeamSync-0a1b2c3d"] = new Dictionary<string, NodesAndBytes> { ["hash"] = new(600, 60_000), ["path"] = new(200, 40_000) },
                ["BeamSync-99887766"] = new Dictionary<string, NodesAndBytes> { ["key"] = new(1_200, 100_000) },
                ["Geth-deadbeef"] = new Dictionary<string, NodesAndBytes> { ["hash"] = new(0, 0) },
            },
        });
        DevnetPeer[] peers = [new("producer", "legacy", "0a1b2c3d" + new string('e', 120)), new("server-2", "modern", "99887766" + new string('f', 120))];

        var servers = DevnetSummary.Of(timeline, peers)!.Servers!;
        Assert.Equal(["server-2", "producer", "Geth-deadbeef"], servers.Select(s => s.Server));
        var modern = servers[0];
        Assert.Equal(("modern", 1_200L, 100_000L), (modern.Profile, modern.Nodes, modern.Bytes));
        Assert.Equal(0.6, modern.NodeShare, 12); // 1,200 of 2,000
        Assert.Equal(0.5, modern.ByteShare, 12); // 100,000 of 200,000
        Assert.Equal(0, modern.NodesByForm["hash"]); // every form present
        var legacy = servers[1];
        Assert.Equal((600L, 200L, 0L), (legacy.NodesByForm["hash"], legacy.NodesByForm["path"], legacy.NodesByForm["key"]));
        Assert.Equal(40_000, legacy.BytesByForm["path"]);
        Assert.Equal("unknown", servers[2].Profile);

        var table = DevnetViewTests.Render(DevnetView.SummaryTable([DevnetSummary.Of(timeline, peers)!]));
        Assert.Contains("from producer (legacy)", table);
        Assert.Contains("from server-2 by key", table);
        Assert.DoesNotContain("from server-2 by path", table);
    }

    [Fact]
    public void The_summary_takes_the_latest_snapshot_and_the_producer_facts()
    {
        var timeline = new NodeTimeline("beam-1");
        timeline.Add(1.0, Stats(12, "beam"));
        timeline.Add(2.0, Stats(40, "full"));
        timeline.PivotStateNodeCount = 60_000;
        timeline.FinalStateRootMatches = true;

        var summary = DevnetSummary.Of(timeline)!;
        Assert.Equal(10UL, timeline.FirstPivot);
        Assert.Equal(40UL, timeline.FinalRootSeenAtBlock);
        Assert.Equal(0.025, summary.BackfillFractionAtFirstBlock!.Value, 12); // 1,500 / 60,000
        Assert.Equal(31, summary.BlocksExecuted);
        Assert.Equal(new LagFigures(1.25, 4), summary.Lag);
        Assert.Equal(new MeanP95(40, 180), summary.StallMsPerBlock);
        Assert.Equal(new MeanP95(90, 260), summary.AvailableToVerifiedMs);
        Assert.Equal(700, summary.NodesFetched.ByKind["urgent"]);
        Assert.Equal(0, summary.NodesFetched.ByKind["witness"]); // absent keys are zero, never missing
        Assert.Equal(0, summary.NodesFetched.ByForm["hash"]);
        Assert.Equal(20_000_000, summary.BytesFetched.ByKind["backfill"]);
        Assert.Equal(160, summary.DuplicateNodesBySource["backfill"]);
        Assert.Equal(0, summary.DuplicateNodesBySource["witness"]);
        Assert.Equal(2_100, summary.ProofNodesAlreadyLocal);
        Assert.Equal(98_765, summary.TimeToFullNodeMs);
        Assert.True(summary.FinalStateRootMatches);
        Assert.Equal("full", summary.Mode);
        Assert.Equal(2, timeline.Blocks.Count); // blocks 12 and 40, kept across snapshots
    }

    [Fact]
    public void Figures_not_reached_are_null()
    {
        Assert.Null(DevnetSummary.Of(new NodeTimeline("beam-1")));
        var timeline = new NodeTimeline("beam-1");
        timeline.Add(1, Stats(12, "beam") with { TimeToFirstVerifiedBlockMs = null });
        var summary = DevnetSummary.Of(timeline)!;
        Assert.Null(summary.BackfillFractionAtFirstBlock);
        Assert.Null(summary.TimeToFullNodeMs);
        Assert.Null(summary.FinalStateRootMatches);
        Assert.Null(summary.TimeToFirstVerifiedBlockMs);
        Assert.Null(DevnetSummary.BackfillFraction(10, 0));
    }

    [Fact]
    public void Engine_payload_figures_count_syncing_first_late_and_never_valid_payloads_and_are_null_without_the_engine_driver()
    {
        var timeline = new NodeTimeline("beam-1") { BlockTime = TimeSpan.FromSeconds(2) };
        timeline.Add(1, Stats(40, "beam"));
        Assert.Null(DevnetSummary.Of(timeline)!.EnginePayloads);
        timeline.AddPayload(new Node.Devnet.RelayedPayload(10, "0x0a", "SYNCING", TimeSpan.FromMilliseconds(1_800), 2));
        timeline.AddPayload(new Node.Devnet.RelayedPayload(11, "0x0b", "VALID", TimeSpan.FromMilliseconds(900), 1));
        timeline.AddPayload(new Node.Devnet.RelayedPayload(12, "0x0c", "SYNCING", TimeSpan.FromMilliseconds(2_500), 3));
        timeline.AddPayload(new Node.Devnet.RelayedPayload(14, "0x0e", "SYNCING", TimeSpan.FromMilliseconds(9_000), 9, Valid: false));

        var figures = DevnetSummary.Of(timeline)!.EnginePayloads!;
        Assert.Equal(new EnginePayloadFigures(4, 1_800, 3, 2_500, 2, 1), figures);
    }

    [Fact]
    public void The_json_has_the_first_node_at_the_top_and_every_node_in_nodes()
    {
        var first = new NodeTimeline("beam-1");
        first.Add(1, Stats(40, "full"));
        var second = new NodeTimeline("beam-2");
        second.Add(1, Stats(20, "beam"));
        var json = DevnetSummary.ToJson([DevnetSummary.Of(first)!, DevnetSummary.Of(second)!]);

        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        Assert.Equal([.. SummaryKeys, "producerReorgs", "nodes"], root.EnumerateObject().Select(p => p.Name));
        Assert.Equal("beam-1", root.GetProperty("node").GetString());
        var nodes = root.GetProperty("nodes").EnumerateArray().ToList();
        Assert.Equal(2, nodes.Count);
        Assert.Equal(SummaryKeys, nodes[1].EnumerateObject().Select(p => p.Name));
        Assert.Equal("beam", nodes[1].GetProperty("mode").GetString());
        Assert.Equal(["urgent", "prefetch", "preview", "witness", "backfill"],
            root.GetProperty("nodesFetched").GetProperty("byKind").EnumerateObject().Select(p => p.Name));
        Assert.Equal(["hash", "path", "key"], root.GetProperty("bytesFetched").GetProperty("byForm").EnumerateObject().Select(p => p.Name));
        Assert.Equal(["mean", "max"], root.GetProperty("lag").EnumerateObject().Select(p => p.Name));
        Assert.Equal(["mean", "p95"], root.GetProperty("stallMsPerBlock").EnumerateObject().Select(p => p.Name));
        Assert.Equal(JsonValueKind.Null, root.GetProperty("finalStateRootMatches").ValueKind);
        Assert.Equal(180, root.GetProperty("stallMsPerBlock").GetProperty("p95").GetDouble());
    }
}
