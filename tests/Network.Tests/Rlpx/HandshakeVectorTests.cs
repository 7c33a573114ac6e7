using System.Buffers;
using BeamSync.Core;
using BeamSync.Core.Crypto;
using BeamSync.Network.Rlpx;
using static BeamSync.Network.Tests.Rlpx.Eip8Vectors;

namespace BeamSync.Network.Tests.Rlpx;

public class HandshakeVectorTests
{
    private static byte[] H(string hex) => Hex.Parse(hex);

    private static Handshake RecipientB() => Handshake.ForRecipient(H(StaticKeyB), H(EphemeralKeyB), H(NonceB));
    private static Handshake InitiatorA() =>
        Handshake.ForInitiator(H(StaticKeyA), Secp256k1Curve.GetPublicKey(H(StaticKeyB)), H(EphemeralKeyA), H(NonceA));

    [Theory]
    [InlineData(Auth1)]
    [InlineData(Auth2)]
    [InlineData(Auth3)]
    public void Recipient_reads_every_published_auth_form(string auth)
    {
        var b = RecipientB();
        var input = new ReadOnlySequence<byte>(H(auth));
        Assert.True(b.TryReadAuth(ref input));
        Assert.Equal(0, input.Length);
        Assert.Equal(Secp256k1Curve.GetPublicKey(H(StaticKeyA)), b.RemoteId);
    }

    [Theory]
    [InlineData(Ack1)]
    [InlineData(Ack2)]
    [InlineData(Ack3)]
    public void Initiator_reads_every_published_ack_form(string ack)
    {
        var a = InitiatorA();
        a.UseSentPacket(H(Auth2));
        var input = new ReadOnlySequence<byte>(H(ack));
        Assert.True(a.TryReadAck(ref input));
        Assert.Equal(0, input.Length);
    }

    [Fact]
    public void Auth2_ack2_derive_the_published_secrets_on_both_sides()
    {
        var b = RecipientB();
        var input = new ReadOnlySequence<byte>(H(Auth2));
        Assert.True(b.TryReadAuth(ref input));
        b.UseSentPacket(H(Ack2));
        var secretsB = b.DeriveSecrets();
        Assert.Equal(AesSecret, Hex.ToHex(secretsB.AesSecret, prefix: false));
        Assert.Equal(MacSecret, Hex.ToHex(secretsB.MacSecret, prefix: false));
        secretsB.IngressMac.Update("foo"u8);
        var digest = new byte[32];
        secretsB.IngressMac.Peek(digest);
        Assert.Equal(IngressMacFoo, Hex.ToHex(digest, prefix: false));

        var a = InitiatorA();
        a.UseSentPacket(H(Auth2));
        var ackInput = new ReadOnlySequence<byte>(H(Ack2));
        Assert.True(a.TryReadAck(ref ackInput));
        var secretsA = a.DeriveSecrets();
        Assert.Equal(secretsB.AesSecret, secretsA.AesSecret);
        Assert.Equal(secretsB.MacSecret, secretsA.MacSecret);
        // A's egress MAC is B's ingress MAC.
        secretsA.EgressMac.Update("foo"u8);
        var egress = new byte[32];
        secretsA.EgressMac.Peek(egress);
        Assert.Equal(IngressMacFoo, Hex.ToHex(egress, prefix: false));
    }

    [Fact]
    public void Partial_input_asks_for_more_and_consumes_nothing()
    {
        var b = RecipientB();
        var bytes = H(Auth2);
        var input = new ReadOnlySequence<byte>(bytes, 0, bytes.Length - 1);
        Assert.False(b.TryReadAuth(ref input));
        Assert.Equal(bytes.Length - 1, input.Length);
    }

    [Fact]
    public void Tampered_auth_is_a_breach_of_protocol()
    {
        var bytes = H(Auth2);
        bytes[100] ^= 1;
        var input = new ReadOnlySequence<byte>(bytes);
        var e = Assert.Throws<RlpxException>(() => RecipientB().TryReadAuth(ref input));
        Assert.Equal(DisconnectReason.BreachOfProtocol, e.Reason);
    }

    [Fact]
    public void Oversized_handshake_prefix_is_rejected_before_reading_the_body()
    {
        var input = new ReadOnlySequence<byte>(new byte[] { 0xff, 0xff, 1, 2, 3 });
        Assert.Throws<RlpxException>(() => RecipientB().TryReadAuth(ref input));
    }

    [Fact]
    public void Ecies_round_trips_and_authenticates_the_shared_data()
    {
        var key = Secp256k1Curve.GeneratePrivateKey();
        var sealedMessage = Ecies.Encrypt(Secp256k1Curve.GetPublicKey(key), "hello rlpx"u8, "ad"u8);
        Assert.True(Ecies.TryDecrypt(key, sealedMessage, "ad"u8, out var plain));
        Assert.Equal("hello rlpx"u8.ToArray(), plain);
        Assert.False(Ecies.TryDecrypt(key, sealedMessage, "xx"u8, out _));
    }
}
