using BeamSync.Core;

namespace BeamSync.Core.Tests;

/// <summary>Each non-canonical or malformed form, rejected with its own <see cref="RlpError"/>.</summary>
public class RlpRejectionTests
{
    private static RlpError ErrorOf(Action action) => Assert.Throws<RlpException>(action).Error;

    private static byte[] B(string hex) => Hex.Parse(hex);

    [Theory]
    [InlineData("8100")]
    [InlineData("8105")]
    [InlineData("817f")]
    public void SingleByteBelow0x80MustNotBeWrapped(string hex)
    {
        Assert.Equal(RlpError.NonCanonicalSingleByte, ErrorOf(() => new RlpReader(B(hex)).ReadBytes()));
        Assert.Equal(RlpError.NonCanonicalSingleByte, ErrorOf(() => Rlp.Validate(B(hex))));
    }

    [Fact]
    public void SingleByteAtOrAbove0x80IsWrapped()
    {
        Assert.Equal([0x80], new RlpReader(B("8180")).ReadBytes().ToArray());
        Assert.Equal([0x7f], new RlpReader(B("7f")).ReadBytes().ToArray());
    }

    [Fact]
    public void ShortLengthInLongFormIsRejected()
    {
        // 5 bytes (and the 55-byte maximum of the short form) spelled with a length-of-length.
        Assert.Equal(RlpError.NonCanonicalSize, ErrorOf(() => Rlp.Validate(B("b8050102030405"))));
        Assert.Equal(RlpError.NonCanonicalSize, ErrorOf(() => Rlp.Validate([0xb8, 55, .. new byte[55]])));
        Assert.Equal(RlpError.NonCanonicalSize, ErrorOf(() => Rlp.Validate(B("f80180"))));
        Rlp.Validate([0xb8, 56, .. new byte[56]]);
    }

    [Fact]
    public void LeadingZeroInLengthIsRejected()
    {
        byte[] payload = new byte[56];
        Assert.Equal(RlpError.LeadingZeroInLength, ErrorOf(() => Rlp.Validate([0xb9, 0x00, 56, .. payload])));
        Assert.Equal(RlpError.LeadingZeroInLength, ErrorOf(() => Rlp.Validate([0xf9, 0x00, 56, .. Enumerable.Repeat((byte)0x80, 56)])));
    }

    [Theory]
    [InlineData("00")]        // zero is 0x80, not a zero byte
    [InlineData("820001")]
    [InlineData("83000102")]
    public void LeadingZeroInIntegerIsRejected(string hex)
    {
        Assert.Equal(RlpError.LeadingZeroInInteger, ErrorOf(() => new RlpReader(B(hex)).ReadUInt64()));
        Assert.Equal(RlpError.LeadingZeroInInteger, ErrorOf(() => new RlpReader(B(hex)).ReadUInt256()));
    }

    [Fact]
    public void IntegersTooWideAreRejected()
    {
        Assert.Equal(RlpError.IntegerTooLarge, ErrorOf(() => new RlpReader(B("89010000000000000000")).ReadUInt64()));
        Assert.Equal(RlpError.IntegerTooLarge, ErrorOf(() => new RlpReader([0xa1, 0x01, .. new byte[32]]).ReadUInt256()));
        Assert.Equal(RlpError.IntegerTooLarge, ErrorOf(() => new RlpReader(B("8480000000")).ReadInt32()));
    }

    [Fact]
    public void EmptyInputIsUnexpectedEnd()
    {
        Assert.Equal(RlpError.UnexpectedEnd, ErrorOf(() => new RlpReader([]).ReadBytes()));
        Assert.Equal(RlpError.UnexpectedEnd, ErrorOf(() => new RlpReader([]).PeekIsList()));
        Assert.Equal(RlpError.UnexpectedEnd, ErrorOf(() => Rlp.Validate([])));
    }

    [Theory]
    [InlineData("830102")]                  // string one byte short
    [InlineData("c30180")]                  // list one byte short
    [InlineData("b8")]                      // length of length missing
    [InlineData("b90100")]                  // length bytes incomplete
    [InlineData("bb7fffffff")]              // 2 GiB string in 5 bytes: rejected before any allocation
    [InlineData("fb7fffffff")]
    [InlineData("c28301")]                  // inner item overruns its list though not the input...
    [InlineData("c2830102ff")]              // ...even when bytes follow the list
    public void OverrunsAreRejected(string hex)
    {
        Assert.Equal(RlpError.UnexpectedEnd, ErrorOf(() => Rlp.Validate(B(hex))));
    }

    [Theory]
    [InlineData("bbffffffff")]              // beyond int: larger than any input we accept
    [InlineData("fbffffffff")]
    [InlineData("bc0100000000")]            // 5-byte length
    [InlineData("bf0100000000000000")]
    [InlineData("ff0100000000000000")]
    public void AbsurdLengthsAreTooLarge(string hex)
    {
        Assert.Equal(RlpError.TooLarge, ErrorOf(() => Rlp.Validate(B(hex))));
    }

    [Fact]
    public void TrailingBytesAreRejected()
    {
        Assert.Equal(RlpError.TrailingBytes, ErrorOf(() => Rlp.Validate(B("8080"))));
        Assert.Equal(RlpError.TrailingBytes, ErrorOf(() => Rlp.Validate(B("c0c0"))));
        Assert.Equal(RlpError.TrailingBytes, ErrorOf(() => { var r = new RlpReader(B("0102")); r.ReadBytes(); r.EnsureEnd(); }));
    }

    [Fact]
    public void WrongKindIsRejected()
    {
        Assert.Equal(RlpError.ExpectedString, ErrorOf(() => new RlpReader(B("c0")).ReadBytes()));
        Assert.Equal(RlpError.ExpectedList, ErrorOf(() => new RlpReader(B("80")).ReadList()));
        Assert.Equal(RlpError.WrongLength, ErrorOf(() => new RlpReader(B("820102")).ReadHash()));
        Assert.Equal(RlpError.InvalidValue, ErrorOf(() => new RlpReader(B("02")).ReadBool()));
    }

    /// <summary><paramref name="depth"/> lists each holding the next, the innermost empty; built in linear time.</summary>
    private static byte[] Nested(int depth)
    {
        var headers = new byte[depth][];
        int length = 1;                                    // the innermost empty list, 0xc0
        for (int level = depth - 2; level >= 0; level--)
        {
            headers[level] = new byte[RlpWriter.LengthOfLength(length)];
            new RlpWriter(headers[level]).WriteListHeader(length);
            length += headers[level].Length;
        }
        var result = new byte[length];
        int offset = 0;
        for (int level = 0; level < depth - 1; level++)
        {
            headers[level].CopyTo(result, offset);
            offset += headers[level].Length;
        }
        result[offset] = 0xc0;
        return result;
    }

    [Fact]
    public void NestingUpToTheLimitIsAccepted()
    {
        Rlp.Validate(Nested(1024));
        Rlp.Validate(Nested(10), maxDepth: 10);
    }

    [Fact]
    public void NestingBeyondTheLimitIsRejected()
    {
        Assert.Equal(RlpError.TooLarge, ErrorOf(() => Rlp.Validate(Nested(1025))));
        Assert.Equal(RlpError.TooLarge, ErrorOf(() => Rlp.Validate(Nested(11), maxDepth: 10)));
        Assert.Equal(RlpError.TooLarge, ErrorOf(() => Rlp.Validate(Rlp.EmptyList, maxDepth: 0)));
        Rlp.Validate(Rlp.EmptyString, maxDepth: 0);
    }

    [Fact]
    public void HostileNestingCannotExhaustTheStack()
    {
        // A megabyte of list prefixes claiming to nest: rejected by the depth limit or as an overrun, never by
        // a stack overflow, even with the limit lifted.
        var hostile = new byte[1 << 20];
        Array.Fill(hostile, (byte)0xc1);
        Assert.Throws<RlpException>(() => Rlp.Validate(hostile));
        Assert.Throws<RlpException>(() => Rlp.Validate(hostile, maxDepth: int.MaxValue / 2));
        var deep = Nested(100_000);
        Rlp.Validate(deep, maxDepth: 100_000);
        Assert.Equal(RlpError.TooLarge, ErrorOf(() => Rlp.Validate(deep, maxDepth: 99_999)));
    }

    [Fact]
    public void NegativeDepthLimitIsAProgrammingError()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => Rlp.Validate(Rlp.EmptyList, maxDepth: -1));
    }

    [Fact]
    public void LongFormBoundariesRoundTrip()
    {
        foreach (int length in new[] { 0, 1, 55, 56, 255, 256, 65_535, 65_536 })
        {
            var payload = new byte[length];
            Array.Fill(payload, (byte)0xaa);
            var encoded = Rlp.EncodeBytes(payload);
            Assert.Equal(RlpWriter.LengthOfBytes(payload), encoded.Length);
            Rlp.Validate(encoded);
            Assert.Equal(payload, new RlpReader(encoded).ReadBytes().ToArray());
            var list = Rlp.EncodeList(encoded);
            Rlp.Validate(list);
            Assert.Equal(encoded, new RlpReader(list).ReadList().ReadEncodedItem().ToArray());
        }
    }
}
