using System.Diagnostics;
using System.Text.Json.Nodes;
using BeamSync.Node.Devnet;
using BeamSync.Node.Options;
using BeamSync.Rpc;
using BeamSync.Rpc.Engine;
using Xunit.Abstractions;

namespace BeamSync.Node.Tests;

/// <summary>
/// A scaled devnet driven through the engine API, in this process on loopback (devnet link model): a producer and a
/// fresh beam node whose only head source is <see cref="EngineFollower"/>, relaying the producer's blocks as a
/// consensus client would (newPayload, then forkchoiceUpdated, over HTTP with JWT). The first payload goes out as the
/// beam node starts (no warm-up): it becomes the pivot. Every payload must end VALID, the head must follow fork choice,
/// and the beam node's head block must equal the producer's; a forkchoiceUpdated alone to a head the node lacks starts a sync
/// toward it. About 45 s each.
/// </summary>
[Collection(LoopbackNodesCollection.Name)]
public sealed class EngineDrivenBeamNodeTests(ITestOutputHelper output) : IDisposable
{
    private const int Payloads = 6;
    private readonly string _root = Directory.CreateTempSubdirectory("beamsync-engine-driven-").FullName;

    private Task<(LoopbackNode Producer, LoopbackNode Beam, EngineClient Engine)> StartAsync() => EngineDrivenDevnet.StartAsync(EngineDrivenDevnet.Scaled, Folder);

    [Fact]
    public async Task A_forkchoice_to_a_head_the_node_does_not_have_answers_syncing_then_valid_once_the_node_fetched_and_executed_it()
    {
        var (producer, beam, engine) = await StartAsync();
        await using var _ = producer;
        await using var __ = beam;
        var head = (await producer.CallAsync("beamsync_waitForHead", "0x0", "0x0"))!;
        string hash = (string)head["hash"]!;
        var state = new JsonObject { ["headBlockHash"] = hash, ["safeBlockHash"] = hash, ["finalizedBlockHash"] = hash };
        var clock = Stopwatch.StartNew();
        var statuses = new List<string>();
        while (statuses.LastOrDefault() != PayloadStatus.Valid)
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(90), $"no VALID within 90 s: {string.Join(", ", statuses)}");
            if (statuses.Count > 0) await Task.Delay(250);
            var answer = await engine.CallAsync("engine_forkchoiceUpdatedV3", [state.DeepClone()], CancellationToken.None);
            statuses.Add((string)answer!["payloadStatus"]!["status"]!);
        }
        output.WriteLine($"head {HeadNumber(head)}: VALID after {clock.Elapsed.TotalMilliseconds:0} ms and {statuses.Count} calls");
        // Nothing was here: the headers came from peers, and the first answer could not have been VALID.
        Assert.Equal(PayloadStatus.Syncing, statuses[0]);
        var beamHead = (await beam.CallAsync("eth_getBlockByNumber", "latest", false))!;
        Assert.Equal(hash, (string)beamHead["hash"]!);
        Assert.Equal((string)head["hash"]!, (string)(await producer.CallAsync("eth_getBlockByNumber", head["number"]!.GetValue<string>(), false))!["hash"]!);
    }

    [Fact]
    public async Task A_beam_node_driven_through_its_engine_api_answers_every_payload_valid_and_takes_the_head_fork_choice_names()
    {
        var (producer, beam, engine) = await StartAsync();
        await using var _ = producer;
        await using var __ = beam;
        var follower = new EngineFollower(engine);

        // The producer's head at the beam node's start is the first payload; each later block follows in order.
        ulong next = HeadNumber(await producer.CallAsync("beamsync_waitForHead", "0x0", "0x0"));
        var relayed = new List<RelayedPayload>();
        JsonObject? lastCall = null;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        while (relayed.Count < Payloads)
        {
            if (await producer.CallAsync("beamsync_enginePayload", Quantity(next)) is not JsonObject call)
            {
                await producer.CallAsync("beamsync_waitForHead", Quantity(next - 1), Quantity(5_000));
                continue;
            }
            var payload = await follower.RelayAsync(call, timeout.Token);
            lastCall = call;
            output.WriteLine($"block {payload.Number}: first {payload.FirstStatus}, VALID after {payload.ToValid.TotalMilliseconds:0} ms in {payload.Calls} calls");
            relayed.Add(payload);
            next++;
        }

        Assert.Equal(Enumerable.Range(0, Payloads).Select(i => relayed[0].Number + (ulong)i), relayed.Select(p => p.Number));
        // Within 2 s on a quiet machine (the devnet's target); the margin is for a loaded one.
        Assert.True(relayed[0].ToValid < TimeSpan.FromSeconds(30), $"first payload VALID after {relayed[0].ToValid.TotalSeconds:0.0} s");
        var last = relayed[^1];
        var beamHead = (await beam.CallAsync("eth_getBlockByNumber", "latest", false))!;
        var producerBlock = (await producer.CallAsync("eth_getBlockByNumber", Quantity(last.Number), false))!;
        Assert.Equal(last.Hash, (string)beamHead["hash"]!);
        Assert.Equal((string)producerBlock["stateRoot"]!, (string)beamHead["stateRoot"]!);
        var stats = (await beam.CallAsync("beamsync_syncStats"))!;
        Assert.Equal(relayed[0].Number, (ulong)stats["pivot"]!);
        // The safe and finalized blocks the producer's consensus side named with the last head, relayed and kept.
        var safe = (await beam.CallAsync("eth_getBlockByNumber", "safe", false))!;
        Assert.Equal((string)lastCall!["safeBlockHash"]!, (string)safe["hash"]!);
        Assert.Equal(last.Number - DevnetFinality.SafeDistance, HeadNumber(safe));
        Assert.Equal((string)lastCall["finalizedBlockHash"]!, (string)(await beam.CallAsync("eth_getBlockByNumber", "finalized", false))!["hash"]!);
        output.WriteLine($"syncing first: {relayed.Count(p => p.FirstStatus != PayloadStatus.Valid)} of {relayed.Count}; stats {stats.ToJsonString()[..Math.Min(400, stats.ToJsonString().Length)]}");
    }

    private static ulong HeadNumber(JsonNode? head) => Convert.ToUInt64((string)head!["number"]!, 16);

    private static string Quantity(ulong value) => "0x" + value.ToString("x");

    private string Folder(string name) => Directory.CreateDirectory(Path.Combine(_root, name)).FullName;

    public void Dispose()
    {
        try { Directory.Delete(_root, recursive: true); }
        catch (IOException) { }
    }
}
