using System.Net;
using System.Net.Sockets;

namespace BeamSync.Network.Peers;

public sealed partial class PeerPool
{
    private readonly Lock _handshakesLock = new();
    // Only addresses with a handshake in progress are present, so the map is bounded by MaxInboundHandshakes.
    private readonly Dictionary<IPAddress, int> _handshakesByAddress = [];
    private int _pendingHandshakes;

    /// <summary>Inbound RLPx handshakes in progress.</summary>
    public int PendingHandshakes { get { lock (_handshakesLock) return _pendingHandshakes; } }

    /// <summary>Admits an accepted connection to the handshake unless the total or its address's limit is reached.</summary>
    private bool TryBeginInboundHandshake(TcpClient client, out IPAddress address)
    {
        address = (client.Client.RemoteEndPoint as IPEndPoint)?.Address ?? IPAddress.None;
        lock (_handshakesLock)
        {
            if (_pendingHandshakes >= _options.MaxInboundHandshakes) return false;
            int fromAddress = _handshakesByAddress.GetValueOrDefault(address);
            if (fromAddress >= _options.MaxInboundHandshakesPerAddress) return false;
            _handshakesByAddress[address] = fromAddress + 1;
            _pendingHandshakes++;
            return true;
        }
    }

    private void EndInboundHandshake(IPAddress address)
    {
        lock (_handshakesLock)
        {
            _pendingHandshakes--;
            int left = _handshakesByAddress[address] - 1;
            if (left == 0) _handshakesByAddress.Remove(address);
            else _handshakesByAddress[address] = left;
        }
    }
}
