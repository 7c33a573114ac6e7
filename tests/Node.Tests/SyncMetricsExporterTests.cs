using System.Net;
using System.Net.Sockets;
using BeamSync.Node.Metrics;
using BeamSync.Sync;

namespace BeamSync.Node.Tests;

public sealed class SyncMetricsExporterTests
{
    private static SyncStats Stats(long urgent, string mode) => new()
    {
        Mode = mode,
        Head = 120,
        Executed = 117,
        Lag = 3,
        Pivots = 2,
        RoundTrips = 345,
        Reorgs = 4,
        DuplicateNodesBySource = new Dictionary<string, long> { [FetchKinds.Witness] = urgent + 1 },
        ProofNodesAlreadyLocal = 77,
        NodesFetchedByKind = new Dictionary<string, long> { [FetchKinds.Urgent] = urgent, [FetchKinds.Backfill] = 9000 },
        BytesFetchedByKind = new Dictionary<string, long> { [FetchKinds.Urgent] = urgent * 500 },
        NodesFetchedByForm = new Dictionary<string, long> { [WireForms.Path] = urgent + 9000 },
        Backfill = new BackfillProgress { Fraction = 0.375 },
    };

    [Fact]
    public async Task A_scrape_over_http_shows_the_snapshot_in_prometheus_text_format()
    {
        var current = Stats(12, "beam");
        using var exporter = new SyncMetricsExporter(() => current);
        int port = FreePort();
        exporter.Start(port);
        using var http = new HttpClient();

        var first = await http.GetStringAsync($"http://127.0.0.1:{port}/metrics");
        Assert.Contains("\nbeamsync_sync_lag_blocks 3\n", "\n" + first);
        Assert.Contains("\nbeamsync_sync_head_block 120\n", "\n" + first);
        Assert.Contains("\nbeamsync_sync_executed_block 117\n", "\n" + first);
        Assert.Contains("beamsync_state_nodes_fetched_total{kind=\"urgent\"} 12\n", first);
        Assert.Contains("beamsync_state_nodes_fetched_total{kind=\"backfill\"} 9000\n", first);
        Assert.Contains("beamsync_state_nodes_fetched_total{kind=\"witness\"} 0\n", first);
        Assert.Contains("beamsync_state_bytes_fetched_total{kind=\"urgent\"} 6000\n", first);
        Assert.Contains("beamsync_state_nodes_fetched_by_form_total{form=\"path\"} 9012\n", first);
        Assert.Contains("\nbeamsync_sync_pivots_total 2\n", "\n" + first);
        Assert.Contains("\nbeamsync_sync_round_trips_total 345\n", "\n" + first);
        Assert.Contains("\nbeamsync_sync_reorgs_total 4\n", "\n" + first);
        Assert.Contains("beamsync_state_nodes_fetched_again_total{kind=\"witness\"} 13\n", first);
        Assert.Contains("beamsync_state_nodes_fetched_again_total{kind=\"backfill\"} 0\n", first);
        Assert.Contains("\nbeamsync_state_proof_nodes_already_local_total 77\n", "\n" + first);
        Assert.Contains("\nbeamsync_backfill_fraction 0.375\n", "\n" + first);
        Assert.Contains("beamsync_sync_mode{mode=\"beam\"} 1\n", first);
        Assert.Contains("beamsync_sync_mode{mode=\"full\"} 0\n", first);
        Assert.Contains("# TYPE beamsync_state_nodes_fetched_total counter", first);

        current = Stats(40, "full");
        var second = await http.GetStringAsync($"http://127.0.0.1:{port}/metrics");
        Assert.Contains("beamsync_state_nodes_fetched_total{kind=\"urgent\"} 40\n", second);
        Assert.Contains("beamsync_state_nodes_fetched_again_total{kind=\"witness\"} 41\n", second);
        Assert.Contains("beamsync_sync_mode{mode=\"full\"} 1\n", second);
        Assert.Contains("beamsync_sync_mode{mode=\"beam\"} 0\n", second);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
