using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using BeamSync.Cli.Devnet;
using BeamSync.Sync;

namespace BeamSync.Cli.Tests;

/// <summary>
/// A stand-in for a <c>beamsync run</c> child: serves the devnet's JSON-RPC methods on the <c>--http.port</c> of its
/// command line. As a producer (<c>--dev</c>) it makes a block every <see cref="BlockInterval"/>; as a beam node it
/// executes each head it is handed and becomes full after <see cref="HeadsToFull"/> heads.
/// </summary>
internal sealed class FakeDevnetNode : IDevnetNode
{
    public static readonly TimeSpan BlockInterval = TimeSpan.FromMilliseconds(100);
    public const int HeadsToFull = 6;
    private readonly int _headsToFull;
    public const long ProducerStateNodes = 1_000;
    public const long LocalNodesAtFirstBlock = 50;

    private readonly HttpListener _listener = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly bool _producer;
    private readonly int _rlpxPort;
    private readonly Lock _lock = new();
    private readonly List<string> _heads = [];
    private ulong _head;

    /// <param name="headsToFull">Heads a beam node executes before it is full; int.MaxValue for one that never is.</param>
    /// <param name="answersRpc">False for a node that started but never opens its RPC (one still building its state).</param>
    public FakeDevnetNode(string name, IReadOnlyList<string> args, int headsToFull = HeadsToFull, bool answersRpc = true)
    {
        _headsToFull = headsToFull;
        Name = name;
        Args = args;
        _producer = args.Contains("--dev");
        _rlpxPort = int.Parse(Value(args, "--port"));
        _listener.Prefixes.Add($"http://127.0.0.1:{Value(args, "--http.port")}/");
        if (!answersRpc) return;
        _listener.Start();
        _ = ServeAsync();
        if (_producer) _ = ProduceAsync();
    }

    public string Name { get; }
    public IReadOnlyList<string> Args { get; }
    public string LogPath => $"/nonexistent/{Name}.log";
    public bool HasExited { get; private set; }
    public int? ExitCode => HasExited ? 0 : null;
    public int HeadsReceived { get { lock (_lock) return _heads.Count; } }

    public static string Value(IReadOnlyList<string> args, string option) => args[args.ToList().IndexOf(option) + 1];
    public static string RootOf(ulong block) => $"0x{block:x64}";

    private async Task ProduceAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            await Task.Delay(BlockInterval);
            lock (_lock) _head++;
        }
    }

    private async Task ServeAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try { context = await _listener.GetContextAsync(); }
            catch (Exception) { return; }
            _ = Task.Run(() => AnswerAsync(context));
        }
    }

    private async Task AnswerAsync(HttpListenerContext context)
    {
        try
        {
            var request = JsonNode.Parse(await new StreamReader(context.Request.InputStream).ReadToEndAsync())!.AsObject();
            var parameters = request["params"]!.AsArray();
            JsonNode? result = request["method"]!.GetValue<string>() switch
            {
                "admin_nodeInfo" => new JsonObject { ["enode"] = $"enode://{Name}@0.0.0.0:{_rlpxPort}" },
                "beamsync_waitForHead" => await WaitForHeadAsync(parameters[0]!.GetValue<ulong>(), parameters[1]!.GetValue<long>()),
                "eth_getBlockByNumber" => Block(Convert.ToUInt64(parameters[0]!.GetValue<string>(), 16)),
                "beamsync_stateNodeCount" => ProducerStateNodes,
                "beamsync_newHead" => NewHead(parameters[0]!.GetValue<string>()),
                "beamsync_syncStats" => JsonSerializer.SerializeToNode(Stats(), NodeRpcClient.StatsJson),
                var unknown => throw new InvalidOperationException(unknown),
            };
            var answer = new JsonObject { ["jsonrpc"] = "2.0", ["id"] = request["id"]!.DeepClone(), ["result"] = result };
            var bytes = Encoding.UTF8.GetBytes(answer.ToJsonString());
            context.Response.ContentType = "application/json";
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
        catch (Exception)
        {
            context.Response.Abort();
        }
    }

    private async Task<JsonNode?> WaitForHeadAsync(ulong after, long timeoutMs)
    {
        var deadline = DateTime.UtcNow.AddMilliseconds(timeoutMs);
        while (DateTime.UtcNow < deadline)
        {
            ulong head;
            lock (_lock) head = _head;
            if (head > after) return new JsonObject { ["number"] = $"0x{head:x}", ["hash"] = $"0xh{head}" };
            await Task.Delay(10);
        }
        return null;
    }

    private JsonNode? Block(ulong number)
    {
        lock (_lock) if (number > _head) return null;
        return new JsonObject { ["number"] = $"0x{number:x}", ["hash"] = $"0xh{number}", ["stateRoot"] = RootOf(number) };
    }

    private JsonNode? NewHead(string hash)
    {
        lock (_lock) _heads.Add(hash);
        return null;
    }

    /// <summary>The beam node's view: the newest head handed to it is executed; full after a few heads.</summary>
    private SyncStats Stats()
    {
        lock (_lock)
        {
            if (_heads.Count == 0) return new SyncStats();
            ulong executed = ulong.Parse(_heads[^1][3..]);
            ulong firstPivot = ulong.Parse(_heads[0][3..]);
            bool full = _heads.Count >= _headsToFull;
            return new SyncStats
            {
                Mode = full ? "full" : "beam",
                Head = executed,
                Executed = executed,
                Pivot = firstPivot,
                BlocksExecuted = _heads.Count,
                LocalStateNodesAtFirstBlock = LocalNodesAtFirstBlock,
                TimeToFirstVerifiedBlockMs = 800,
                TimeToFullNodeMs = full ? 5_000 : null,
                Backfill = new BackfillProgress { Running = !full, Complete = full, Fraction = Math.Min(1, (double)_heads.Count / _headsToFull) },
                FinalStateRoot = full ? RootOf(ulong.Parse(_heads[_headsToFull - 1][3..])) : null, // the root of the block at which it became full
            };
        }
    }

    public Task<int> StopAsync(TimeSpan grace)
    {
        if (!HasExited)
        {
            HasExited = true;
            _stop.Cancel();
            _listener.Close();
        }
        return Task.FromResult(0);
    }

    public string LogTail(int lines) => "";

    public async ValueTask DisposeAsync() => await StopAsync(TimeSpan.Zero);
}
