using BeamSync.Network.P2p;
using BeamSync.Network.Peers;
using BeamSync.Network.Serving;

namespace BeamSync.Network.NodeData;

/// <summary>
/// nodedata/1 message codes, as Nethermind defines the capability: eth/66's GetNodeData and NodeData in their
/// eth/63 form (no request id; a bare list of hashes, a bare list of values), answered in request order.
/// </summary>
public static class NodeDataMessageId
{
    public const int GetNodeData = 0x00, NodeData = 0x01;
    public const int Count = 2;
}

/// <summary>
/// The nodedata/1 capability: state by hash beside eth/68-69 (which dropped GetNodeData). Creates a
/// <see cref="NodeDataHandler"/> per session, serving from <paramref name="store"/> (null: answer empty). Thread-safe.
/// </summary>
public sealed class NodeDataProtocol(INodeStore? store) : IProtocolFactory
{
    public const string Name = "nodedata";
    public IReadOnlyList<(Capability Capability, int MessageCount)> Offered { get; } = [(new Capability(Name, 1), NodeDataMessageId.Count)];
    public IProtocolHandler Create(PeerSession session, SharedCapability capability) => new NodeDataHandler(session, capability, store);
}
