using System.Diagnostics;
using Xunit.Abstractions;

namespace BeamSync.Rpc.Tests;

/// <summary>
/// Requests per second over loopback HTTP against the imported rpc-compat chain, printed to the test output. A small
/// run by default (it only checks every answer); set BEAMSYNC_RPC_BENCH_REQUESTS for a measurement.
/// </summary>
[Collection(RpcCompatChain.Collection)]
public sealed class RpcThroughputTests(RpcCompatChain chain, ITestOutputHelper output)
{
    private static int Requests => int.TryParse(Environment.GetEnvironmentVariable("BEAMSYNC_RPC_BENCH_REQUESTS"), out var n) ? n : 200;

    [Theory]
    [InlineData("eth_blockNumber", "[]")]
    [InlineData("eth_getBalance", "[\"0x7dcd17433742f4c0ca53122ab541d0ba67fc27df\",\"latest\"]")]
    [InlineData("eth_call", "[{\"to\":\"0x17e7eedce4ac02ef114a7ed9fe6e2f33feba1667\",\"input\":\"0xff01\"},\"latest\"]")]
    [InlineData("eth_getBlockByNumber", "[\"latest\",true]")]
    public async Task EveryConcurrentRequestIsAnswered(string method, string args)
    {
        if (!chain.Available) return;
        var server = await chain.ServerAsync();
        const int clients = 8;
        int perClient = Math.Max(1, Requests / clients);
        await server.CallAsync(method, args);   // warm up
        var clock = Stopwatch.StartNew();
        var results = await Task.WhenAll(Enumerable.Range(0, clients).Select(async _ =>
        {
            int ok = 0;
            for (int i = 0; i < perClient; i++)
                if ((await server.CallAsync(method, args))["result"] is not null) ok++;
            return ok;
        }));
        clock.Stop();
        Assert.Equal(clients * perClient, results.Sum());
        output.WriteLine($"{method}: {clients * perClient} requests from {clients} clients in {clock.Elapsed.TotalMilliseconds:F0} ms = " +
                         $"{clients * perClient / clock.Elapsed.TotalSeconds:F0} req/s");
    }
}
