using System.Buffers;
using System.Buffers.Binary;
using BeamSync.Core;
using BeamSync.Core.Crypto;

namespace BeamSync.Network.Rlpx;

public sealed partial class Handshake
{
    /// <summary>Recipient: reads the auth packet. False when more input is needed; advances <paramref name="input"/> past it when true.</summary>
    public bool TryReadAuth(ref ReadOnlySequence<byte> input)
    {
        if (IsInitiator) throw new InvalidOperationException("the initiator reads ack, not auth");
        if (!TryReadPacket(ref input, LegacyAuthSize, out var packet, out var plain, out bool eip8)) return false;
        _authPacket = packet;
        _remoteUsedEip8 = eip8;
        ReadOnlySpan<byte> signature, initiatorId, initiatorNonce;
        try
        {
            if (eip8)
            {
                var list = new RlpReader(plain).ReadList();
                signature = list.ReadBytes(65);
                initiatorId = list.ReadBytes(64);
                initiatorNonce = list.ReadBytes(32);
                // auth-vsn and any further elements are ignored (EIP-8).
                ParseAuth(signature, initiatorId, initiatorNonce);
            }
            else
            {
                ParseAuth(plain.AsSpan(0, 65), plain.AsSpan(97, 64), plain.AsSpan(161, 32));
                // The legacy form also carries keccak(ephemeral-pubk): it must match the recovered key.
                if (!Keccak256.Hash(_remoteEphemeral).Bytes.SequenceEqual(plain.AsSpan(65, 32)))
                    RlpxException.BreachOfProtocol("auth: ephemeral key hash mismatch");
            }
        }
        catch (RlpException e) { throw new RlpxException(DisconnectReason.BreachOfProtocol, "auth: malformed body: " + e.Message, e); }
        return true;
    }

    /// <summary>Initiator: reads the ack packet. False when more input is needed.</summary>
    public bool TryReadAck(ref ReadOnlySequence<byte> input)
    {
        if (!IsInitiator) throw new InvalidOperationException("the recipient reads auth, not ack");
        if (!TryReadPacket(ref input, LegacyAckSize, out var packet, out var plain, out bool eip8)) return false;
        _ackPacket = packet;
        try
        {
            if (eip8)
            {
                var list = new RlpReader(plain).ReadList();
                _remoteEphemeral = list.ReadBytes(64).ToArray();
                _remoteNonce = list.ReadBytes(32).ToArray();
            }
            else
            {
                _remoteEphemeral = plain.AsSpan(0, 64).ToArray();
                _remoteNonce = plain.AsSpan(64, 32).ToArray();
            }
        }
        catch (RlpException e) { throw new RlpxException(DisconnectReason.BreachOfProtocol, "ack: malformed body: " + e.Message, e); }
        if (!Secp256k1Curve.IsValidPublicKey(_remoteEphemeral)) RlpxException.BreachOfProtocol("ack: invalid ephemeral key");
        return true;
    }

    private void ParseAuth(ReadOnlySpan<byte> signature, ReadOnlySpan<byte> initiatorId, ReadOnlySpan<byte> initiatorNonce)
    {
        if (!Secp256k1Curve.IsValidPublicKey(initiatorId)) RlpxException.Throw(DisconnectReason.NullNodeIdentity, "auth: invalid initiator public key");
        _remoteId = initiatorId.ToArray();
        _remoteNonce = initiatorNonce.ToArray();
        byte[] staticShared;
        try { staticShared = Secp256k1Curve.AgreeRawX(_remoteId, _staticKey); }
        catch (SignatureException e) { throw new RlpxException(DisconnectReason.BreachOfProtocol, "auth: " + e.Message, e); }
        Span<byte> signed = stackalloc byte[32];
        staticShared.CopyTo(signed);
        AesCtr.Xor(signed, _remoteNonce);
        var ephemeral = new byte[64];
        if (!Secp256k1Curve.TryRecover(signed, signature[..64], signature[64], ephemeral))
            RlpxException.BreachOfProtocol("auth: signature does not recover");
        _remoteEphemeral = ephemeral;
    }

    /// <summary>
    /// Reads one handshake packet. A packet starting with 0x04 (an uncompressed point) may be the legacy
    /// fixed-size form: that is tried first and, if it does not authenticate, the EIP-8 size prefix is used (EIP-8's
    /// recommended probing).
    /// </summary>
    private bool TryReadPacket(ref ReadOnlySequence<byte> input, int legacySize, out byte[] packet, out byte[] plain, out bool eip8)
    {
        packet = []; plain = []; eip8 = true;
        if (input.Length < 2) return false;
        Span<byte> prefix = stackalloc byte[2];
        input.Slice(0, 2).CopyTo(prefix);
        if (prefix[0] == 0x04)
        {
            if (input.Length < legacySize) return false;
            var legacy = input.Slice(0, legacySize).ToArray();
            if (Ecies.TryDecrypt(_staticKey, legacy, default, out plain))
            {
                packet = legacy;
                eip8 = false;
                input = input.Slice(legacySize);
                return true;
            }
        }
        int size = BinaryPrimitives.ReadUInt16BigEndian(prefix);
        if (size > MaxPacketSize || size < Ecies.Overhead) RlpxException.BreachOfProtocol($"handshake packet of {size} bytes");
        if (input.Length < 2 + size) return false;
        packet = input.Slice(0, 2 + size).ToArray();
        if (!Ecies.TryDecrypt(_staticKey, packet.AsSpan(2), packet.AsSpan(0, 2), out plain))
            RlpxException.BreachOfProtocol("handshake packet does not decrypt");
        input = input.Slice(2 + size);
        return true;
    }
}
