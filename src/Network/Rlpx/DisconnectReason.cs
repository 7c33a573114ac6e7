namespace BeamSync.Network.Rlpx;

/// <summary>The p2p Disconnect reasons of rlpx.md; the byte value is the one sent on the wire.</summary>
public enum DisconnectReason : byte
{
    Requested = 0x00,
    TcpError = 0x01,
    BreachOfProtocol = 0x02,
    UselessPeer = 0x03,
    TooManyPeers = 0x04,
    AlreadyConnected = 0x05,
    IncompatibleP2PVersion = 0x06,
    NullNodeIdentity = 0x07,
    ClientQuitting = 0x08,
    UnexpectedIdentity = 0x09,
    ConnectedToSelf = 0x0a,
    PingTimeout = 0x0b,
    SubprotocolSpecific = 0x10,
}
