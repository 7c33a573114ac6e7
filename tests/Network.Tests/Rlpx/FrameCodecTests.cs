using System.Buffers;
using BeamSync.Core;
using BeamSync.Core.Crypto;
using BeamSync.Network.Rlpx;

namespace BeamSync.Network.Tests.Rlpx;

public class FrameCodecTests
{
    /// <summary>A matched pair of codecs as the two ends of one session would hold them.</summary>
    internal static (FrameCodec initiator, FrameCodec recipient) Pair(int maxFrameSize = FrameCodec.MaxEncodableFrameSize)
    {
        var keyA = Secp256k1Curve.GeneratePrivateKey();
        var keyB = Secp256k1Curve.GeneratePrivateKey();
        var a = Handshake.ForInitiator(keyA, Secp256k1Curve.GetPublicKey(keyB));
        var b = Handshake.ForRecipient(keyB);
        var auth = new ReadOnlySequence<byte>(a.CreateAuth());
        Assert.True(b.TryReadAuth(ref auth));
        var ack = new ReadOnlySequence<byte>(b.CreateAck());
        Assert.True(a.TryReadAck(ref ack));
        return (new FrameCodec(a.DeriveSecrets(), maxFrameSize), new FrameCodec(b.DeriveSecrets(), maxFrameSize));
    }

    private static byte[] Frame(FrameCodec codec, ReadOnlySpan<byte> data)
    {
        var wire = new byte[FrameCodec.EncodedLength(data.Length)];
        codec.WriteFrame(data, wire);
        return wire;
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(16)]
    [InlineData(17)]
    [InlineData(70_000)]
    public void Frames_round_trip_in_both_directions_and_byte_by_byte(int size)
    {
        var (a, b) = Pair();
        var data = new byte[size];
        Random.Shared.NextBytes(data);
        for (int round = 0; round < 3; round++)
        {
            var wire = Frame(a, data);
            // Feed one byte more at a time: the reader must ask for more until the frame is whole.
            byte[] got = []; int length = 0;
            for (int n = 0; n <= wire.Length; n++)
            {
                var input = new ReadOnlySequence<byte>(wire, 0, n);
                if (b.TryReadFrame(ref input, out got, out length)) { Assert.Equal(wire.Length, n); break; }
                // A consumed header stays consumed: continue with the rest only.
                if (input.Length < n) { wire = wire[(n - (int)input.Length)..]; n = (int)input.Length; }
            }
            Assert.Equal(data, got.AsSpan(0, length).ToArray());
            ArrayPool<byte>.Shared.Return(got);

            var back = new ReadOnlySequence<byte>(Frame(b, data));
            Assert.True(a.TryReadFrame(ref back, out got, out length));
            Assert.Equal(data, got.AsSpan(0, length).ToArray());
        }
    }

    [Fact]
    public void A_flipped_bit_anywhere_fails_the_mac()
    {
        for (int bit = 0; bit < 64 * 8; bit += 37)
        {
            var (a, b) = Pair();
            var wire = Frame(a, new byte[40]);
            wire[bit / 8 % wire.Length] ^= (byte)(1 << (bit % 8));
            var input = new ReadOnlySequence<byte>(wire);
            var e = Assert.Throws<RlpxException>(() => b.TryReadFrame(ref input, out _, out _));
            Assert.Equal(DisconnectReason.BreachOfProtocol, e.Reason);
        }
    }

    [Fact]
    public void An_oversized_frame_is_rejected_from_its_header_alone()
    {
        var (a, b) = Pair(maxFrameSize: 1024);
        var wire = Frame(a, new byte[4096]);
        var headerOnly = new ReadOnlySequence<byte>(wire, 0, 32);
        var e = Assert.Throws<RlpxException>(() => b.TryReadFrame(ref headerOnly, out _, out _));
        Assert.Contains("exceeds", e.Message);
    }

    [Fact]
    public void Snappy_length_header_above_16_MiB_is_rejected_before_decompressing()
    {
        // msg-id 0x10, then a snappy stream whose varint length header claims 16 MiB + 1.
        uint claimed = MessageCodec.MaxMessageSize + 1;
        var frame = new List<byte> { 0x10 };
        for (uint v = claimed; ; v >>= 7) { if (v < 0x80) { frame.Add((byte)v); break; } frame.Add((byte)(v | 0x80)); }
        frame.AddRange(new byte[8]);
        var e = Assert.Throws<RlpxException>(() => MessageCodec.Decode(frame.ToArray(), compressed: true));
        Assert.Equal(DisconnectReason.BreachOfProtocol, e.Reason);
    }

    [Fact]
    public void Messages_round_trip_through_snappy()
    {
        var payload = Rlp.EncodeList(Rlp.EncodeBytes(new byte[5000]), Rlp.Encode(42UL));
        var buffer = MessageCodec.Encode(0x13, payload, compress: true, out int length);
        Assert.True(length < payload.Length);
        using var message = MessageCodec.Decode(buffer.AsSpan(0, length), compressed: true);
        ArrayPool<byte>.Shared.Return(buffer);
        Assert.Equal(0x13UL, message.Id);
        Assert.Equal(payload, message.Payload.ToArray());
    }
}
