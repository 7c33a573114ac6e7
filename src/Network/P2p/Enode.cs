using System.Net;
using BeamSync.Core;
using BeamSync.Core.Crypto;

namespace BeamSync.Network.P2p;

/// <summary>An <c>enode://&lt;128 hex id&gt;@host:port[?discport=N]</c> address: node id plus TCP endpoint. Immutable.</summary>
public sealed record Enode(byte[] Id, IPAddress Address, int TcpPort)
{
    public IPEndPoint EndPoint => new(Address, TcpPort);

    public override string ToString() => $"enode://{Hex.ToHex(Id, prefix: false)}@{(Address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{Address}]" : Address.ToString())}:{TcpPort}";

    public static Enode Parse(string url) =>
        TryParse(url, out var e, out var error) ? e! : throw new FormatException(error);

    public static bool TryParse(string url, out Enode? enode, out string? error)
    {
        enode = null; error = null;
        if (!url.StartsWith("enode://", StringComparison.Ordinal)) { error = "not an enode:// URL"; return false; }
        var rest = url.AsSpan(8);
        int at = rest.IndexOf('@');
        if (at != 128) { error = "node id must be 128 hex characters"; return false; }
        var id = new byte[64];
        if (!Hex.TryParseExact(rest[..128], id) || !Secp256k1Curve.IsValidPublicKey(id)) { error = "node id is not a secp256k1 public key"; return false; }
        var hostPort = rest[129..];
        int query = hostPort.IndexOf('?');
        if (query >= 0) hostPort = hostPort[..query];
        int colon = hostPort.LastIndexOf(':');
        if (colon <= 0) { error = "missing port"; return false; }
        var host = hostPort[..colon].Trim('[').TrimEnd(']');
        if (!IPAddress.TryParse(host, out var address)) { error = "host must be an IP address"; return false; }
        if (!int.TryParse(hostPort[(colon + 1)..], out int port) || port is <= 0 or > 65535) { error = "bad port"; return false; }
        enode = new Enode(id, address, port);
        return true;
    }

    public bool Equals(Enode? other) => other is not null && Id.AsSpan().SequenceEqual(other.Id) && Address.Equals(other.Address) && TcpPort == other.TcpPort;
    public override int GetHashCode() => HashCode.Combine(BitConverter.ToInt32(Id), TcpPort);
}
