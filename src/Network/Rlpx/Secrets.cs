using BeamSync.Core.Crypto;

namespace BeamSync.Network.Rlpx;

/// <summary>
/// The session keys both sides derive after auth/ack (rlpx.md "Initial Handshake"), and the two keccak MAC
/// states seeded with (mac-secret ^ nonce) || handshake packet. Owned by one frame codec; not thread-safe.
/// </summary>
public sealed class Secrets
{
    public required byte[] AesSecret { get; init; }
    public required byte[] MacSecret { get; init; }
    public required Keccak256 EgressMac { get; init; }
    public required Keccak256 IngressMac { get; init; }
    /// <summary>The remote node's static public key (64 bytes).</summary>
    public required byte[] RemoteId { get; init; }

    /// <summary>Derives the secrets from the exchanged handshake material (packets as sent on the wire, size prefix included).</summary>
    public static Secrets Derive(bool initiator, ReadOnlySpan<byte> ephemeralPrivateKey, ReadOnlySpan<byte> remoteEphemeralPublicKey,
        ReadOnlySpan<byte> initiatorNonce, ReadOnlySpan<byte> recipientNonce, ReadOnlySpan<byte> authPacket, ReadOnlySpan<byte> ackPacket,
        byte[] remoteId)
    {
        var ephemeralShared = Secp256k1Curve.AgreeRawX(remoteEphemeralPublicKey, ephemeralPrivateKey);
        Span<byte> buffer = stackalloc byte[64];
        recipientNonce.CopyTo(buffer);
        initiatorNonce.CopyTo(buffer[32..]);
        Span<byte> nonceHash = stackalloc byte[32];
        Keccak256.Hash(buffer, nonceHash);

        ephemeralShared.CopyTo(buffer);
        nonceHash.CopyTo(buffer[32..]);
        Span<byte> sharedSecret = stackalloc byte[32];
        Keccak256.Hash(buffer, sharedSecret);

        sharedSecret.CopyTo(buffer[32..]);
        var aesSecret = new byte[32];
        Keccak256.Hash(buffer, aesSecret);

        aesSecret.CopyTo(buffer[32..]);
        var macSecret = new byte[32];
        Keccak256.Hash(buffer, macSecret);

        // Initiator: egress over (mac ^ recipient-nonce) || auth, ingress over (mac ^ initiator-nonce) || ack; the recipient mirrors.
        var withRecipientNonceAndAuth = SeedMac(macSecret, recipientNonce, authPacket);
        var withInitiatorNonceAndAck = SeedMac(macSecret, initiatorNonce, ackPacket);
        return new Secrets
        {
            AesSecret = aesSecret,
            MacSecret = macSecret,
            EgressMac = initiator ? withRecipientNonceAndAuth : withInitiatorNonceAndAck,
            IngressMac = initiator ? withInitiatorNonceAndAck : withRecipientNonceAndAuth,
            RemoteId = remoteId,
        };
    }

    private static Keccak256 SeedMac(ReadOnlySpan<byte> macSecret, ReadOnlySpan<byte> nonce, ReadOnlySpan<byte> packet)
    {
        Span<byte> xored = stackalloc byte[32];
        macSecret.CopyTo(xored);
        AesCtr.Xor(xored, nonce);
        var mac = new Keccak256();
        mac.Update(xored);
        mac.Update(packet);
        return mac;
    }
}
