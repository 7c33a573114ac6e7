using System.Text.Json.Nodes;
using BeamSync.Core;
using BeamSync.Core.Types;

namespace BeamSync.Rpc.Tests;

/// <summary>Methods and parameters the rpc-compat suite does not cover, against the imported rpc-compat chain.</summary>
[Collection(RpcCompatChain.Collection)]
public sealed class EthMethodsTests(RpcCompatChain chain)
{
    private const string GenesisHash = "0x44fd89d504659cd58f48f4796b77a7e7012cf296a2409afa2f6c3cb99b5b3d99";
    private const string Block1Hash = "0x80e911b62f552f563a2544dfef5eb39ec8863d9082c998ca6b657f76e19de38e";
    private const string HeadHash = "0xd226371d0b1551adb03fb52b71f08e3e11247fe9b1af994768af8cdaa8e7dcd7";
    private const string Contract = "0x7dcd17433742f4c0ca53122ab541d0ba67fc27df";

    private async Task<RpcTestServer> StartAsync(ITransactionSink? pool = null, IRpcNodeInfo? node = null)
    {
        var eth = new EthRpc(new BlockStoreRpcChain(chain.Blocks, chain.Spec!), new StoreRpcStateSource(chain.Store), pool: pool, node: node,
            options: new EthRpcOptions { ClientVersion = "BeamSync/test" });
        return await RpcTestServer.StartAsync(eth.Register(new RpcMethods()));
    }

    private static string? Result(JsonNode response, string? field = null) =>
        (field is null ? response["result"] : response["result"]?[field])?.GetValue<string>();

    private static int? Code(JsonNode response) => response["error"]?["code"]?.GetValue<int>();

    [Fact]
    public async Task BlockTagsNumbersAndEip1898ObjectsNameTheRightBlock()
    {
        if (!chain.Available) return;
        await using var server = await StartAsync();
        Assert.Equal(GenesisHash, Result(await server.CallAsync("eth_getBlockByNumber", "[\"earliest\",false]"), "hash"));
        Assert.Equal(HeadHash, Result(await server.CallAsync("eth_getBlockByNumber", "[\"pending\",false]"), "hash"));
        Assert.Equal(Block1Hash, Result(await server.CallAsync("eth_getBlockByNumber", "[\"0x1\",false]"), "hash"));
        // The contract's balance was 0x56 after block 45 (rpc-compat get-balance-blockhash) and is 0x76 at the head.
        Assert.Equal("0x56", Result(await server.CallAsync("eth_getBalance",
            $"[\"{Contract}\",{{\"blockHash\":\"0xa38f2a6f7d276298d8e7a9bfa28625e4dc8948021f5a7369d0a04571879e98d2\",\"requireCanonical\":true}}]")));
        Assert.Equal("0x56", Result(await server.CallAsync("eth_getBalance", $"[\"{Contract}\",{{\"blockNumber\":\"0x2c\"}}]")));
        Assert.Equal("0x76", Result(await server.CallAsync("eth_getBalance", $"[\"{Contract}\",\"finalized\"]")));
        Assert.Equal("0x0", Result(await server.CallAsync("eth_getBalance", $"[\"{Contract}\",\"earliest\"]")));
    }

    [Fact]
    public async Task AStateReadAtAnUnknownBlockIsAnErrorNotZero()
    {
        if (!chain.Available) return;
        await using var server = await StartAsync();
        Assert.Equal(RpcErrorCodes.ServerError, Code(await server.CallAsync("eth_getBalance", $"[\"{Contract}\",\"0x3e8\"]")));
        Assert.Equal(RpcErrorCodes.ServerError, Code(await server.CallAsync("eth_getCode",
            $"[\"{Contract}\",{{\"blockHash\":\"0x00000000000000000000000000000000000000000000000000000000deadbeef\"}}]")));
        Assert.Equal(RpcErrorCodes.InvalidParams, Code(await server.CallAsync("eth_getBalance",
            $"[\"{Contract}\",{{\"blockHash\":\"{HeadHash}\",\"blockNumber\":\"0x1\"}}]")));
    }

    [Fact]
    public async Task IdentityAndFeeMethodsAnswer()
    {
        if (!chain.Available) return;
        await using var server = await StartAsync();
        Assert.Equal("BeamSync/test", Result(await server.CallAsync("web3_clientVersion")));
        var baseFee = UInt256.Parse(Result(await server.CallAsync("eth_getBlockByNumber", "[\"latest\",false]"), "baseFeePerGas")!);
        var gasPrice = UInt256.Parse(Result(await server.CallAsync("eth_gasPrice"))!);
        var tip = UInt256.Parse(Result(await server.CallAsync("eth_maxPriorityFeePerGas"))!);
        Assert.Equal(baseFee + tip, gasPrice);
        Assert.Equal(RpcErrorCodes.InvalidParams, Code(await server.CallAsync("eth_feeHistory", "[\"0x2\",\"latest\",[90,10]]")));
        var history = (await server.CallAsync("eth_feeHistory", "[\"0x3\",\"latest\",[]]"))["result"]!;
        Assert.Equal("0x34", history["oldestBlock"]!.GetValue<string>());
        Assert.Equal(4, history["baseFeePerGas"]!.AsArray().Count);
        Assert.Null(history["reward"]);
    }

    [Fact]
    public async Task TheAdminNamespaceReportsTheNodeAndItsPeers()
    {
        if (!chain.Available) return;
        await using (var bare = await StartAsync())
            Assert.Equal(RpcErrorCodes.MethodNotFound, Code(await bare.CallAsync("admin_nodeInfo")));
        await using var server = await StartAsync(node: new FixedNode());
        var info = (await server.CallAsync("admin_nodeInfo"))["result"]!;
        Assert.Equal("enode://ab@127.0.0.1:30303", info["enode"]!.GetValue<string>());
        Assert.Equal(30303, info["ports"]!["listener"]!.GetValue<int>());
        var peers = (await server.CallAsync("admin_peers"))["result"]!.AsArray();
        Assert.Equal("eth/68", peers.Single()!["caps"]![0]!.GetValue<string>());
        Assert.True(peers.Single()!["network"]!["inbound"]!.GetValue<bool>());
    }

    [Fact]
    public async Task SendRawTransactionChecksTheInputAndReportsThePoolsRefusal()
    {
        if (!chain.Available) return;
        var key = Convert.FromHexString("45a915e4d060149eb4365960e6a7a45f334393093061116b197e3240065ff2d8");
        Transaction Transfer(ulong chainId) => new Transaction
        {
            Type = TransactionType.DynamicFee, ChainId = chainId, Nonce = 0, GasLimit = 21_000,
            MaxFeePerGas = new UInt256(2_000_000_000), MaxPriorityFeePerGas = UInt256.One, To = Address.Parse(Contract),
        }.Sign(key);
        var tx = Transfer(chain.Spec!.ChainId);
        var raw = Hex.ToHex(tx.EncodeCanonical());

        await using (var refusing = await StartAsync(pool: new RefusingPool()))
        {
            var refused = await refusing.CallAsync("eth_sendRawTransaction", $"[\"{raw}\"]");
            Assert.Equal(RpcErrorCodes.ServerError, Code(refused));
            Assert.Equal("nonce too low", refused["error"]!["message"]!.GetValue<string>());
        }
        await using var server = await StartAsync(pool: new RpcCompatTests.AcceptingPool());
        Assert.Equal(Hex.ToHex(tx.Hash.Bytes), Result(await server.CallAsync("eth_sendRawTransaction", $"[\"{raw}\"]")));
        Assert.Equal(RpcErrorCodes.InvalidParams, Code(await server.CallAsync("eth_sendRawTransaction", "[\"0x02c0\"]")));
        Assert.Equal(RpcErrorCodes.InvalidParams, Code(await server.CallAsync("eth_sendRawTransaction", "[\"0xzz\"]")));
        var otherChain = Transfer(chain.Spec.ChainId + 1);
        Assert.Equal(RpcErrorCodes.ServerError, Code(await server.CallAsync("eth_sendRawTransaction", $"[\"{Hex.ToHex(otherChain.EncodeCanonical())}\"]")));
    }

    [Fact]
    public async Task ACallBelowIntrinsicGasIsRefusedAndOverridesAreNotSilentlyIgnored()
    {
        if (!chain.Available) return;
        await using var server = await StartAsync();
        var low = await server.CallAsync("eth_call", $"[{{\"to\":\"{Contract}\",\"gas\":\"0x5207\"}},\"latest\"]");
        Assert.Equal(RpcErrorCodes.ServerError, Code(low));
        Assert.StartsWith("intrinsic gas too low", low["error"]!["message"]!.GetValue<string>());
        Assert.Equal(RpcErrorCodes.InvalidParams, Code(await server.CallAsync("eth_call", $"[{{\"to\":\"{Contract}\"}},\"latest\",{{}}]")));
        Assert.Equal(RpcErrorCodes.InvalidParams, Code(await server.CallAsync("eth_call", $"[{{\"to\":\"{Contract}\",\"input\":\"0x01\",\"data\":\"0x02\"}}]")));
    }

    private sealed class RefusingPool : ITransactionSink
    {
        public string? Submit(Transaction transaction, BlobTransactionWithSidecar? sidecar) => "nonce too low";
    }

    private sealed class FixedNode : IRpcNodeInfo
    {
        public NodeInfo NodeInfo { get; } = new("ab", "BeamSync/test", "enode://ab@127.0.0.1:30303", "127.0.0.1", 30303,
            new Dictionary<string, object?> { ["eth"] = new Dictionary<string, object?> { ["network"] = 1 } });
        public IReadOnlyList<PeerInfo> Peers { get; } = [new("cd", "Geth/v1", "10.0.0.2:30303", "127.0.0.1:30303", true, ["eth/68"])];
    }
}
