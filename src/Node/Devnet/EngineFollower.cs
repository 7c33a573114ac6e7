using System.Diagnostics;
using System.Text.Json.Nodes;
using BeamSync.Rpc.Engine;

namespace BeamSync.Node.Devnet;

/// <summary>
/// One payload relayed to a node: the first answer's status, how long until it was VALID (or given up, when
/// <paramref name="Valid"/> is false: a newer block superseded it first), and the calls it took.
/// </summary>
public sealed record RelayedPayload(ulong Number, string Hash, string FirstStatus, TimeSpan ToValid, int Calls, bool Valid = true);

/// <summary>
/// The devnet's follower driver, a consensus client's part for one node: sends each of the producer's blocks as the
/// newPayload call a consensus client would (over HTTP with JWT), asks again while the node answers SYNCING or
/// ACCEPTED (the node keeps executing; a later call for the same block returns its verdict), then makes it the head
/// with forkchoiceUpdated, naming the safe and finalized blocks the producer's answer gives. Not thread-safe: one relay at a time, in block order.
/// </summary>
public sealed class EngineFollower(EngineClient engine)
{
    /// <summary>The pause before asking again about a block the node is still executing (each ask itself waits up to the node's budget).</summary>
    public static readonly TimeSpan RetryPause = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// Relays one block given as the producer's <c>beamsync_enginePayload</c> answer. Throws
    /// <see cref="EngineCallException"/> when the node answers INVALID or with an error: the producer's blocks are valid.
    /// </summary>
    /// <param name="superseded">
    /// Asked after each answer other than VALID: true when a newer block is out, and the consensus client moves on to it
    /// (the node may have pivoted past this block, which it then never executes).
    /// </param>
    public async Task<RelayedPayload> RelayAsync(JsonObject call, CancellationToken ct, Func<CancellationToken, Task<bool>>? superseded = null)
    {
        string method = call["method"]!.GetValue<string>(), hash = call["blockHash"]!.GetValue<string>();
        ulong number = Convert.ToUInt64(call["params"]![0]!["blockNumber"]!.GetValue<string>(), 16);
        var clock = Stopwatch.StartNew();
        string? first = null;
        int calls = 0;
        while (true)
        {
            var result = await engine.CallAsync(method, call["params"]!.DeepClone().AsArray(), ct).ConfigureAwait(false);
            calls++;
            string status = result?["status"]?.GetValue<string>() ?? "";
            first ??= status;
            if (status == PayloadStatus.Valid) break;
            if (status != PayloadStatus.Syncing && status != PayloadStatus.Accepted)
                throw new EngineCallException($"{method} for block {number} {hash}: {result?.ToJsonString()}");
            if (superseded is not null && await superseded(ct).ConfigureAwait(false))
                return new RelayedPayload(number, hash, first, clock.Elapsed, calls, Valid: false);
            await Task.Delay(RetryPause, ct).ConfigureAwait(false);
        }
        var toValid = clock.Elapsed;
        // The producer's consensus side names safe and finalized blocks below each head; without them, the head itself.
        var state = new JsonObject
        {
            ["headBlockHash"] = hash,
            ["safeBlockHash"] = call["safeBlockHash"]?.GetValue<string>() ?? hash,
            ["finalizedBlockHash"] = call["finalizedBlockHash"]?.GetValue<string>() ?? hash,
        };
        var choice = await engine.CallAsync(ForkchoiceMethodFor(method), [state], ct).ConfigureAwait(false);
        string? choiceStatus = choice?["payloadStatus"]?["status"]?.GetValue<string>();
        if (choiceStatus != PayloadStatus.Valid) throw new EngineCallException($"forkchoiceUpdated to block {number} {hash}: {choice?.ToJsonString()}");
        return new RelayedPayload(number, hash, first, toValid, calls);
    }

    /// <summary>The forkchoiceUpdated version beside a newPayload version (V3 from Cancun on, also for newPayloadV4).</summary>
    private static string ForkchoiceMethodFor(string newPayloadMethod) =>
        "engine_forkchoiceUpdatedV" + Math.Min(3, int.Parse(newPayloadMethod.AsSpan("engine_newPayloadV".Length), System.Globalization.CultureInfo.InvariantCulture));
}
