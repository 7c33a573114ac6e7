using BeamSync.Core;
using BeamSync.Core.Types;
using BeamSync.Db;
using BeamSync.State;

namespace BeamSync.Rpc;

/// <summary>
/// The eth_, net_, web3_ and admin_ methods over the node's chain, state, sync status and pool. Handlers run on RPC
/// worker threads and may block while Beam Sync fetches state. Blocks below the oldest local block answer
/// <see cref="RpcErrorCodes.HistoryNotLocal"/> rather than null. Thread-safe: every call opens its own state.
/// </summary>
public sealed partial class EthRpc
{
    private readonly IRpcChain _chain;
    private readonly IRpcStateSource _states;
    private readonly IRpcSyncStatus _sync;
    private readonly ITransactionSink? _pool;
    private readonly IRpcNodeInfo? _node;
    private readonly EthRpcOptions _options;
    private readonly TransactionIndex _transactions;

    public EthRpc(IRpcChain chain, IRpcStateSource states, IRpcSyncStatus? sync = null, ITransactionSink? pool = null,
        IRpcNodeInfo? node = null, EthRpcOptions? options = null)
    {
        _chain = chain;
        _states = states;
        _sync = sync ?? FullySyncedStatus.Instance;
        _pool = pool;
        _node = node;
        _options = options ?? new EthRpcOptions();
        _transactions = new TransactionIndex(chain, _sync);
    }

    /// <summary>Adds every method this class serves to <paramref name="methods"/>.</summary>
    public RpcMethods Register(RpcMethods methods) => methods
        .Add("eth_chainId", 0, _ => RpcJson.Quantity(_chain.Spec.ChainId))
        .Add("net_version", 0, _ => _chain.Spec.ChainId.ToString(System.Globalization.CultureInfo.InvariantCulture))
        .Add("web3_clientVersion", 0, _ => _options.ClientVersion)
        .Add("eth_blockNumber", 0, _ => RpcJson.Quantity(Head.Number))
        .Add("eth_syncing", 0, _ => Syncing())
        .Add("eth_gasPrice", 0, _ => GasPrice())
        .Add("eth_maxPriorityFeePerGas", 0, _ => RpcJson.Quantity(SuggestedTip()))
        .Add("eth_blobBaseFee", 0, _ => RpcJson.Quantity(NextBlobBaseFee(Head)))
        .Add("eth_feeHistory", 3, FeeHistory)
        .Add("eth_getBalance", 2, GetBalance)
        .Add("eth_getTransactionCount", 2, GetTransactionCount)
        .Add("eth_getCode", 2, GetCode)
        .Add("eth_getStorageAt", 3, GetStorageAt)
        .Add("eth_getProof", 3, GetProof)
        .Add("eth_call", 4, Call)
        .Add("eth_estimateGas", 3, EstimateGas)
        .Add("eth_getBlockByNumber", 2, GetBlockByNumber)
        .Add("eth_getBlockByHash", 2, GetBlockByHash)
        .Add("eth_getTransactionByHash", 1, GetTransactionByHash)
        .Add("eth_getTransactionReceipt", 1, GetTransactionReceipt)
        .Add("eth_getBlockReceipts", 1, GetBlockReceipts)
        .Add("eth_getBlockTransactionCountByHash", 1, GetTransactionCountByHash)
        .Add("eth_getBlockTransactionCountByNumber", 1, GetTransactionCountByNumber)
        .Add("eth_getTransactionByBlockHashAndIndex", 2, GetTransactionByBlockHashAndIndex)
        .Add("eth_getTransactionByBlockNumberAndIndex", 2, GetTransactionByBlockNumberAndIndex)
        .Add("eth_getLogs", 1, GetLogs)
        .Add("eth_sendRawTransaction", 1, SendRawTransaction)
        .Add("admin_nodeInfo", 0, _ => NodeInfo())
        .Add("admin_peers", 0, _ => Peers());

    private BlockHeader Head => _chain.Head ?? throw new RpcException(RpcErrorCodes.ServerError, "no head block yet");

    /// <summary>The header a block parameter names, or null when there is no such block.</summary>
    private BlockHeader? FindHeader(BlockId id)
    {
        switch (id.Tag)
        {
            case BlockTag.Latest or BlockTag.Pending: return Head;
            case BlockTag.Safe: return _chain.SafeHead ?? Head;
            case BlockTag.Finalized: return _chain.FinalizedHead ?? Head;
            case BlockTag.Earliest: return HeaderAt(0);
            case BlockTag.Number: return id.Number > Head.Number ? null : HeaderAt(id.Number);
            default:
                var header = _chain.GetHeader(id.Hash);
                if (header is not null && id.RequireCanonical && _chain.GetCanonicalHash(header.Number) != header.Hash)
                    throw new RpcException(RpcErrorCodes.ServerError, $"hash {id.Hash} is not currently canonical");
                return header;
        }
    }

    private BlockHeader? HeaderAt(ulong number)
    {
        if (_chain.GetCanonicalHash(number) is { } hash) return _chain.GetHeader(hash);
        RequireLocalHistory(number);
        return null;
    }

    /// <summary>The header a state method reads at; a block that does not exist is an error, as in geth.</summary>
    private BlockHeader RequireHeader(BlockId id) =>
        FindHeader(id) ?? throw new RpcException(RpcErrorCodes.ServerError, id.Tag == BlockTag.Hash ? "header for hash not found" : "header not found");

    /// <summary>Throws <see cref="RpcErrorCodes.HistoryNotLocal"/> for a block Beam Sync has not backfilled yet.</summary>
    private void RequireLocalHistory(ulong number)
    {
        ulong oldest = _sync.OldestLocalBlock;
        if (number < oldest)
            throw new RpcException(RpcErrorCodes.HistoryNotLocal,
                $"history before block {oldest} is not local yet (beam sync is backfilling it); block {number} is not available");
    }

    /// <summary>The body of a known header; a missing one below the oldest local block is the history error.</summary>
    private BlockBody? BodyOf(BlockHeader header)
    {
        var body = _chain.GetBody(header.Hash);
        if (body is null) RequireLocalHistory(header.Number);
        return body;
    }

    /// <summary>A read-only world state at <paramref name="header"/>'s state root, read through the node's state source.</summary>
    private TrieStateStore OpenStateStore(BlockHeader header) =>
        // Nothing is committed from an RPC state: the store only receives writes a commit would make, which never comes.
        new(new MemoryKeyValueStore(), header.StateRoot, _states.Open(header.StateRoot));

    private WorldState OpenState(BlockHeader header) => new(OpenStateStore(header));
}
