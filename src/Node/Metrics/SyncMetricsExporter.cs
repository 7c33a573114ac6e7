using BeamSync.Sync;
using Prometheus;

namespace BeamSync.Node.Metrics;

/// <summary>
/// The sync counters in Prometheus text format, named like other clients' metrics (<c>beamsync_sync_*</c>,
/// <c>beamsync_state_*</c>). Each scrape takes one <see cref="SyncStats"/> snapshot from the supplier and sets every
/// metric from it, so the exported values are consistent with one moment. Counters only rise (a snapshot below the
/// last exported value leaves it). Thread-safe: prometheus-net serializes collection.
/// </summary>
public sealed class SyncMetricsExporter : IDisposable
{
    public static readonly string[] Modes = ["idle", "beam", "full"];

    private readonly Func<SyncStats> _snapshot;
    private readonly Gauge _lag, _head, _executed, _backfillFraction, _mode;
    private readonly Counter _nodesByKind, _bytesByKind, _nodesByForm, _pivots, _roundTrips, _reorgs, _fetchedAgain, _proofNodesAlreadyLocal;
    private MetricServer? _server;

    /// <summary>Registers the metrics in a registry of their own; nothing is served until <see cref="Start"/>.</summary>
    public SyncMetricsExporter(Func<SyncStats> snapshot)
    {
        _snapshot = snapshot;
        Registry = Prometheus.Metrics.NewCustomRegistry();
        var factory = Prometheus.Metrics.WithCustomRegistry(Registry);
        _lag = factory.CreateGauge("beamsync_sync_lag_blocks", "Head minus the block executing (or the last executed when idle)");
        _head = factory.CreateGauge("beamsync_sync_head_block", "Newest head known from the head source");
        _executed = factory.CreateGauge("beamsync_sync_executed_block", "Newest block executed and verified here");
        _backfillFraction = factory.CreateGauge("beamsync_backfill_fraction", "Estimated fraction of the state that is local (0..1)");
        _mode = factory.CreateGauge("beamsync_sync_mode", "1 for the node's current sync mode, 0 for the others", "mode");
        _nodesByKind = factory.CreateCounter("beamsync_state_nodes_fetched_total", "Verified state nodes and code received, by kind of fetch", "kind");
        _bytesByKind = factory.CreateCounter("beamsync_state_bytes_fetched_total", "Bytes of verified state nodes and code received, by kind of fetch", "kind");
        _nodesByForm = factory.CreateCounter("beamsync_state_nodes_fetched_by_form_total", "Verified state nodes and code received, by wire form", "form");
        _pivots = factory.CreateCounter("beamsync_sync_pivots_total", "Pivots to a newer head");
        _roundTrips = factory.CreateCounter("beamsync_sync_round_trips_total", "State requests sent");
        _reorgs = factory.CreateCounter("beamsync_sync_reorgs_total", "Heads followed onto another branch");
        _fetchedAgain = factory.CreateCounter("beamsync_state_nodes_fetched_again_total", "State nodes received that were already local, by the kind of fetch that asked for them", "kind");
        _proofNodesAlreadyLocal = factory.CreateCounter("beamsync_state_proof_nodes_already_local_total", "Unasked upper nodes of range proofs and paths that were already local (not counted as fetched again)");
        Registry.AddBeforeCollectCallback(() => Update(_snapshot()));
    }

    public CollectorRegistry Registry { get; }

    /// <summary>Serves <c>http://{host}:{port}/metrics</c>. Throws <see cref="System.Net.HttpListenerException"/> when the port is taken.</summary>
    public void Start(int port, string host = "127.0.0.1")
    {
        _server = new MetricServer(host, port, "metrics/", Registry);
        _server.Start();
    }

    /// <summary>Sets every metric from one snapshot.</summary>
    public void Update(SyncStats stats)
    {
        _lag.Set(stats.Lag);
        _head.Set(stats.Head);
        _executed.Set(stats.Executed);
        _backfillFraction.Set(stats.Backfill.Fraction);
        foreach (var mode in Modes) _mode.WithLabels(mode).Set(mode == stats.Mode ? 1 : 0);
        RaiseTo(_nodesByKind, stats.NodesFetchedByKind, FetchKinds.All);
        RaiseTo(_bytesByKind, stats.BytesFetchedByKind, FetchKinds.All);
        RaiseTo(_nodesByForm, stats.NodesFetchedByForm, WireForms.All);
        _pivots.IncTo(stats.Pivots);
        _roundTrips.IncTo(stats.RoundTrips);
        _reorgs.IncTo(stats.Reorgs);
        RaiseTo(_fetchedAgain, stats.DuplicateNodesBySource, FetchKinds.All);
        _proofNodesAlreadyLocal.IncTo(stats.ProofNodesAlreadyLocal);
    }

    // Every label is exported, zero included, so a dashboard sees the series before the first fetch of its kind.
    private static void RaiseTo(Counter counter, IReadOnlyDictionary<string, long> values, string[] labels)
    {
        foreach (var label in labels)
            counter.WithLabels(label).IncTo(values.GetValueOrDefault(label));
    }

    public void Dispose() => _server?.Dispose();
}
