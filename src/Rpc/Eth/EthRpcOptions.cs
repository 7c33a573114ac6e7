namespace BeamSync.Rpc;

/// <summary>Limits and identity for the eth_/net_/web3_/admin_ methods. Immutable.</summary>
public sealed record EthRpcOptions
{
    public string ClientVersion { get; init; } = "BeamSync/v0.1.0/dotnet";

    /// <summary>The most gas one eth_call or eth_estimateGas run may use (geth's RPC gas cap).</summary>
    public long GasCap { get; init; } = 50_000_000;

    /// <summary>The widest block range one eth_getLogs may scan.</summary>
    public ulong MaxLogBlockRange { get; init; } = 10_000;

    /// <summary>The most logs one eth_getLogs may return.</summary>
    public int MaxLogResults { get; init; } = 10_000;

    /// <summary>The most blocks one eth_feeHistory may cover.</summary>
    public ulong MaxFeeHistoryBlocks { get; init; } = 1024;
}
