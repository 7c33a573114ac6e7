using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json.Nodes;

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
    private readonly int _rpcPort = FreePort();

    [Fact]
    public async Task A_producer_stopped_by_sigint_or_killed_continues_its_chain_from_the_stored_head()
    {
        ulong head = 0;
        string? headHash = null;
        foreach (bool kill in new[] { false, true })
        {
            using var producer = Start();
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
            Assert.True(producer.WaitForExit(30_000), "the producer did not stop");
            if (!kill) Assert.Equal(0, producer.ExitCode);
        }

        using var resumed = Start();
        await WaitForBlockAsync(resumed, head + 2);
        Assert.Equal(headHash, await BlockHashAsync(head));
        resumed.Kill();
        resumed.WaitForExit();

        using var otherSeed = Start(seed: "99");
        Assert.True(otherSeed.WaitForExit(60_000), "a producer on another devnet's datadir kept running");
        Assert.Equal(ExitCodes.DevnetOptions, otherSeed.ExitCode);
    }

    private Process Start(string seed = "5")
    {
        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false,
        };
        string[] args =
        [
            Path.Combine(AppContext.BaseDirectory, "beamsync.dll"), "run", "--dev", "--datadir", _dataDir, "--port", "0",
            "--http", "--http.port", _rpcPort.ToString(), "--block-time", "0.5", "--txs-per-block", "40",
            "--state-accounts", "1000", "--state-contracts", "5", "--seed", seed,
        ];
        foreach (var arg in args) start.ArgumentList.Add(arg);
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>Waits (up to 60 s) for the head to reach <paramref name="number"/>; returns the head then.</summary>
    private async Task<(ulong Number, string Hash)> WaitForBlockAsync(Process producer, ulong number)
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

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);

    public void Dispose()
    {
        try { Directory.Delete(_dataDir, recursive: true); }
        catch (IOException) { }
    }
}
