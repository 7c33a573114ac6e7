namespace BeamSync.Core.Types;

/// <summary>
/// A transaction receipt: <c>[status_or_post_state, cumulative_gas_used, logs_bloom, logs]</c>, as an RLP list for
/// legacy transactions and <c>type || rlp(...)</c> for typed ones (inside a list, a typed receipt is an RLP
/// string). From Byzantium the first field is the status (empty for failure, 0x01 for success); before, the
/// 32-byte post-transaction state root. Immutable by convention.
/// </summary>
public sealed partial class Receipt
{
    public TransactionType Type { get; init; }
    /// <summary>Byzantium on: whether the transaction succeeded. Null for a pre-Byzantium receipt.</summary>
    public bool? Success { get; init; }
    /// <summary>Before Byzantium: the state root after the transaction. Null from Byzantium.</summary>
    public Hash256? PostState { get; init; }
    public ulong CumulativeGasUsed { get; init; }
    public Bloom Bloom { get; init; } = new();
    public Log[] Logs { get; init; } = [];

    /// <summary>A Byzantium-style receipt with its bloom computed from the logs.</summary>
    public static Receipt Create(TransactionType type, bool success, ulong cumulativeGasUsed, Log[] logs) => new()
    {
        Type = type,
        Success = success,
        CumulativeGasUsed = cumulativeGasUsed,
        Bloom = ComputeBloom(logs),
        Logs = logs,
    };

    /// <summary>The bloom of a receipt's logs: each log's address and each of its topics.</summary>
    public static Bloom ComputeBloom(ReadOnlySpan<Log> logs)
    {
        var bloom = new Bloom();
        foreach (var log in logs)
        {
            bloom.Add(log.Address.Bytes);
            foreach (var topic in log.Topics) bloom.Add(topic.Bytes);
        }
        return bloom;
    }
}
