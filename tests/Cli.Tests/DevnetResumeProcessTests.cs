using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json.Nodes;
using BeamSync.Cli.Devnet;

namespace BeamSync.Cli.Tests;

/// <summary>
/// <c>beamsync run --dev</c> as a real process, stopped by Ctrl-C (SIGINT) or killed (SIGKILL) and started again on
/// its datadir: it goes on from the block it had stored, with the same chain below it. Takes about 40 s (five process starts).
/// </summary>
[Collection(ConsoleCollection.Name)]
public sealed partial class DevnetResumeProcessTests : IDisposable
{
    private const int SigInt = 2;
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };
    private readonly string _dataDir = Directory.CreateTempSubdirectory("beamsync-resume-").FullName;
    private readonly string _logDir = Directory.CreateTempSubdirectory("beamsync-resume-logs-").FullName;
    private readonly int _rpcPort = BeamsyncProcesses.FreePort();
    private int _starts;

    [Fact]
    public async Task A_producer_stopped_by_sigint_or_killed_continues_its_chain_from_the_stored_head()
    {
        ulong head = 0;
        string? headHash = null;
        foreach (bool kill in new[] { false, true })
        {
            await using var producer = Start();
            var (number, hash) = await WaitForBlockAsync(producer, head + 2);
            if (headHash is not null)
            {
                // The blocks from before the restart are still the chain, and the new ones build on them.
                Assert.Equal(headHash, await BlockHashAsync(head));
                Assert.Equal(headHash, (string)(await CallAsync("eth_getBlockByNumber", Quantity(head + 1), false))!["parentHash"]!);
            }
            (head, headHash) = (number, hash);
            Assert.NotEmpty((await CallAsync("eth_getBlockByNumber", Quantity(head), false))!["transactions"]!.AsArray());
            if (kill) producer.Kill();
            else Assert.Equal(0, Kill(producer.Id, SigInt));
            Assert.True(await producer.WaitForExitAsync(TimeSpan.FromSeconds(30)), "the producer did not stop");
            if (!kill) Assert.Equal(0, producer.ExitCode);
        }

        await using var resumed = Start();
        await WaitForBlockAsync(resumed, head + 2);
        Assert.Equal(headHash, await BlockHashAsync(head));
        resumed.Kill();

        await using var otherSeed = Start(seed: "99");
        Assert.True(await otherSeed.WaitForExitAsync(TimeSpan.FromSeconds(60)), "a producer on another devnet's datadir kept running");
        Assert.Equal(ExitCodes.DevnetOptions, otherSeed.ExitCode);
    }

    private ChildProcess Start(string seed = "5") => BeamsyncProcesses.Start($"producer-{++_starts}",
        [
            "run", "--dev", "--datadir", _dataDir, "--port", "0",
            "--http", "--http.port", _rpcPort.ToString(), "--block-time", "0.5", "--txs-per-block", "40",
            "--state-accounts", "1000", "--state-contracts", "5", "--seed", seed,
        ], _logDir);

    /// <summary>Waits (up to 60 s) for the head to reach <paramref name="number"/>; returns the head then.</summary>
    private async Task<(ulong Number, string Hash)> WaitForBlockAsync(ChildProcess producer, ulong number)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            Assert.False(producer.HasExited, $"the producer exited with {(producer.HasExited ? producer.ExitCode : 0)}");
            try
            {
                var block = await CallAsync("eth_getBlockByNumber", "latest", false);
                ulong head = Convert.ToUInt64((string)block!["number"]!, 16);
                if (head >= number) return (head, (string)block["hash"]!);
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            Assert.True(DateTime.UtcNow < deadline, $"no block {number} within 60 s");
            await Task.Delay(100);
        }
    }

    private async Task<string> BlockHashAsync(ulong number) =>
        (string)(await CallAsync("eth_getBlockByNumber", Quantity(number), false))!["hash"]!;

    private async Task<JsonNode?> CallAsync(string method, params object[] parameters)
    {
        var body = System.Text.Json.JsonSerializer.Serialize(new { jsonrpc = "2.0", id = 1, method, @params = parameters });
        using var response = await Http.PostAsync($"http://127.0.0.1:{_rpcPort}/", new StringContent(body, Encoding.UTF8, "application/json"));
        var json = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        return json["error"] is { } error ? throw new InvalidOperationException(error.ToJsonString()) : json["result"];
    }

    private static string Quantity(ulong value) => "0x" + value.ToString("x");

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);

    public void Dispose()
    {
        foreach (var folder in new[] { _dataDir, _logDir })
        {
            try { Directory.Delete(folder, recursive: true); }
            catch (IOException) { }
        }
    }
}
