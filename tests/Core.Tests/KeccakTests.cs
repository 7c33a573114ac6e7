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
}
