using BeamSync.Network.Eth;
using BeamSync.Network.P2p;
using BeamSync.Network.Peers;
using BeamSync.Network.Serving;

namespace BeamSync.Network.Tests.Peers;

/// <summary>A BeamSync node for tests: a peer pool on a free loopback port with eth (and optionally more) over in-memory stores.</summary>
internal sealed class LoopbackNode : IAsyncDisposable
{
    public NodeKey Key { get; } = NodeKey.Generate();
    public InMemoryChainStore Chain { get; }
    public InMemoryNodeStore Nodes { get; } = new();
    public RecordingSink Sink { get; } = new();
    public PeerPool Pool { get; }

    public LoopbackNode(int blocks, int[]? ethVersions = null, Func<LoopbackNode, IEnumerable<IProtocolFactory>>? extra = null, PeerPoolOptions? options = null)
    {
        Chain = TestChain.Build(blocks);
        var factories = new List<IProtocolFactory> { new EthProtocol(new TestChain.ChainInfo(Chain), Chain, Nodes, Nodes, Sink, ethVersions) };
        if (extra is not null) factories.AddRange(extra(this));
        Pool = new PeerPool(Key, factories, (options ?? new PeerPoolOptions()) with { ListenPort = 0 });
        Pool.Start();
    }

    public ValueTask DisposeAsync() => Pool.DisposeAsync();
}

/// <summary>Records every announcement for assertions. Thread-safe.</summary>
internal sealed class RecordingSink : IEthAnnouncementSink
{
    public readonly System.Collections.Concurrent.ConcurrentQueue<string> Events = new();
    public readonly SemaphoreSlim Signal = new(0);
    private void Add(string e) { Events.Enqueue(e); Signal.Release(); }
    public void OnNewBlockHashes(PeerSession peer, IReadOnlyList<BlockAnnouncement> blocks) => Add($"hashes:{blocks.Count}:{blocks[0].Number}");
    public void OnNewBlock(PeerSession peer, byte[] block, Core.UInt256 td) => Add($"block:{block.Length}:{td}");
    public void OnTransactions(PeerSession peer, IReadOnlyList<byte[]> transactions) => Add($"txs:{transactions.Count}");
    public void OnPooledTransactionHashes(PeerSession peer, PooledTransactionAnnouncement a) => Add($"pooled:{a.Hashes.Count}:{a.Types.Length}");
    public void OnBlockRange(PeerSession peer, ulong earliest, ulong latest, Core.Hash256 latestHash) => Add($"range:{earliest}:{latest}");

    public async Task<string> NextAsync()
    {
        if (!await Signal.WaitAsync(TimeSpan.FromSeconds(10))) throw new TimeoutException("no announcement arrived");
        Events.TryDequeue(out var e);
        return e!;
    }
}
