using BeamSync.Node.Options;
using BeamSync.Rpc;
using BeamSync.Rpc.Engine;

namespace BeamSync.Node.Tests;

/// <summary>
/// A scaled devnet producer and a fresh beam node serving the engine API (its only head source), on loopback with the
/// devnet link model, and a client of that API holding the JWT secret.
/// </summary>
internal static class EngineDrivenDevnet
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(60) };

    /// <summary>4,000 accounts, 40 contracts, 40 transactions a block, 1 s blocks, the devnet's state window and pivot lag.</summary>
    public static NodeOptions Scaled => new()
    {
        DataDir = "", Port = 0, Seed = 5, StateAccounts = 4_000, StateContracts = 40, TxsPerBlock = 40,
        BlockTime = TimeSpan.FromSeconds(1), StateWindow = NodeOptions.DevnetStateWindow, PivotLag = NodeOptions.DevnetStateWindow / 2,
        LatencyMs = NodeOptions.DevnetLatencyMs, BandwidthBytesPerSecond = NodeOptions.DevnetBandwidthBytesPerSecond,
    };

    /// <summary>Starts both with <paramref name="common"/>, their datadirs and the JWT secret in folders <paramref name="folder"/> makes.</summary>
    public static async Task<(LoopbackNode Producer, LoopbackNode Beam, EngineClient Engine)> StartAsync(NodeOptions common, Func<string, string> folder)
    {
        var producer = await LoopbackNode.StartAsync(common with { DataDir = folder("producer"), Dev = true, Port = LoopbackNode.FreePort() });
        var enode = (string)(await producer.CallAsync("admin_nodeInfo"))!["enode"]!;
        var secretFile = Path.Combine(folder("jwt"), "jwtsecret");
        var secret = JwtAuthenticator.LoadOrCreateSecret(secretFile);
        int enginePort = LoopbackNode.FreePort();
        var beam = await LoopbackNode.StartAsync(common with
        {
            DataDir = folder("beam"), Network = NodeOptions.DevnetNetwork, Sync = SyncMode.Beam, Bootnodes = [enode],
            AuthRpc = true, AuthRpcAddress = "127.0.0.1", AuthRpcPort = enginePort, JwtSecretFile = secretFile,
        });
        return (producer, beam, new EngineClient(Http, new Uri($"http://127.0.0.1:{enginePort}/"), secret));
    }
}
