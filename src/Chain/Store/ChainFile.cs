using BeamSync.Core;
using BeamSync.Core.Types;

namespace BeamSync.Chain.Store;

/// <summary>
/// Reads a chain file: RLP-encoded blocks one after another (geth's <c>export</c> format). Each block's outer list
/// header is checked against the bytes left before anything is decoded, so a truncated or hostile file ends in a
/// typed <see cref="ChainFileException"/>, never an overrun or a huge allocation.
/// </summary>
public static class ChainFile
{
    public static IEnumerable<Block> Read(byte[] contents)
    {
        int offset = 0;
        int index = 0;
        while (offset < contents.Length)
        {
            Block block;
            int length;
            try
            {
                var reader = new RlpReader(contents.AsSpan(offset));
                length = reader.ReadEncodedItem().Length;
                block = Block.Decode(contents.AsSpan(offset, length));
            }
            catch (RlpException e) { throw new ChainFileException($"block {index} at byte {offset}: {e.Message}", e); }
            catch (TransactionException e) { throw new ChainFileException($"block {index} at byte {offset}: {e.Message}", e); }
            offset += length;
            index++;
            yield return block;
        }
    }
}

/// <summary>A chain file that does not decode as a sequence of blocks.</summary>
public sealed class ChainFileException(string message, Exception? inner = null) : Exception(message, inner);
