using BeamSync.Cli.Commands;
using BeamSync.Cli.Devnet;
using BeamSync.Node.Options;

namespace BeamSync.Cli.Tests;

public sealed class ChildArgumentsTests
{
    [Fact]
    public void Devnet_defaults_are_the_devnet_network_model()
    {
        var settings = DevnetCommand.ParseSettings("--seed", "7");
        var t = settings.Template;
        Assert.Equal(50, t.LatencyMs);
        Assert.Equal(2_000_000, t.BandwidthBytesPerSecond);
        Assert.Equal(16, t.StateWindow);
        Assert.Equal(8, t.PivotLag);
        Assert.Equal(0, settings.ExtraBeamNodes);
        Assert.Equal(TimeSpan.FromSeconds(600), settings.Timeout);
        Assert.False(settings.Json);
        Assert.Null(settings.ReportDir);
    }

    [Fact]
    public void A_beam_node_child_parses_back_to_the_devnet_options()
    {
        var settings = DevnetCommand.ParseSettings(
            "--seed", "99", "--latency", "120", "--bandwidth", "1MB", "--block-time", "1.5", "--state-accounts", "3000",
            "--state-contracts", "40", "--txs-per-block", "25", "--no-preview", "--no-backfill", "--serve", "legacy", "--pivot-lag", "5",
            "--beam-nodes", "2", "--timeout", "90", "--json", "--report", "r");
        Assert.Equal(2, settings.ExtraBeamNodes);
        Assert.Equal(TimeSpan.FromSeconds(90), settings.Timeout);
        Assert.True(settings.Json);
        Assert.Equal("r", settings.ReportDir);

        string[] bootnodes = ["enode://ab@127.0.0.1:30303", "enode://cd@127.0.0.1:30304"];
        var args = ChildArguments.BeamNode(settings.Template, "/tmp/b1", new ChildPorts(40000, 40001), bootnodes);
        Assert.Equal("run", args[0]);
        var child = RunCommand.ParseOptions(args[1..]);

        // Everything the devnet decided reaches the child unchanged.
        Assert.Equal(settings.Template with { DataDir = child.DataDir, Port = child.Port, Http = true, HttpPort = child.HttpPort, Bootnodes = child.Bootnodes, Network = NodeOptions.DevnetNetwork }, child);
        Assert.Equal("/tmp/b1", child.DataDir);
        Assert.Equal(40000, child.Port);
        Assert.True(child.Http);
        Assert.Equal("127.0.0.1", child.HttpAddress);
        Assert.Equal(40001, child.HttpPort);
        Assert.Equal(bootnodes, child.Bootnodes);
        Assert.Equal(SyncMode.Beam, child.Sync);
        Assert.False(child.Dev);
        Assert.Equal(NodeOptions.DevnetNetwork, child.Network);
        Assert.False(child.Preview);
        Assert.False(child.Backfill);
        Assert.Equal(5, child.PivotLag);
        Assert.Equal(1_000_000, child.BandwidthBytesPerSecond);
    }

    [Theory]
    [InlineData("legacy,modern", ServeMode.Legacy, ServeMode.Modern)]
    [InlineData("mixed", ServeMode.Legacy, ServeMode.Modern)]
    [InlineData("modern, legacy", ServeMode.Modern, ServeMode.Legacy)]
    public void Two_profiles_give_the_producer_the_first_and_a_second_full_server_the_other(string serve, ServeMode producer, ServeMode second)
    {
        var settings = DevnetCommand.ParseSettings("--seed", "7", "--serve", serve);
        Assert.Equal(producer, settings.Template.Serve);
        Assert.Equal(second, settings.SecondServer);
        Assert.Null(DevnetCommand.ParseSettings("--seed", "7", "--serve", "legacy").SecondServer);

        const string producerEnode = "enode://ab@127.0.0.1:30303";
        var args = ChildArguments.Server(settings.Template, second, "/tmp/s2", new ChildPorts(40002, 40003), producerEnode);
        var child = RunCommand.ParseOptions(args[1..]);
        // The producer's chain and link model, its own profile, a full node following the producer.
        Assert.Equal(settings.Template with
        {
            DataDir = "/tmp/s2", Port = 40002, Http = true, HttpPort = 40003, Bootnodes = child.Bootnodes, Network = NodeOptions.DevnetNetwork,
            Sync = SyncMode.Full, Serve = second,
        }, child);
        Assert.Equal([producerEnode], child.Bootnodes);
        Assert.False(child.Dev);
    }

    [Theory]
    [InlineData("legacy,legacy")]
    [InlineData("legacy,modern,all")]
    [InlineData("legacy,old")]
    public void A_devnet_serve_list_that_is_not_two_different_profiles_is_a_usage_error(string serve) =>
        Assert.Throws<UsageException>(() => DevnetCommand.ParseSettings("--serve", serve));

    [Fact]
    public void The_producer_child_is_a_full_dev_node_with_the_same_workload()
    {
        var template = DevnetCommand.ParseSettings("--seed", "5", "--state-size", "large").Template;
        var args = ChildArguments.Producer(template, "/tmp/p", new ChildPorts(1, 2));
        var producer = RunCommand.ParseOptions(args[1..]);
        Assert.True(producer.Dev);
        Assert.Equal(SyncMode.Full, producer.Sync);
        Assert.Equal(1_000_000, producer.StateAccounts);
        Assert.Equal(5UL, producer.Seed);
        Assert.Equal(16, producer.StateWindow);
        Assert.Equal(50, producer.LatencyMs);
    }

    [Fact]
    public void Unlimited_bandwidth_and_zero_latency_pass_through()
    {
        var template = DevnetCommand.ParseSettings("--bandwidth", "unlimited", "--latency", "0").Template;
        var child = RunCommand.ParseOptions(ChildArguments.BeamNode(template, "d", new ChildPorts(1, 2), ["enode://a@127.0.0.1:1"])[1..]);
        Assert.Null(child.BandwidthBytesPerSecond);
        Assert.Equal(0, child.LatencyMs);
    }

    [Fact]
    public void Children_start_with_the_same_executable_and_framework()
    {
        var (host, hostPrefix) = ChildArguments.SelfCommand("/usr/bin/dotnet", "/app/beamsync.dll");
        Assert.Equal("/usr/bin/dotnet", host);
        Assert.Equal(["/app/beamsync.dll"], hostPrefix);
        var (apphost, apphostPrefix) = ChildArguments.SelfCommand("/app/beamsync", "/app/beamsync.dll");
        Assert.Equal("/app/beamsync", apphost);
        Assert.Empty(apphostPrefix);
        Assert.Throws<InvalidOperationException>(() => ChildArguments.SelfCommand("/usr/bin/dotnet", null));
    }

    [Fact]
    public void An_unspecified_listen_address_becomes_loopback_in_an_enode()
    {
        Assert.Equal("enode://ab@127.0.0.1:30303", DevnetRun.LoopbackEnode("enode://ab@0.0.0.0:30303"));
        Assert.Equal("enode://ab@127.0.0.1:30303", DevnetRun.LoopbackEnode("enode://ab@[::]:30303"));
        Assert.Equal("enode://ab@10.0.0.1:30303", DevnetRun.LoopbackEnode("enode://ab@10.0.0.1:30303"));
    }
}

[Collection(ConsoleCollection.Name)]
public sealed class DevnetUsageTests
{
    [Theory]
    [InlineData("--beam-nodes", "99")]
    [InlineData("--timeout", "soon")]
    [InlineData("--no-backfill", "--backfill")]
    [InlineData("--state-size", "huge")]
    public void A_devnet_usage_error_exits_2_with_one_line_before_any_child_starts(params string[] args)
    {
        var (exit, output) = ConsoleCapture.Run(["devnet", .. args]);
        Assert.Equal(2, exit);
        var line = Assert.Single(output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("beamsync devnet: ", line);
    }
}
