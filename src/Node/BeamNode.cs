using BeamSync.Db;
using BeamSync.Node.Options;
using BeamSync.Trie;
using Microsoft.Extensions.Logging;

namespace BeamSync.Node;

/// <summary>
/// <c>beamsync run</c>: opens the datadir's store (the caller holds the datadir lock), composes the node (a devnet
/// producer under --dev, else a beam or full node that follows heads), serves peers, JSON-RPC and metrics, and runs
/// until cancelled; then closes everything in order so what was committed stays committed.
/// </summary>
public static class BeamNode
{
    /// <summary>Exit codes (the CLI's): 0 success, 2 input, 3 not available, 4 datadir, 5 a devnet datadir made with other options.</summary>
    public static async Task<int> RunAsync(NodeOptions options, ILoggerFactory logs, CancellationToken ct)
    {
        var log = logs.CreateLogger("BeamSync.Node");
        RocksKeyValueStore store;
        try { store = RocksKeyValueStore.Open(Path.Combine(options.DataDir, "chaindata")); }
        catch (Exception e) when (e is DbException or IOException or UnauthorizedAccessException)
        {
            log.LogError("cannot open the database in {DataDir}: {Error}", options.DataDir, e.Message);
            return 4;
        }
        using (store)
        {
            // Wrapped once here so block execution, JSON-RPC and serving share one cache of the store's nodes and code.
            IKeyValueStore shared = options.CacheMb > 0 ? new CachingNodeStore(store, (long)options.CacheMb << 20) : store;
            await using var host = new NodeHost(options, shared, logs);
            try
            {
                int started = await host.StartAsync(ct).ConfigureAwait(false);
                if (started != 0) return started;
                await Task.Delay(Timeout.Infinite, ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested) { }
            log.LogInformation("shutting down");
        }
        return 0;
    }
}
