using System.Text.Json;
using BeamSync.Core;
using BeamSync.Core.Types;

namespace BeamSync.Rpc;

/// <summary>
/// An eth_getLogs filter: a block range or one block hash, addresses (any of), and topics by position (null or an
/// empty list matches anything; a list matches any of its hashes). Immutable.
/// </summary>
public sealed class LogFilter
{
    public BlockId FromBlock { get; private init; } = BlockId.Latest;
    public BlockId ToBlock { get; private init; } = BlockId.Latest;
    public Hash256? BlockHash { get; private init; }
    public Address[] Addresses { get; private init; } = [];
    public Hash256[]?[] Topics { get; private init; } = [];

    public static LogFilter Parse(JsonElement e)
    {
        if (e.ValueKind != JsonValueKind.Object) throw RpcParams.Invalid(0, "filter must be an object");
        bool hasFrom = e.TryGetProperty("fromBlock", out var from) && from.ValueKind != JsonValueKind.Null;
        bool hasTo = e.TryGetProperty("toBlock", out var to) && to.ValueKind != JsonValueKind.Null;
        Hash256? blockHash = null;
        if (e.TryGetProperty("blockHash", out var hash) && hash.ValueKind != JsonValueKind.Null)
        {
            if (hasFrom || hasTo) throw RpcParams.Invalid(0, "cannot specify both BlockHash and FromBlock/ToBlock, choose one or the other");
            blockHash = RpcJson.ParseHash(hash, 0);
        }
        return new LogFilter
        {
            FromBlock = hasFrom ? BlockId.Parse(from, 0) : BlockId.Latest,
            ToBlock = hasTo ? BlockId.Parse(to, 0) : BlockId.Latest,
            BlockHash = blockHash,
            Addresses = ParseAddresses(e),
            Topics = ParseTopics(e),
        };
    }

    private static Address[] ParseAddresses(JsonElement e)
    {
        if (!e.TryGetProperty("address", out var address) || address.ValueKind == JsonValueKind.Null) return [];
        if (address.ValueKind == JsonValueKind.String) return [RpcJson.ParseAddress(address, 0)];
        if (address.ValueKind != JsonValueKind.Array) throw RpcParams.Invalid(0, "address must be a string or an array");
        return [.. address.EnumerateArray().Select(a => RpcJson.ParseAddress(a, 0))];
    }

    private static Hash256[]?[] ParseTopics(JsonElement e)
    {
        if (!e.TryGetProperty("topics", out var topics) || topics.ValueKind == JsonValueKind.Null) return [];
        if (topics.ValueKind != JsonValueKind.Array) throw RpcParams.Invalid(0, "topics must be an array");
        if (topics.GetArrayLength() > 4) throw RpcParams.Invalid(0, "too many topics (at most 4)");
        return [.. topics.EnumerateArray().Select(t => t.ValueKind switch
        {
            JsonValueKind.Null => null,
            JsonValueKind.String => new[] { RpcJson.ParseHash(t, 0) },
            JsonValueKind.Array => t.GetArrayLength() == 0 ? null : t.EnumerateArray().Select(h => RpcJson.ParseHash(h, 0)).ToArray(),
            _ => throw RpcParams.Invalid(0, "a topic must be null, a hash or an array of hashes"),
        })];
    }

    /// <summary>Whether a block whose logs bloom is <paramref name="bloom"/> may hold a matching log.</summary>
    public bool MayMatch(Bloom bloom)
    {
        if (Addresses.Length > 0 && !Addresses.Any(a => bloom.Matches(a.Bytes))) return false;
        foreach (var position in Topics)
            if (position is not null && !position.Any(t => bloom.Matches(t.Bytes))) return false;
        return true;
    }

    public bool Matches(Log log)
    {
        if (Addresses.Length > 0 && Array.IndexOf(Addresses, log.Address) < 0) return false;
        if (Topics.Length > log.Topics.Length) return false;
        for (int i = 0; i < Topics.Length; i++)
            if (Topics[i] is { } wanted && Array.IndexOf(wanted, log.Topics[i]) < 0) return false;
        return true;
    }
}
