using System.Text;
using BeamSync.Core;
using BeamSync.Core.Crypto;

namespace BeamSync.Core.Tests;

public class KeccakTests
{
    [Theory]
    [InlineData("", "0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470")]
    [InlineData("abc", "0x4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45")]
    [InlineData("The quick brown fox jumps over the lazy dog", "0x4d741b6f1eb29cb2a9b9911c82f56fa8d73b04959d3d9d222895df6c0b28aa15")]
    public void KnownVectors(string input, string expected)
    {
        Assert.Equal(Hash256.Parse(expected), Keccak256.Hash(Encoding.ASCII.GetBytes(input)));
    }

    /// <summary>
    /// The NIST-style 200 bytes of 0xa3 with Ethereum's (pre-FIPS) padding, and inputs around the 136-byte rate:
    /// one byte short of a block, exactly one (the padding needs a block of its own), one over, and two blocks.
    /// Expected values come from an independent reference implementation checked against SHA3-256 with 0x06 padding.
    /// </summary>
    [Theory]
    [InlineData(135, "0xcbdfd9dee5faad3818d6b06f95a219fd290b0e1706f6a82e5a595b9ce9faca62")]
    [InlineData(136, "0x7ce759f1ab7f9ce437719970c26b0a66ff11fe3e38e17df89cf5d29c7d7f807e")]
    [InlineData(137, "0xac73d4fae68b8453f764007c1a20ce95994187861f0c3227a3a8e99a73a3b1db")]
    [InlineData(271, "0x7c974895b2a88303ff2dc6b58f438ceb0b298cac91099ac0539cc0f477506191")]
    [InlineData(272, "0xfdf2ec49e749960d3c8521a0219af8d03e30e2b3bf19bd16150ee0eaf133d66e")]
    public void BlockBoundaries(int length, string expected)
    {
        var input = new byte[length];
        for (int i = 0; i < length; i++) input[i] = (byte)i;
        Assert.Equal(Hash256.Parse(expected), Keccak256.Hash(input));
        AssertIncrementalAgrees(input);
    }

    [Fact]
    public void TwoHundredBytesOfA3()
    {
        var input = Enumerable.Repeat((byte)0xa3, 200).ToArray();
        Assert.Equal(Hash256.Parse("0x3a57666b048777f2c953dc4456f45a2588e1cb6f2da760122d530ac2ce607d4a"), Keccak256.Hash(input));
        AssertIncrementalAgrees(input);
    }

    [Fact]
    public void PermutationOfZeroStateMatchesReference()
    {
        ulong[] expectedFirstLanes = [0xf1258f7940e1dde7UL, 0x84d5ccf933c0478aUL, 0xd598261ea65aa9eeUL];
        var dispatched = new ulong[25];
        KeccakF1600.Permute(dispatched);
        var scalar = new ulong[25];
        KeccakF1600.PermuteScalar(scalar);
        Assert.Equal(expectedFirstLanes, dispatched[..3]);
        Assert.Equal(expectedFirstLanes, scalar[..3]);
    }

    [Fact]
    public void VectorAndScalarPermutationsAgree()
    {
        var rng = new Random(11);
        var a = new ulong[25];
        for (int trial = 0; trial < 200; trial++)
        {
            for (int i = 0; i < 25; i++) a[i] = (ulong)rng.NextInt64() ^ ((ulong)rng.Next() << 63);
            var b = (ulong[])a.Clone();
            KeccakF1600.Permute(a);
            KeccakF1600.PermuteScalar(b);
            Assert.Equal(b, a);
        }
    }

    [Fact]
    public void IncrementalMatchesOneShot()
    {
        var data = new byte[1000];
        new Random(7).NextBytes(data);
        var k = new Keccak256();
        Span<byte> peek = stackalloc byte[32];
        for (int i = 0; i < data.Length; i += 37)
        {
            k.Update(data.AsSpan(i, Math.Min(37, data.Length - i)));
            k.Peek(peek);
            Assert.Equal(Keccak256.Hash(data.AsSpan(0, Math.Min(i + 37, data.Length))), new Hash256(peek));
        }
    }

    [Fact]
    public void EveryLengthAcrossThreeBlocksAgreesWithIncremental()
    {
        var data = new byte[3 * Keccak256.Rate + 1];
        new Random(3).NextBytes(data);
        for (int length = 0; length <= data.Length; length++) AssertIncrementalAgrees(data.AsSpan(0, length).ToArray());
    }

    [Fact]
    public void OutputShorterThanDigestIsRejected()
    {
        Assert.Throws<ArgumentException>(() => Keccak256.Hash([1, 2, 3], new byte[31]));
    }

    [Fact]
    public void ResetStartsOver()
    {
        var k = new Keccak256();
        k.Update("junk"u8);
        k.Reset();
        k.Update("abc"u8);
        Span<byte> digest = stackalloc byte[32];
        k.Peek(digest);
        Assert.Equal(Keccak256.Hash("abc"u8), new Hash256(digest));
    }

    /// <summary>Feeds the input in uneven chunks (1, 2, 3, ... bytes) and checks the incremental digest.</summary>
    private static void AssertIncrementalAgrees(byte[] input)
    {
        var k = new Keccak256();
        int offset = 0, chunk = 1;
        while (offset < input.Length)
        {
            int take = Math.Min(chunk++, input.Length - offset);
            k.Update(input.AsSpan(offset, take));
            offset += take;
        }
        Span<byte> digest = stackalloc byte[32];
        k.Peek(digest);
        Assert.Equal(Keccak256.Hash(input), new Hash256(digest));
    }

    /// <summary>Many messages at once (eight to a permutation with AVX-512) give each one's own digest, across block boundaries and group sizes.</summary>
    [Fact]
    public void HashManyMatchesOneAtATime()
    {
        var r = new Random(17);
        for (int trial = 0; trial < 200; trial++)
        {
            int count = r.Next(0, 40);
            var data = new byte[count * 700];
            r.NextBytes(data);
            var offsets = new int[count];
            var lengths = new int[count];
            for (int i = 0; i < count; i++)
            {
                offsets[i] = r.Next(0, 100) + i * 600;
                int[] around = [0, 1, 31, 32, 135, 136, 137, 271, 272, 273, 532];
                lengths[i] = r.Next(3) == 0 ? around[r.Next(around.Length)] : r.Next(0, 500);
            }
            var output = new byte[count * 32];
            Keccak256.HashMany(data, offsets, lengths, output);
            for (int i = 0; i < count; i++)
                Assert.Equal(Keccak256.HashToArray(data.AsSpan(offsets[i], lengths[i])), output.AsSpan(i * 32, 32).ToArray());
        }
    }
}
