using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using BeamSync.Core;
using BeamSync.Core.Crypto;

namespace BeamSync.Network.Rlpx;

/// <summary>
/// One side of the RLPx key exchange (rlpx.md, EIP-8). The initiator sends auth and reads ack; the recipient
/// reads auth (EIP-8 or the legacy fixed-size form) and answers in the same form. Afterwards
/// <see cref="DeriveSecrets"/> yields the session keys. Packets are read with <c>TryRead*</c> over buffered
/// input: false means more bytes are needed, malformed input is an <see cref="RlpxException"/>. Not thread-safe.
/// </summary>
public sealed partial class Handshake
{
    /// <summary>Legacy (pre-EIP-8) sizes: auth plaintext sig(65) || keccak(ephemeral)(32) || pubkey(64) || nonce(32) || 0x00.</summary>
    public const int LegacyAuthSize = 194 + Ecies.Overhead;
    /// <summary>Legacy ack plaintext: ephemeral pubkey(64) || nonce(32) || 0x00.</summary>
    public const int LegacyAckSize = 97 + Ecies.Overhead;
    /// <summary>An EIP-8 packet larger than this is hostile: real ones are ~300-700 bytes with padding.</summary>
    public const int MaxPacketSize = 2048;
    private const int HandshakeVersion = 4;

    private readonly byte[] _staticKey;
    private readonly byte[] _ephemeralKey;
    private readonly byte[] _nonce;
    private byte[]? _remoteId;
    private byte[]? _remoteEphemeral;
    private byte[]? _remoteNonce;
    private byte[]? _authPacket;
    private byte[]? _ackPacket;
    private bool _remoteUsedEip8 = true;

    public bool IsInitiator { get; }

    /// <summary>The remote static public key: known up front by the initiator, learnt from auth by the recipient.</summary>
    public byte[]? RemoteId => _remoteId;

    private Handshake(bool initiator, byte[] staticKey, byte[]? remoteId, byte[]? ephemeralKey, byte[]? nonce)
    {
        IsInitiator = initiator;
        _staticKey = staticKey;
        _remoteId = remoteId;
        _ephemeralKey = ephemeralKey ?? Secp256k1Curve.GeneratePrivateKey();
        _nonce = nonce ?? RandomNumberGenerator.GetBytes(32);
    }

    public static Handshake ForInitiator(byte[] staticKey, byte[] remoteId, byte[]? ephemeralKey = null, byte[]? nonce = null)
    {
        if (!Secp256k1Curve.IsValidPublicKey(remoteId)) throw new ArgumentException("remote node id is not a secp256k1 public key", nameof(remoteId));
        return new Handshake(true, staticKey, remoteId, ephemeralKey, nonce);
    }

    public static Handshake ForRecipient(byte[] staticKey, byte[]? ephemeralKey = null, byte[]? nonce = null) =>
        new(false, staticKey, null, ephemeralKey, nonce);

    /// <summary>Initiator: the EIP-8 auth packet (size prefix included), remembered for the MAC seeds.</summary>
    public byte[] CreateAuth()
    {
        var staticShared = Secp256k1Curve.AgreeRawX(_remoteId!, _staticKey);
        Span<byte> signed = stackalloc byte[32];
        staticShared.CopyTo(signed);
        AesCtr.Xor(signed, _nonce);
        var (signature, recoveryId) = Secp256k1Curve.Sign(signed, _ephemeralKey);
        var sig65 = new byte[65];
        signature.CopyTo(sig65, 0);
        sig65[64] = recoveryId;

        var body = Rlp.EncodeList(Rlp.EncodeBytes(sig65), Rlp.EncodeBytes(Secp256k1Curve.GetPublicKey(_staticKey)),
            Rlp.EncodeBytes(_nonce), Rlp.Encode(HandshakeVersion));
        _authPacket = SealEip8(_remoteId!, body);
        return _authPacket;
    }

    /// <summary>Recipient: the ack packet, in the form the auth came in.</summary>
    public byte[] CreateAck()
    {
        if (_remoteId is null) throw new InvalidOperationException("ack before auth");
        var ephemeralPublic = Secp256k1Curve.GetPublicKey(_ephemeralKey);
        if (_remoteUsedEip8)
        {
            var body = Rlp.EncodeList(Rlp.EncodeBytes(ephemeralPublic), Rlp.EncodeBytes(_nonce), Rlp.Encode(HandshakeVersion));
            _ackPacket = SealEip8(_remoteId, body);
        }
        else
        {
            var plain = new byte[97];
            ephemeralPublic.CopyTo(plain, 0);
            _nonce.CopyTo(plain, 64);
            _ackPacket = Ecies.Encrypt(_remoteId, plain, default);
        }
        return _ackPacket;
    }

    /// <summary>The session secrets; valid once auth and ack have both been exchanged.</summary>
    public Secrets DeriveSecrets()
    {
        if (_authPacket is null || _ackPacket is null || _remoteEphemeral is null || _remoteNonce is null || _remoteId is null)
            throw new InvalidOperationException("handshake not complete");
        return Secrets.Derive(IsInitiator, _ephemeralKey, _remoteEphemeral,
            IsInitiator ? _nonce : _remoteNonce, IsInitiator ? _remoteNonce : _nonce, _authPacket, _ackPacket, _remoteId);
    }

    /// <summary>Test hook: pretend this packet was the one sent (published vectors fix the exact bytes).</summary>
    internal void UseSentPacket(byte[] packet)
    {
        if (IsInitiator) _authPacket = packet; else _ackPacket = packet;
    }

    /// <summary>EIP-8 sealing: random padding (so sizes vary), size prefix used as the ECIES authenticated data.</summary>
    private static byte[] SealEip8(byte[] remoteId, byte[] body)
    {
        int padding = 100 + RandomNumberGenerator.GetInt32(200);
        var plain = new byte[body.Length + padding];
        body.CopyTo(plain, 0);
        RandomNumberGenerator.Fill(plain.AsSpan(body.Length));
        int sealedSize = plain.Length + Ecies.Overhead;
        Span<byte> prefix = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(prefix, (ushort)sealedSize);
        var sealedBody = Ecies.Encrypt(remoteId, plain, prefix);
        var packet = new byte[2 + sealedBody.Length];
        prefix.CopyTo(packet);
        sealedBody.CopyTo(packet, 2);
        return packet;
    }
}
