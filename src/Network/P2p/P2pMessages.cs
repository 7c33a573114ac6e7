using System.Text;
using BeamSync.Core;
using BeamSync.Network.Rlpx;

namespace BeamSync.Network.P2p;

/// <summary>The p2p capability's message ids (rlpx.md), below 0x10.</summary>
public static class P2pMessageId
{
    public const int Hello = 0x00, Disconnect = 0x01, Ping = 0x02, Pong = 0x03;
}

/// <summary>Hello: [protocolVersion, clientId, [[cap, version], ...], listenPort, nodeId, ...]; extra elements ignored (EIP-8).</summary>
public sealed record HelloMessage(int ProtocolVersion, string ClientId, IReadOnlyList<Capability> Capabilities, int ListenPort, byte[] NodeId)
{
    public const int CurrentProtocolVersion = 5;
    private const int MaxCapabilities = 64;

    public byte[] Encode()
    {
        var caps = new byte[Capabilities.Count][];
        for (int i = 0; i < caps.Length; i++)
            caps[i] = Rlp.EncodeList(Rlp.EncodeBytes(Encoding.ASCII.GetBytes(Capabilities[i].Name)), Rlp.Encode((ulong)Capabilities[i].Version));
        return Rlp.EncodeList(Rlp.Encode((ulong)ProtocolVersion), Rlp.EncodeBytes(Encoding.UTF8.GetBytes(ClientId)),
            Rlp.EncodeList(caps), Rlp.Encode((ulong)ListenPort), Rlp.EncodeBytes(NodeId));
    }

    public static HelloMessage Decode(ReadOnlySpan<byte> payload)
    {
        try
        {
            var list = new RlpReader(payload).ReadList();
            int version = (int)Math.Min(list.ReadUInt64(), int.MaxValue);
            var clientId = Encoding.UTF8.GetString(list.ReadBytes());
            var capsReader = list.ReadList();
            var caps = new List<Capability>();
            while (capsReader.HasMore)
            {
                if (caps.Count == MaxCapabilities) RlpxException.BreachOfProtocol("Hello lists too many capabilities");
                var cap = capsReader.ReadList();
                var name = cap.ReadBytes();
                if (name.Length is 0 or > 8) RlpxException.BreachOfProtocol("capability name must be 1-8 characters");
                caps.Add(new Capability(Encoding.ASCII.GetString(name), (int)Math.Min(cap.ReadUInt64(), int.MaxValue)));
            }
            int port = (int)Math.Min(list.ReadUInt64(), int.MaxValue);
            var nodeId = list.ReadBytes().ToArray();
            if (nodeId.Length != 64) RlpxException.Throw(DisconnectReason.NullNodeIdentity, "Hello node id must be 64 bytes");
            return new HelloMessage(version, clientId, caps, port, nodeId);
        }
        catch (RlpException e) { throw new RlpxException(DisconnectReason.BreachOfProtocol, "malformed Hello: " + e.Message, e); }
    }
}

/// <summary>Disconnect: [reason]; some clients send the bare integer, which is accepted too.</summary>
public static class DisconnectMessage
{
    public static byte[] Encode(DisconnectReason reason) => Rlp.EncodeList(Rlp.Encode((ulong)reason));

    public static DisconnectReason Decode(ReadOnlySpan<byte> payload)
    {
        try
        {
            var reader = new RlpReader(payload);
            if (!reader.HasMore) return DisconnectReason.Requested;
            if (reader.PeekIsList())
            {
                var list = reader.ReadList();
                return list.HasMore ? (DisconnectReason)(byte)Math.Min(list.ReadUInt64(), 0xff) : DisconnectReason.Requested;
            }
            return (DisconnectReason)(byte)Math.Min(reader.ReadUInt64(), 0xff);
        }
        catch (RlpException) { return DisconnectReason.BreachOfProtocol; }
    }
}
