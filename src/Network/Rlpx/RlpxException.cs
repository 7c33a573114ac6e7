using System.Diagnostics.CodeAnalysis;

namespace BeamSync.Network.Rlpx;

/// <summary>
/// A protocol violation by the remote side (bad handshake, bad MAC, oversized frame, malformed message),
/// carrying the Disconnect reason the session sends before closing. Input from outside, never a program fault.
/// </summary>
public sealed class RlpxException(DisconnectReason reason, string message, Exception? inner = null) : Exception(message, inner)
{
    public DisconnectReason Reason { get; } = reason;

    [DoesNotReturn]
    public static void Throw(DisconnectReason reason, string message) => throw new RlpxException(reason, message);

    [DoesNotReturn]
    public static void BreachOfProtocol(string message) => throw new RlpxException(DisconnectReason.BreachOfProtocol, message);
}
