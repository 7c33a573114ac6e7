using System.Numerics;
using BeamSync.Core;
using static BeamSync.Core.Tests.UInt256Samples;

namespace BeamSync.Core.Tests;

/// <summary>Parse/format and byte round trips of UInt256 on edge-weighted random values.</summary>
public class UInt256FormatTests
{
    [Fact]
    public void DecimalHexAndBytesRoundTrip()
    {
        var samples = new UInt256Samples(20);
        Span<byte> word = stackalloc byte[32];
        for (int i = 0; i < 5_000; i++)
        {
            UInt256 value = samples.Next();
            BigInteger big = Big(value);

            string decimalText = value.ToString();
            Assert.Equal(big.ToString(), decimalText);
            Assert.Equal(value, UInt256.Parse(decimalText));

            string hex = value.ToHexString();
            Assert.StartsWith("0x", hex);
            Assert.True(hex == "0x0" || hex[2] != '0', hex);
            Assert.Equal(value, UInt256.Parse(hex));

            value.ToBigEndian(word);
            Assert.Equal(value, new UInt256(word));
            byte[] trimmed = value.ToBigEndianTrimmed();
            Assert.Equal(value.ByteLength, trimmed.Length);
            Assert.Equal(value, new UInt256(trimmed));
            Assert.Equal(value, UInt256.FromHash(value.ToHash()));
        }
    }

    [Theory]
    [InlineData("")]
    [InlineData("-1")]
    [InlineData("0x1g")]
    [InlineData("12a")]
    [InlineData("115792089237316195423570985008687907853269984665640564039457584007913129639936")] // 2^256
    [InlineData("0x10000000000000000000000000000000000000000000000000000000000000000")]
    public void RejectsInvalidOrOverflowingText(string text)
    {
        Assert.False(UInt256.TryParse(text, out _));
        Assert.Throws<FormatException>(() => UInt256.Parse(text));
    }

    [Fact]
    public void ParsesTheLargestValue()
    {
        Assert.Equal(UInt256.MaxValue, UInt256.Parse("115792089237316195423570985008687907853269984665640564039457584007913129639935"));
        Assert.Equal(UInt256.MaxValue, UInt256.Parse("0x" + new string('f', 64)));
        Assert.Equal(UInt256.Zero, UInt256.Parse("0x"));
    }
}
