using System.Text.Json.Nodes;
using BeamSync.Tests.Shared;
using Xunit.Abstractions;

namespace BeamSync.Rpc.Tests;

/// <summary>
/// Replays the hive rpc-compat cases (execution-apis tests) of the methods this server implements against the
/// imported chain over HTTP, comparing each response with the recorded one as JSON values (key order and
/// whitespace aside). Cases marked "speconly" in the suite are only schema-checked there (their values depend on
/// the client's estimator and pool); for those the test requires the same shape (result or error, and the error
/// code) and prints any value difference.
/// </summary>
[Collection(RpcCompatChain.Collection)]
public sealed class RpcCompatTests(RpcCompatChain chain, ITestOutputHelper output)
{
    public static readonly string[] Methods =
    [
        "eth_chainId", "eth_blockNumber", "eth_syncing", "eth_getBalance", "eth_getTransactionCount", "eth_getCode",
        "eth_getStorageAt", "eth_getProof", "eth_call", "eth_estimateGas", "eth_getBlockByNumber", "eth_getBlockByHash",
        "eth_getTransactionByHash", "eth_getTransactionReceipt", "eth_getLogs", "eth_sendRawTransaction", "eth_feeHistory",
        "net_version", "eth_getBlockReceipts", "eth_getBlockTransactionCountByHash", "eth_getBlockTransactionCountByNumber",
        "eth_getTransactionByBlockHashAndIndex", "eth_getTransactionByBlockNumberAndIndex", "eth_blobBaseFee",
    ];

    public static IEnumerable<object[]> Cases()
    {
        if (!TestFixtures.TryLocate(RpcCompatChain.Folder, out var dir)) yield return ["", ""];
        else
            foreach (var method in Methods)
                foreach (var file in Directory.EnumerateFiles(Path.Combine(dir, method), "*.io").Order())
                    yield return [method, Path.GetFileName(file)];
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task CaseMatchesTheRecordedResponse(string method, string file)
    {
        if (!chain.Available) return;
        var lines = File.ReadAllLines(Path.Combine(chain.Directory, method, file));
        bool specOnly = lines.Any(l => l.StartsWith("//") && l.Contains("speconly"));
        var server = await chain.ServerAsync();
        for (int i = 0; i < lines.Length; i++)
        {
            if (!lines[i].StartsWith(">> ")) continue;
            var expected = JsonNode.Parse(lines[i + 1][3..]);
            var (_, body) = await server.PostAsync(lines[i][3..]);
            var actual = JsonNode.Parse(body);
            if (JsonNode.DeepEquals(expected, actual)) continue;
            output.WriteLine($"{method}/{file}\n  expected {expected!.ToJsonString()}\n  actual   {actual!.ToJsonString()}");
            if (specOnly) Assert.Equal(Shape(expected), Shape(actual));
            else Assert.Fail($"{method}/{file}: response differs\nexpected {expected!.ToJsonString()}\nactual   {actual!.ToJsonString()}");
        }
    }

    /// <summary>Result or error, and the error code: what a schema check holds a speconly case to.</summary>
    private static string Shape(JsonNode? response) =>
        response?["error"] is { } error ? $"error {error["code"]}" : response?["result"] is null ? "null result" : "result";

    internal static RpcMethods CompatMethods(RpcCompatChain chain) =>
        new EthRpc(new BlockStoreRpcChain(chain.Blocks, chain.Spec!), new StoreRpcStateSource(chain.Store), pool: new AcceptingPool())
            .Register(new RpcMethods());

    /// <summary>A pool that takes every transaction (the suite checks only the returned hash).</summary>
    internal sealed class AcceptingPool : ITransactionSink
    {
        public string? Submit(Core.Types.Transaction transaction, Core.Types.BlobTransactionWithSidecar? sidecar) => null;
    }
}
