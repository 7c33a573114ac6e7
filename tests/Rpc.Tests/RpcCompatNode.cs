using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using BeamSync.Chain;
using BeamSync.Chain.Execution;
using BeamSync.Chain.Store;
using BeamSync.Core.Specs;
using BeamSync.Db;
using BeamSync.Evm;
using BeamSync.Tests.Shared;

namespace BeamSync.Rpc.Tests;

/// <summary>
/// The hive rpc-compat chain imported into an in-memory full node, once per test run, with a server
/// over it (the suite's methods, a pool that accepts everything) started on first use. Not
/// <see cref="Available"/> when the fixture is absent outside CI (tests then pass over it).
/// </summary>
public sealed class RpcCompatChain : IAsyncLifetime
{
    private RpcTestServer? _server;

    public const string Folder = "rpc-compat";
    public const string Collection = "rpc-compat chain";

    public RpcCompatChain()
    {
        if (!TestFixtures.TryLocate(Folder, out var dir)) return;
        Directory = dir;
        Spec = ChainSpec.Load(Path.Combine(dir, "genesis.json"));
        var blocks = ChainFile.Read(File.ReadAllBytes(Path.Combine(dir, "chain.rlp"))).ToList();
        Store = new MemoryKeyValueStore();
        var chain = new Blockchain(Spec, new BlockStore(Store), new EvmStateFactory(Store));
        RunWithEvmStack(() =>
        {
            chain.InitializeGenesis();
            foreach (var block in blocks) chain.Import(block);
        });
        Blocks = new BlockStore(Store);
    }

    public string Directory { get; } = "";
    public ChainSpec? Spec { get; }
    public MemoryKeyValueStore Store { get; } = null!;
    public BlockStore Blocks { get; } = null!;
    public bool Available => Spec is not null;

    /// <summary>The shared server over this chain; started once, stopped with the fixture.</summary>
    public async Task<RpcTestServer> ServerAsync() => _server ??= await RpcTestServer.StartAsync(RpcCompatTests.CompatMethods(this));

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_server is not null) await _server.DisposeAsync();
    }

    private static void RunWithEvmStack(Action action)
    {
        Exception? failure = null;
        var thread = new Thread(() => { try { action(); } catch (Exception e) { failure = e; } }, VirtualMachine.RequiredStackSize);
        thread.Start();
        thread.Join();
        if (failure is not null) throw new InvalidOperationException("importing the rpc-compat chain failed", failure);
    }
}

/// <summary>The test classes that share one imported rpc-compat chain (imported once per run).</summary>
[CollectionDefinition(RpcCompatChain.Collection)]
public sealed class RpcCompatCollection : ICollectionFixture<RpcCompatChain>;

/// <summary>A started <see cref="RpcServer"/> on a free loopback port with an HTTP client pointed at it.</summary>
public sealed class RpcTestServer : IAsyncDisposable
{
    private RpcTestServer(RpcServer server)
    {
        Server = server;
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{server.Port}/"), Timeout = TimeSpan.FromSeconds(60) };
    }

    public RpcServer Server { get; }
    public HttpClient Http { get; }

    public static async Task<RpcTestServer> StartAsync(RpcMethods methods, RpcServerOptions? options = null)
    {
        var server = new RpcServer(methods, (options ?? new RpcServerOptions()) with { Port = 0 });
        await server.StartAsync();
        return new RpcTestServer(server);
    }

    /// <summary>Posts <paramref name="body"/> and returns the status and the response text.</summary>
    public async Task<(int Status, string Body)> PostAsync(string body)
    {
        using var content = new StringContent(body, Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await Http.PostAsync("", content);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    public async Task<JsonNode> CallAsync(string method, string paramsJson = "[]")
    {
        var (_, body) = await PostAsync($"{{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"{method}\",\"params\":{paramsJson}}}");
        return JsonNode.Parse(body)!;
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await Server.DisposeAsync();
    }
}
