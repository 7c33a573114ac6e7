using BeamSync.Chain.Store;
using BeamSync.Tests.Shared;

namespace BeamSync.Chain.Tests;

public class ChainFileTests
{
    private const string Chain = "chains/geth-ethtest/chain.rlp";

    /// <summary>A stream that cannot seek and hands out a few bytes per read, as a pipe does.</summary>
    private sealed class TrickleStream(byte[] data) : Stream
    {
        private int _position;
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => _position; set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count)
        {
            int n = Math.Min(Math.Min(count, 7), data.Length - _position);
            Array.Copy(data, _position, buffer, offset, n);
            _position += n;
            return n;
        }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    [FixtureFact(Chain)]
    public void AStreamThatCannotSeekReadsTheSameBlocks()
    {
        var bytes = File.ReadAllBytes(TestFixtures.PathOf(Chain));
        var streamed = ChainFile.Read(new TrickleStream(bytes)).Select(b => b.Hash).ToList();
        Assert.Equal(600, streamed.Count);
        Assert.Equal(Enumerable.Range(1, 600).Select(n => (ulong)n), ChainFile.Read(bytes).Select(b => b.Number));
    }

    [FixtureFact(Chain)]
    public void ABlockWhoseBodyDoesNotDecodeIsNamedByItsNumber()
    {
        var bytes = File.ReadAllBytes(TestFixtures.PathOf(Chain));
        int first = 3 + (bytes[1] << 8 | bytes[2]);
        int second = 3 + (bytes[first + 1] << 8 | bytes[first + 2]);
        // Block 2 with one more (empty) item in its outer list: the header still decodes, the block does not.
        var payload = bytes[(first + 3)..(first + second)];
        byte[] extended = [0xf9, (byte)((payload.Length + 1) >> 8), (byte)(payload.Length + 1), .. payload, 0x80];
        var error = Assert.Throws<ChainFileException>(() => ChainFile.Read([.. bytes[..first], .. extended]).ToList());
        Assert.StartsWith($"block 2 (block 2 of the file, at byte {first})", error.Message);
    }

    [Fact]
    public void AHugeClaimedLengthIsRefusedBeforeAnyAllocation()
    {
        byte[] hostile = [0xfb, 0x7f, 0xff, 0xff, 0xff];
        var error = Assert.Throws<ChainFileException>(() => ChainFile.Read(new TrickleStream(hostile)).ToList());
        Assert.Contains("limit", error.Message);
        Assert.StartsWith("the first block", error.Message);
    }
}
