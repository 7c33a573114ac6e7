using System.Text.Json;
using BeamSync.Cli.Devnet;

namespace BeamSync.Cli.Tests;

[Collection(ConsoleCollection.Name)]
public sealed class DevnetRunTests
{
    [Fact]
    public async Task A_run_relays_heads_starts_the_extra_beam_node_ends_when_all_are_full_and_prints_the_json()
    {
        var (exit, output, errors, started) = await RunFakesAsync("--seed", "3", "--beam-nodes", "1");

        Assert.True(exit == 0, errors);
        Assert.Equal(["producer", "beam-1", "beam-2"], started.Select(n => n.Name));
        Assert.All(started, node => Assert.True(node.HasExited)); // every child stopped
        // beam-2 dials the producer and beam-1, at loopback.
        var bootnodes = FakeDevnetNode.Value(started[2].Args, "--bootnodes").Split(',');
        Assert.Equal(2, bootnodes.Length);
        Assert.All(bootnodes, enode => Assert.Contains("@127.0.0.1:", enode));
        Assert.StartsWith("enode://beam-1@", bootnodes[1]);
        // Each beam node was handed heads until well past full: the relay drove them.
        Assert.All(started.Skip(1), beam => Assert.True(beam.HeadsReceived >= FakeDevnetNode.HeadsToFull + 1, $"{beam.Name}: {beam.HeadsReceived} heads"));

        using var json = JsonDocument.Parse(output); // stdout holds the JSON alone
        var root = json.RootElement;
        Assert.Equal("beam-1", root.GetProperty("node").GetString());
        Assert.Equal("full", root.GetProperty("mode").GetString());
        Assert.True(root.GetProperty("finalStateRootMatches").GetBoolean());
        Assert.Equal((double)FakeDevnetNode.LocalNodesAtFirstBlock / FakeDevnetNode.ProducerStateNodes,
            root.GetProperty("backfillFractionAtFirstBlock").GetDouble(), 12);
        var nodes = root.GetProperty("nodes").EnumerateArray().ToList();
        Assert.Equal(2, nodes.Count);
        Assert.All(nodes, node => Assert.Equal("full", node.GetProperty("mode").GetString()));
        Assert.Contains("done in", errors);
    }

    [Fact]
    public async Task With_two_profiles_a_second_full_server_follows_the_producer_before_the_beam_node_starts_and_the_beam_node_dials_both()
    {
        var (exit, output, errors, started) = await RunFakesAsync("--seed", "3", "--serve", "legacy,modern");

        Assert.True(exit == 0, errors);
        Assert.Equal(["producer", DevnetRun.SecondServerName, "beam-1"], started.Select(n => n.Name));
        var (producer, server, beam) = (started[0], started[1], started[2]);
        Assert.Equal("legacy", FakeDevnetNode.Value(producer.Args, "--serve"));
        Assert.Equal(("modern", "full", "devnet"), (FakeDevnetNode.Value(server.Args, "--serve"), FakeDevnetNode.Value(server.Args, "--sync"), FakeDevnetNode.Value(server.Args, "--network")));
        Assert.StartsWith("enode://producer@127.0.0.1:", FakeDevnetNode.Value(server.Args, "--bootnodes"));
        // The server was handed heads as the beam node was (it follows the producer's chain), and had caught up first.
        Assert.True(server.HeadsReceived >= FakeDevnetNode.HeadsToFull, $"{server.HeadsReceived} heads");
        Assert.Contains($"{DevnetRun.SecondServerName} executed the producer's chain", errors);
        var bootnodes = FakeDevnetNode.Value(beam.Args, "--bootnodes").Split(',');
        Assert.Equal(2, bootnodes.Length);
        Assert.StartsWith("enode://producer@", bootnodes[0]);
        Assert.StartsWith($"enode://{DevnetRun.SecondServerName}@", bootnodes[1]);
        Assert.Equal("all", FakeDevnetNode.Value(beam.Args, "--serve"));
        Assert.All(started, node => Assert.True(node.HasExited));
        using var json = JsonDocument.Parse(output);
        Assert.Equal(JsonValueKind.Array, json.RootElement.GetProperty("servers").ValueKind);
    }

    /// <summary>A run (JSON on, 60 s at most, a run folder of its own) of fake children with <paramref name="args"/>; the children in the order it started them.</summary>
    private static async Task<(int Exit, string Output, string Errors, List<FakeDevnetNode> Started)> RunFakesAsync(params string[] args)
    {
        var runDir = Path.Combine(Path.GetTempPath(), $"beamsync-devnet-test-{Guid.NewGuid():N}");
        var started = new List<FakeDevnetNode>();
        var settings = DevnetCommand.ParseSettings([.. args, "--json", "--timeout", "60", "--run-dir", runDir]) with { SampleInterval = TimeSpan.FromMilliseconds(50) };
        var run = new DevnetRun(settings, (name, childArgs, _) =>
        {
            var node = new FakeDevnetNode(name, childArgs);
            lock (started) started.Add(node);
            return node;
        });
        var (exit, output, errors) = await RunCapturedAsync(run, runDir);
        return (exit, output, errors, started);
    }

    [Fact]
    public async Task A_run_that_does_not_reach_full_times_out_with_exit_1_and_says_what_was_missing()
    {
        var runDir = Path.Combine(Path.GetTempPath(), $"beamsync-devnet-test-{Guid.NewGuid():N}");
        var settings = DevnetCommand.ParseSettings("--seed", "3", "--beam-nodes", "3", "--json", "--timeout", "1.5", "--run-dir", runDir)
            with { SampleInterval = TimeSpan.FromMilliseconds(50) };
        var run = new DevnetRun(settings, (name, args, _) => new FakeDevnetNode(name, args, headsToFull: int.MaxValue));
        var (exit, _, errors) = await RunCapturedAsync(run, runDir);
        Assert.Equal(1, exit);
        Assert.Contains("timed out after 2 s", errors);
        // On a loaded machine the first sample may not have come in 1.5 s: then that is what was missing.
        Assert.Matches("beam-1 (is not full|reported no sync stats)", errors);
        Assert.Contains("only 1 of 4 beam nodes started", errors);
    }

    [Fact]
    public async Task A_run_that_times_out_while_a_beam_node_is_starting_still_stops_that_node()
    {
        var runDir = Path.Combine(Path.GetTempPath(), $"beamsync-devnet-test-{Guid.NewGuid():N}");
        var started = new List<FakeDevnetNode>();
        var settings = DevnetCommand.ParseSettings("--seed", "3", "--json", "--timeout", "4", "--run-dir", runDir)
            with { SampleInterval = TimeSpan.FromMilliseconds(50) };
        var run = new DevnetRun(settings, (name, args, _) =>
        {
            var node = new FakeDevnetNode(name, args, answersRpc: name == "producer");
            lock (started) started.Add(node);
            return node;
        });
        var (exit, _, errors) = await RunCapturedAsync(run, runDir);
        Assert.Equal(1, exit);
        Assert.Contains("timed out after 4 s", errors);
        Assert.Equal(["producer", "beam-1"], started.Select(n => n.Name));
        Assert.All(started, node => Assert.True(node.HasExited, $"{node.Name} left running"));
    }

    /// <summary>
    /// A scaled-down engine-driven run with <c>--reorg-every 3</c> (real nodes in this process, a small state, 1 s
    /// blocks): the producer makes side branches, the beam node follows each through its engine API, and the run
    /// still ends with the node full on the producer's root. About a minute on the 2-core machine.
    /// </summary>
    [Fact]
    public async Task A_run_with_reorg_every_makes_side_branches_and_the_engine_driven_beam_node_follows_them_to_full()
    {
        var runDir = Path.Combine(Path.GetTempPath(), $"beamsync-devnet-reorg-{Guid.NewGuid():N}");
        var settings = DevnetCommand.ParseSettings("--driver", "engine", "--reorg-every", "3", "--seed", "7", "--json", "--timeout", "300",
            "--block-time", "1", "--state-accounts", "2000", "--state-contracts", "20", "--txs-per-block", "20", "--run-dir", runDir);
        var (exit, output, errors) = await RunCapturedAsync(new DevnetRun(settings, InProcessDevnetNode.Launcher), runDir);

        Assert.True(exit == 0, errors);
        using var json = JsonDocument.Parse(output);
        var root = json.RootElement;
        int made = root.GetProperty("producerReorgs").GetInt32(), seen = root.GetProperty("reorgs").GetInt32();
        Assert.True(made >= 1, $"the producer made no side branch: {output}");
        // The node saw each side branch it was given a block of before the switch: at least one, never more than were made.
        Assert.InRange(seen, 1, made);
        Assert.Equal("full", root.GetProperty("mode").GetString());
        Assert.True(root.GetProperty("finalStateRootMatches").GetBoolean(), output);
        Assert.Equal(0, root.GetProperty("enginePayloads").GetProperty("neverValid").GetInt32());
    }

    /// <summary>Runs the devnet with stdout and stderr captured apart, then removes its run folder.</summary>
    private static async Task<(int Exit, string Output, string Errors)> RunCapturedAsync(DevnetRun run, string runDir)
    {
        var originalOut = Console.Out;
        var originalError = Console.Error;
        var output = new StringWriter();
        var errors = new StringWriter();
        Console.SetOut(output);
        Console.SetError(errors);
        try
        {
            int exit = await run.RunAsync(CancellationToken.None);
            return (exit, output.ToString(), errors.ToString());
        }
        finally
        {
            Console.SetOut(originalOut);
            Console.SetError(originalError);
            if (Directory.Exists(runDir)) Directory.Delete(runDir, recursive: true);
        }
    }
}
