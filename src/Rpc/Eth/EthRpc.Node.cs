using System.Text.Json;
using System.Text.Json.Nodes;

namespace BeamSync.Rpc;

// The node's own status: eth_syncing and the admin namespace.
public sealed partial class EthRpc
{
    private JsonNode Syncing()
    {
        if (_sync.Progress is not { } progress) return false;
        return new JsonObject
        {
            ["startingBlock"] = RpcJson.Quantity(progress.StartingBlock),
            ["currentBlock"] = RpcJson.Quantity(progress.CurrentBlock),
            ["highestBlock"] = RpcJson.Quantity(progress.HighestBlock),
            ["pivotBlock"] = RpcJson.Quantity(progress.PivotBlock),
            ["lagBlocks"] = RpcJson.Quantity(progress.LagBlocks),
            ["stateNodesFetched"] = RpcJson.Quantity(progress.StateNodesFetched),
            ["stateNodesRemaining"] = RpcJson.Quantity(progress.StateNodesRemaining),
            ["oldestLocalBlock"] = RpcJson.Quantity(progress.OldestLocalBlock),
        };
    }

    private JsonNode NodeInfo()
    {
        var info = (_node ?? throw new RpcException(RpcErrorCodes.MethodNotFound, "admin_nodeInfo is not available")).NodeInfo;
        var protocols = new JsonObject();
        foreach (var (name, value) in info.Protocols) protocols[name] = JsonSerializer.SerializeToNode(value);
        return new JsonObject
        {
            ["id"] = info.Id,
            ["name"] = info.Name,
            ["enode"] = info.Enode,
            ["ip"] = info.Ip,
            ["ports"] = new JsonObject { ["discovery"] = info.ListenPort, ["listener"] = info.ListenPort },
            ["listenAddr"] = $"{info.Ip}:{info.ListenPort}",
            ["protocols"] = protocols,
        };
    }

    private JsonNode Peers()
    {
        var peers = (_node ?? throw new RpcException(RpcErrorCodes.MethodNotFound, "admin_peers is not available")).Peers;
        var array = new JsonArray();
        foreach (var peer in peers)
        {
            var caps = new JsonArray();
            foreach (var cap in peer.Caps) caps.Add(cap);
            array.Add(new JsonObject
            {
                ["id"] = peer.Id,
                ["name"] = peer.Name,
                ["caps"] = caps,
                ["network"] = new JsonObject
                {
                    ["localAddress"] = peer.LocalAddress,
                    ["remoteAddress"] = peer.RemoteAddress,
                    ["inbound"] = peer.Inbound,
                },
            });
        }
        return array;
    }
}
