using System.Text.Json.Nodes;
using BeamSync.Core.Types;

namespace BeamSync.Rpc;

// eth_getLogs.
public sealed partial class EthRpc
{
    private JsonNode GetLogs(RpcParams p)
    {
        var filter = LogFilter.Parse(p.Required(0));
        var results = new JsonArray();
        if (filter.BlockHash is { } blockHash)
        {
            var header = _chain.GetHeader(blockHash) ?? throw new RpcException(RpcErrorCodes.ServerError, "unknown block");
            CollectLogs(header, filter, results);
            return results;
        }
        var head = Head;
        ulong from = ResolveRangeEnd(filter.FromBlock, head);
        ulong to = ResolveRangeEnd(filter.ToBlock, head);
        if (to > head.Number) throw RpcException.InvalidParams("block range extends beyond current head block");
        if (from > to) throw RpcException.InvalidParams("invalid block range params");
        if (to - from >= _options.MaxLogBlockRange)
            throw new RpcException(RpcErrorCodes.LimitExceeded, $"block range too large: at most {_options.MaxLogBlockRange} blocks");
        RequireLocalHistory(from);
        for (ulong number = from; number <= to; number++)
        {
            var header = HeaderAt(number) ?? throw new RpcException(RpcErrorCodes.Internal, $"canonical block {number} is missing");
            CollectLogs(header, filter, results);
        }
        return results;
    }

    /// <summary>A range end: a tag resolves to its block's number; a number is taken as given (checked against the head after).</summary>
    private ulong ResolveRangeEnd(BlockId id, BlockHeader head) => id.Tag switch
    {
        BlockTag.Number => id.Number,
        BlockTag.Hash => throw RpcParams.Invalid(0, "fromBlock and toBlock must be numbers or tags"),
        _ => (FindHeader(id) ?? head).Number,
    };

    private void CollectLogs(BlockHeader header, LogFilter filter, JsonArray results)
    {
        if (!filter.MayMatch(header.LogsBloom)) return;
        var body = BodyOf(header);
        var receipts = _chain.GetReceipts(header.Hash);
        if (body is null || receipts is null) { RequireLocalHistory(header.Number); return; }
        int logIndex = 0;
        for (int i = 0; i < receipts.Length; i++)
        {
            foreach (Log log in receipts[i].Logs)
            {
                if (filter.Matches(log))
                {
                    if (results.Count >= _options.MaxLogResults)
                        throw new RpcException(RpcErrorCodes.LimitExceeded, $"query returned more than {_options.MaxLogResults} results");
                    results.Add(RpcFormat.Log(log, header, body.Transactions[i].Hash, i, logIndex));
                }
                logIndex++;
            }
        }
    }
}
