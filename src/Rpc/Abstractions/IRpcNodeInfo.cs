namespace BeamSync.Rpc;

/// <summary>What admin_nodeInfo reports about this node.</summary>
public sealed record NodeInfo(string Id, string Name, string Enode, string Ip, int ListenPort, IReadOnlyDictionary<string, object?> Protocols);

/// <summary>What admin_peers reports about one connected peer.</summary>
public sealed record PeerInfo(string Id, string Name, string RemoteAddress, string LocalAddress, bool Inbound, IReadOnlyList<string> Caps);

/// <summary>The node's identity and peers for the admin namespace. Thread-safe.</summary>
public interface IRpcNodeInfo
{
    NodeInfo NodeInfo { get; }
    IReadOnlyList<PeerInfo> Peers { get; }
}
