namespace BeamSync.Cli.Devnet;

public sealed partial class DevnetRun
{
    /// <summary>How long one beamsync_waitForHead call waits on the producer before it is renewed.</summary>
    private static readonly TimeSpan HeadPoll = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The beam nodes' head source: long-polls the producer for each new head and hands its hash to every ready beam
    /// node at once. Ends when <paramref name="ct"/> is cancelled; a failed call is retried after a short pause.
    /// </summary>
    private async Task RelayHeadsAsync(CancellationToken ct)
    {
        ulong after = 0;
        while (!ct.IsCancellationRequested)
        {
            try
            {
                if (await _producerRpc!.WaitForHeadAsync(after, HeadPoll, ct) is not { } head) continue;
                after = head.Number;
                _head = head;
                BeamMember[] beams;
                lock (_beamsLock) beams = [.. _beams.Where(b => !b.EngineDriven)];
                // The second server follows the producer's chain as the beam nodes do, by each head's hash.
                NodeRpcClient[] followers = [.. beams.Select(b => b.Rpc), .. _secondServerRpc is { } server ? [server] : Array.Empty<NodeRpcClient>()];
                await Task.WhenAll(followers.Select(rpc => TryNewHeadAsync(rpc, head, ct)));
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is HttpRequestException or NodeRpcException or OperationCanceledException)
            {
                try { await Task.Delay(500, ct); }
                catch (OperationCanceledException) { return; }
            }
        }
    }

    /// <summary>A beam node that is down or busy misses this head; it gets the next one.</summary>
    private static async Task TryNewHeadAsync(NodeRpcClient beam, HeadInfo head, CancellationToken ct)
    {
        try
        {
            await beam.NewHeadAsync(head.Hash, ct);
        }
        catch (Exception e) when (e is HttpRequestException or NodeRpcException or OperationCanceledException)
        {
        }
    }

    /// <summary>
    /// The engine driver for one beam node: from the producer's head as the node starts, the newest block each time as
    /// the newPayload a consensus client would send (asked again until VALID), then fork choice to it (<see cref="Node.Devnet.EngineFollower"/>),
    /// each relay recorded in the node's timeline. When the producer switched to a side branch, the new branch's blocks
    /// from where it left the relayed one go first, as a consensus client sends them on a reorganization. Ends when
    /// <paramref name="ct"/> is cancelled.
    /// </summary>
    private async Task FollowThroughEngineAsync(NodeTimeline timeline, Node.Devnet.EngineFollower follower, CancellationToken ct)
    {
        ulong next = 0;
        var relayed = new RelayedBranch();
        while (!ct.IsCancellationRequested)
        {
            try
            {
                // As a consensus client does, the newest block goes out next: one that was passed over while the node
                // was behind is fetched by the node from its peers, and the lag it then sees may make it pivot.
                next = Math.Max(Math.Max(next, 1), await _producerRpc!.BlockNumberAsync(ct));
                if (await _producerRpc!.EnginePayloadAsync(next, ct) is not { } call)
                {
                    await _producerRpc.WaitForHeadAsync(next - 1, HeadPoll, ct);
                    continue;
                }
                foreach (var earlier in await NewBranchBelowAsync(call, relayed, ct))
                    await RelayAsync(earlier, superseded: null);
                ulong sent = next;
                await RelayAsync(call, async t => await _producerRpc.BlockNumberAsync(t) > sent);
                next++;
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is HttpRequestException or NodeRpcException or BeamSync.Rpc.Engine.EngineCallException or OperationCanceledException)
            {
                if (e is BeamSync.Rpc.Engine.EngineCallException) Log($"{timeline.Name}: {e.Message}");
                try { await Task.Delay(500, ct); }
                catch (OperationCanceledException) { return; }
            }
        }

        async Task RelayAsync(System.Text.Json.Nodes.JsonObject call, Func<CancellationToken, Task<bool>>? superseded)
        {
            var payload = await follower.RelayAsync(call, ct, superseded);
            timeline.AddPayload(payload);
            if (payload.Valid) relayed.Add(payload.Number, payload.Hash);
        }
    }

    /// <summary>
    /// The producer's blocks between <paramref name="call"/>'s block and the newest relayed block it descends from,
    /// oldest first, when its parent is not the relayed block below it (the producer switched branches); empty
    /// otherwise, or when the branch leaves the relayed blocks below those remembered (the node fetches the rest).
    /// </summary>
    private async Task<List<System.Text.Json.Nodes.JsonObject>> NewBranchBelowAsync(System.Text.Json.Nodes.JsonObject call, RelayedBranch relayed, CancellationToken ct)
    {
        var branch = new List<System.Text.Json.Nodes.JsonObject>();
        ulong number = Convert.ToUInt64(call["params"]![0]!["blockNumber"]!.GetValue<string>(), 16) - 1;
        var parent = call["parentHash"]!.GetValue<string>();
        while (relayed.HashAt(number) is { } given && given != parent && number > 0)
        {
            if (await _producerRpc!.EnginePayloadAsync(parent, ct) is not { } earlier) break;
            branch.Insert(0, earlier);
            parent = earlier["parentHash"]!.GetValue<string>();
            number--;
        }
        return branch;
    }

    /// <summary>The hashes of the latest blocks relayed to one node, by number (the newest relay at a number wins).</summary>
    private sealed class RelayedBranch
    {
        private const int Remembered = 64;
        private readonly SortedDictionary<ulong, string> _byNumber = [];

        public void Add(ulong number, string hash)
        {
            _byNumber[number] = hash;
            foreach (var above in _byNumber.Keys.Where(n => n > number).ToList()) _byNumber.Remove(above);
            while (_byNumber.Count > Remembered) _byNumber.Remove(_byNumber.Keys.First());
        }

        public string? HashAt(ulong number) => _byNumber.GetValueOrDefault(number);
    }
}
