using System.Diagnostics;
using BeamSync.Core;
using BeamSync.Network.Eth;
using BeamSync.Network.P2p;
using BeamSync.Network.Peers;
using BeamSync.Network.Serving;

namespace BeamSync.Network.Tests.Peers;

/// <summary>Serving runs beside the read loop: a node whose store stalls still receives the answers to its own requests.</summary>
public class ServingQueueTests
{
    /// <summary>A chain store whose header lookups block until the gate opens (a cold disk, a lock held elsewhere).</summary>
    private sealed class GatedChainStore(InMemoryChainStore inner) : IChainStore
    {
        public readonly ManualResetEventSlim Gate = new(false);
        public int Waiting;
        private byte[]? Wait(Func<byte[]?> read) { Interlocked.Increment(ref Waiting); Gate.Wait(TimeSpan.FromSeconds(30)); return read(); }
        public byte[]? GetHeader(Hash256 hash) => Wait(() => inner.GetHeader(hash));
        public byte[]? GetCanonicalHeader(ulong number) => Wait(() => inner.GetCanonicalHeader(number));
        public byte[]? GetBody(Hash256 hash) => inner.GetBody(hash);
        public IReadOnlyList<byte[]>? GetReceipts(Hash256 hash) => inner.GetReceipts(hash);
    }

    [Fact]
    public async Task A_node_whose_serving_is_stalled_still_gets_its_own_requests_answered_promptly()
    {
        var chain = TestChain.Build(10);
        var gated = new GatedChainStore(chain);
        await using var slow = new PeerPool(NodeKey.Generate(), [new EthProtocol(new TestChain.ChainInfo(chain), gated, versions: [69])],
            new PeerPoolOptions { ListenPort = 0 });
        slow.Start();
        await using var fast = new LoopbackNode(10, [69]);

        var slowToFast = (await slow.ConnectAsync(fast.Pool.LocalEnode)).Protocol<EthHandler>()!;
        await slowToFast.StatusExchanged;
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (fast.Pool.Peers.Count == 0 && DateTime.UtcNow < deadline) await Task.Delay(10);
        var fastToSlow = fast.Pool.Peers.Single().Protocol<EthHandler>()!;
        await fastToSlow.StatusExchanged;

        // The fast node asks the slow one; the slow node's store blocks while serving it.
        var stalled = fastToSlow.GetBlockHeadersAsync(HeadersQuery.ByNumber(1, 3));
        while (Volatile.Read(ref gated.Waiting) == 0 && DateTime.UtcNow < deadline) await Task.Delay(10);
        Assert.Equal(1, Volatile.Read(ref gated.Waiting));

        // Meanwhile the slow node's own request to the fast node comes back at once.
        var clock = Stopwatch.StartNew();
        var own = await slowToFast.GetBlockHeadersAsync(HeadersQuery.ByNumber(2, 4));
        Assert.Equal(4, own.Count);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(3), $"own request took {clock.Elapsed}");
        Assert.False(stalled.IsCompleted);

        gated.Gate.Set();
        Assert.Equal(3, (await stalled).Count);
    }
}
