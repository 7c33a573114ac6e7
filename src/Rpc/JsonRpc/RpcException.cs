namespace BeamSync.Rpc;

/// <summary>The JSON-RPC error codes this server answers with: the JSON-RPC 2.0 set, geth's, and our own.</summary>
public static class RpcErrorCodes
{
    public const int ParseError = -32700;
    public const int InvalidRequest = -32600;
    public const int MethodNotFound = -32601;
    public const int InvalidParams = -32602;
    public const int Internal = -32603;
    /// <summary>geth's generic server error: a transaction or call the state refuses (nonce, funds, intrinsic gas).</summary>
    public const int ServerError = -32000;
    /// <summary>A request that would read or return more than the server allows (log ranges, results).</summary>
    public const int LimitExceeded = -32005;
    /// <summary>EVM execution reverted; the error's data is the revert output (as geth).</summary>
    public const int ExecutionReverted = 3;
    /// <summary>
    /// Blocks, receipts, logs or transactions before the oldest local block: Beam Sync has not backfilled that history
    /// yet. The numbering follows EIP-4444's "pruned history unavailable".
    /// </summary>
    public const int HistoryNotLocal = 4444;
    /// <summary>State that could not be fetched in time during Beam Sync (the node exists; it is not local yet).</summary>
    public const int StateNotAvailable = -32010;
}

/// <summary>An error answered to the client: a code, a message and optional hex data. Thrown by handlers.</summary>
public sealed class RpcException(int code, string message, string? data = null) : Exception(message)
{
    public int Code { get; } = code;
    public new string? Data { get; } = data;

    public static RpcException InvalidParams(string message) => new(RpcErrorCodes.InvalidParams, message);
}
