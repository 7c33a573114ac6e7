using BeamSync.Cli.Commands;
using BeamSync.Node.DataDir;
using BeamSync.Node.Options;
using Microsoft.Extensions.Logging;

namespace BeamSync.Cli.Tests;

[Collection(ConsoleCollection.Name)]
public sealed class RunCommandTests
{
    [Fact]
    public void Defaults_follow_the_contract()
    {
        var options = RunCommand.ParseOptions("--datadir", "d");
        Assert.Equal("d", options.DataDir);
        Assert.Equal("mainnet", options.Network);
        Assert.Null(options.GenesisFile);
        Assert.Equal(30303, options.Port);
        Assert.Equal(SyncMode.Beam, options.Sync);
        Assert.False(options.Http);
        Assert.Equal("127.0.0.1", options.HttpAddress);
        Assert.Equal(8545, options.HttpPort);
        Assert.Null(options.MetricsPort);
        Assert.Equal(LogLevel.Information, options.LogLevel);
        Assert.False(options.Dev);
        Assert.Equal(TimeSpan.FromSeconds(2), options.BlockTime);
        Assert.Equal(150, options.TxsPerBlock);
        Assert.Equal(100_000, options.StateAccounts);
        Assert.Equal(2_000, options.StateContracts);
        Assert.Equal(0, options.LatencyMs);
        Assert.Null(options.BandwidthBytesPerSecond);
        Assert.Equal(128, options.StateWindow);
        Assert.Equal(64, options.PivotLag);
        Assert.True(options.Prefetch && options.Preview && options.Witness && options.Backfill);
        Assert.Equal(ServeMode.All, options.Serve);
    }

    [Fact]
    public void Dev_takes_the_devnet_network_model_and_no_named_network()
    {
        var options = RunCommand.ParseOptions("--dev", "--datadir", "d");
        Assert.True(options.Dev);
        Assert.Null(options.Network);
        Assert.Equal(50, options.LatencyMs);
        Assert.Equal(2_000_000, options.BandwidthBytesPerSecond);
    }

    [Fact]
    public void Every_option_is_read()
    {
        var options = RunCommand.ParseOptions(
            "--datadir", "/x", "--genesis", "g.json", "--port", "30400", "--bootnodes", "enode://aa@127.0.0.1:1, enode://bb@127.0.0.1:2",
            "--sync", "full", "--maxpeers", "7", "--http", "--http.addr", "0.0.0.0", "--http.port", "9545", "--metrics.port", "6060",
            "--log.level", "debug", "--block-time", "500ms", "--txs-per-block", "20", "--state-size", "large", "--state-contracts", "10",
            "--seed", "42", "--latency", "80", "--bandwidth", "512KiB", "--state-window", "16", "--no-prefetch", "--no-witness",
            "--preview", "--serve", "legacy");
        Assert.Equal("g.json", options.GenesisFile);
        Assert.Null(options.Network);
        Assert.Equal(30400, options.Port);
        Assert.Equal(["enode://aa@127.0.0.1:1", "enode://bb@127.0.0.1:2"], options.Bootnodes);
        Assert.Equal(SyncMode.Full, options.Sync);
        Assert.Equal(7, options.MaxPeers);
        Assert.True(options.Http);
        Assert.Equal("0.0.0.0", options.HttpAddress);
        Assert.Equal(9545, options.HttpPort);
        Assert.Equal(6060, options.MetricsPort);
        Assert.Equal(LogLevel.Debug, options.LogLevel);
        Assert.Equal(TimeSpan.FromMilliseconds(500), options.BlockTime);
        Assert.Equal(20, options.TxsPerBlock);
        Assert.Equal(StateSize.Large, options.StateSize);
        Assert.Equal(1_000_000, options.StateAccounts);
        Assert.Equal(10, options.StateContracts);
        Assert.Equal(42UL, options.Seed);
        Assert.Equal(80, options.LatencyMs);
        Assert.Equal(512 * 1024, options.BandwidthBytesPerSecond);
        Assert.Equal(16, options.StateWindow);
        Assert.Equal(8, options.PivotLag);
        Assert.False(options.Prefetch);
        Assert.False(options.Witness);
        Assert.True(options.Preview);
        Assert.True(options.Backfill);
        Assert.Equal(ServeMode.Legacy, options.Serve);
    }

    [Fact]
    public void An_explicit_account_count_wins_over_the_state_size()
    {
        Assert.Equal(5, RunCommand.ParseOptions("--state-size", "large", "--state-accounts", "5").StateAccounts);
    }

    [Theory]
    [InlineData("--port", "x")]
    [InlineData("--port", "70000")]
    [InlineData("--genesis", "g.json", "--network", "sepolia")]
    [InlineData("--network", "goerli")]
    [InlineData("--sync", "snap")]
    [InlineData("--bandwidth", "fast")]
    [InlineData("--block-time", "0")]
    [InlineData("--log.level", "loud")]
    [InlineData("--prefetch", "--no-prefetch")]
    [InlineData("--state-window", "16", "--pivot-lag", "16")]
    [InlineData("--bootnodes", "127.0.0.1:30303")]
    [InlineData("--frobnicate")]
    [InlineData("--serve", "legacy,modern")]
    public void A_usage_error_exits_2_with_one_line_on_stderr(params string[] args)
    {
        Assert.Throws<UsageException>(() => RunCommand.ParseOptions(args));
        var (exit, output) = ConsoleCapture.Run(["run", "--datadir", Path.Combine(Path.GetTempPath(), "unused"), .. args]);
        Assert.Equal(2, exit);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        // The parser's own errors come from the CLI's common entry ("error: ... (see beamsync run --help)"), binding errors from run itself.
        Assert.Matches("^(beamsync run: |error: .*beamsync run --help)", lines[0]);
    }

    [Fact]
    public void A_datadir_held_by_another_owner_exits_4()
    {
        var dir = Path.Combine(Path.GetTempPath(), $"beamsync-run-{Guid.NewGuid():N}");
        try
        {
            using (DataDirLock.Acquire(dir))
            {
                var (exit, output) = ConsoleCapture.Run("run", "--datadir", dir);
                Assert.Equal(4, exit);
                Assert.Contains("in use by another beamsync process", output);
                Assert.Single(output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void A_datadir_that_is_a_file_exits_4()
    {
        var file = Path.GetTempFileName();
        try
        {
            var (exit, output) = ConsoleCapture.Run("run", "--datadir", file);
            Assert.Equal(4, exit);
            Assert.Contains("is a file", output);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Theory]
    [InlineData("2MB", 2_000_000L)]
    [InlineData("2 MB/s", 2_000_000L)]
    [InlineData("1MiB", 1_048_576L)]
    [InlineData("250000", 250_000L)]
    [InlineData("1.5kB", 1_500L)]
    public void Bandwidth_units(string text, long bytes)
    {
        Assert.Equal(bytes, OptionValues.ParseBandwidth("--bandwidth", text));
        Assert.Equal(bytes, OptionValues.ParseBandwidth("--bandwidth", OptionValues.FormatBandwidth(bytes)));
    }

    [Fact]
    public void Unlimited_bandwidth_round_trips()
    {
        Assert.Null(OptionValues.ParseBandwidth("--bandwidth", OptionValues.FormatBandwidth(null)));
    }
}
