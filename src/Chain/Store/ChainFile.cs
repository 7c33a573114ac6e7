using System.Buffers.Binary;
using BeamSync.Core;
using BeamSync.Core.Types;

namespace BeamSync.Chain.Store;

/// <summary>
/// Reads a chain file: RLP-encoded blocks one after another (geth's <c>export</c> format), one block in memory at a
/// time, so a file of any size streams. Each block's outer list header is checked against <see cref="MaxBlockBytes"/>
/// and the bytes left before anything is allocated or decoded, so a truncated or hostile file ends in a typed
/// <see cref="ChainFileException"/> naming the block by number, never an overrun or a huge allocation.
/// </summary>
public static class ChainFile
{
    /// <summary>The largest encoded block accepted (far above any real block; EIP-7934 caps blocks at 10 MiB).</summary>
    public const int MaxBlockBytes = 128 << 20;

    public static IEnumerable<Block> Read(byte[] contents) => Read(new MemoryStream(contents, writable: false));

    /// <summary>Reads blocks from <paramref name="stream"/> until it ends; the caller owns (and disposes) the stream.</summary>
    public static IEnumerable<Block> Read(Stream stream)
    {
        var cursor = new Cursor();
        byte[] buffer = [];
        while (ReadNext(stream, ref buffer, cursor) is { } block)
            yield return block;
    }

    /// <summary>Where the reader is: for messages that name the failing block.</summary>
    private sealed class Cursor
    {
        public long Offset;
        public int Index;
        public ulong? PreviousNumber;

        public string Describe(ReadOnlySpan<byte> encoded) =>
            (TryReadNumber(encoded) is { } n ? $"block {n}" : PreviousNumber is { } p ? $"the block after block {p}" : "the first block")
            + $" (block {Index + 1} of the file, at byte {Offset})";
    }

    private static Block? ReadNext(Stream stream, ref byte[] buffer, Cursor cursor)
    {
        Span<byte> prefix = stackalloc byte[9];
        int first = stream.ReadByte();
        if (first < 0) return null;
        prefix[0] = (byte)first;
        if (first < 0xc0) throw Error(cursor, [], "not an RLP list: this is not a chain file of blocks");
        int headerLength = first < 0xf8 ? 1 : 1 + (first - 0xf7);
        if (!TryFill(stream, prefix[1..headerLength])) throw Error(cursor, [], "the file ends inside the block's length");
        ulong payload = first < 0xf8 ? (ulong)(first - 0xc0) : ReadBigEndian(prefix[1..headerLength]);
        ulong total = (ulong)headerLength + payload;
        if (total > MaxBlockBytes) throw Error(cursor, [], $"claims {total} bytes, more than the {MaxBlockBytes}-byte limit");
        if (stream.CanSeek && (long)total - headerLength > stream.Length - stream.Position)
            throw Error(cursor, [], $"claims {total} bytes but the file ends after {headerLength + stream.Length - stream.Position}");
        if (buffer.Length < (int)total) buffer = new byte[Math.Max((int)total, Math.Min(buffer.Length * 2, MaxBlockBytes))];
        prefix[..headerLength].CopyTo(buffer);
        var encoded = buffer.AsSpan(0, (int)total);
        if (!TryFill(stream, encoded[headerLength..])) throw Error(cursor, [], $"claims {total} bytes but the file ends first");

        Block block;
        try { block = Block.Decode(encoded); }
        catch (Exception e) when (e is RlpException or TransactionException) { throw Error(cursor, encoded, e.Message, e); }
        cursor.Offset += (long)total;
        cursor.Index++;
        cursor.PreviousNumber = block.Number;
        return block;
    }

    private static ChainFileException Error(Cursor cursor, ReadOnlySpan<byte> encoded, string message, Exception? inner = null) =>
        new($"{cursor.Describe(encoded)}: {message}", inner);

    /// <summary>The number in a block's header when at least that much decodes: names a block whose body is broken.</summary>
    private static ulong? TryReadNumber(ReadOnlySpan<byte> encoded)
    {
        if (encoded.IsEmpty) return null;
        try
        {
            var header = new RlpReader(encoded).ReadList().ReadList();
            for (int field = 0; field < 8; field++) header.SkipItem(); // parent, ommers, beneficiary, state, txs, receipts, bloom, difficulty
            return header.ReadUInt64();
        }
        catch (RlpException) { return null; }
    }

    private static bool TryFill(Stream stream, Span<byte> destination) =>
        stream.ReadAtLeast(destination, destination.Length, throwOnEndOfStream: false) == destination.Length;

    private static ulong ReadBigEndian(ReadOnlySpan<byte> bytes)
    {
        Span<byte> padded = stackalloc byte[8];
        padded.Clear();
        bytes.CopyTo(padded[(8 - bytes.Length)..]);
        return BinaryPrimitives.ReadUInt64BigEndian(padded);
    }
}

/// <summary>A chain file that does not decode as a sequence of blocks.</summary>
public sealed class ChainFileException(string message, Exception? inner = null) : Exception(message, inner);
